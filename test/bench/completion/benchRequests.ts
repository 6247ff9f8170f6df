import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { CompletionStreamSource } from '../../../src/core/completion/completionStream';
import type { KimiClient } from '../../../src/core/kimi/kimiClient';

/** Which benchmark request an HTTP request belongs to (read by the fetch wrapper, sent as a header). */
export const requestIds = new AsyncLocalStorage<number>();
let nextRequestId = 1;

/** A new benchmark request id (ids are unique over the whole process). */
export function takeRequestId(): number {
  return nextRequestId++;
}

/** The id the next `takeRequestId` will hand out. */
export function upcomingRequestId(): number {
  return nextRequestId;
}

/** performance.now() when each request was handed to fetch. */
export const writtenAt = new Map<number, number>();
/** Called when the request with that id is handed to fetch. */
export const onWritten = new Map<number, () => void>();

/** `fetch` that notes when each benchmark request is written and tags it with its id (`x-bench-id`). */
export const benchFetch: typeof fetch = (input, init) => {
  const id = requestIds.getStore() ?? 0;
  writtenAt.set(id, performance.now());
  onWritten.get(id)?.();
  const headers = new Headers(init?.headers);
  headers.set('x-bench-id', String(id));
  return fetch(input, { ...init, headers });
};

/** Output tokens each request's client received (content chunks, as the simulator counts tokens). */
export const received = new Map<number, number>();

/** Tokens as the simulator counts them (4 UTF-8 bytes each). */
export const simTokens = (text: string): number => Math.ceil(Buffer.byteLength(text) / 4);

/** A stream source that counts what arrives for the current benchmark request. */
export function counting(client: KimiClient): CompletionStreamSource {
  return {
    async *stream(req, signal) {
      const id = requestIds.getStore() ?? 0;
      for await (const event of client.stream(req, signal)) {
        // Reasoning is generated (and billed) output too, though never shown.
        if (event.kind === 'content' || event.kind === 'thinking') {
          received.set(id, (received.get(id) ?? 0) + simTokens(event.text));
        }
        yield event;
      }
    },
  };
}
