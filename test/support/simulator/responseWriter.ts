import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpErrorReply, StreamFault } from './types';

/** How a response is delivered: delays, an optional stream fault, and the response's lifetime. */
export interface Delivery {
  readonly firstByteDelayMs: number;
  readonly chunkDelayMs: number;
  readonly fault: StreamFault | undefined;
  /** Aborted when the response closes (client gone or simulator closing). */
  readonly signal: AbortSignal;
  /** Called right before the simulator destroys the socket on purpose. */
  readonly onCut: () => void;
}

/** The line a `malformed` fault injects. */
export const MALFORMED_LINE = 'data: {not json\n\n';

/**
 * Writes `payloads` as SSE `data:` events followed by `data: [DONE]`. A stall/cut/malformed fault
 * acts before event number `afterChunks` (0-based; `payloads.length` means before `[DONE]`).
 * A stall leaves the response open: the client (or `close()`) has to end it.
 */
export async function writeSse(res: ServerResponse, payloads: readonly string[], delivery: Delivery): Promise<void> {
  if (!(await wait(delivery.firstByteDelayMs, delivery.signal))) {
    return;
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
  const fault = delivery.fault;
  for (let i = 0; i <= payloads.length; i++) {
    if (i > 0 && !(await wait(delivery.chunkDelayMs, delivery.signal))) {
      return;
    }
    if (delivery.signal.aborted) {
      return;
    }
    if (fault && fault.kind !== 'emptyChoices' && i === fault.afterChunks) {
      if (fault.kind === 'stall') {
        return;
      }
      if (fault.kind === 'cut') {
        cut(res, delivery);
        return;
      }
      res.write(MALFORMED_LINE);
    }
    res.write(i < payloads.length ? `data: ${payloads[i]}\n\n` : 'data: [DONE]\n\n');
  }
  res.end();
}

/**
 * Writes a JSON body (already serialised, so recordings go out byte for byte) after the first-byte
 * delay. Stream faults map to the non-streaming case: stall = headers but no body, cut = headers
 * then socket destroyed, malformed = a `{not json` body.
 */
export async function writeJson(res: ServerResponse, status: number, json: string, delivery: Delivery): Promise<void> {
  if (!(await wait(delivery.firstByteDelayMs, delivery.signal))) {
    return;
  }
  const fault = delivery.fault;
  const text = fault?.kind === 'malformed' ? '{not json' : json;
  if (fault?.kind === 'stall' || fault?.kind === 'cut') {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.flushHeaders();
    if (fault.kind === 'cut') {
      cut(res, delivery);
    }
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Writes an error reply (JSON, or text such as a gateway's HTML page). */
export async function writeError(res: ServerResponse, reply: HttpErrorReply, delivery?: Delivery): Promise<void> {
  if (delivery && !(await wait(delivery.firstByteDelayMs, delivery.signal))) {
    return;
  }
  const isText = typeof reply.body === 'string';
  const text = isText ? (reply.body as string) : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': isText ? (reply.contentType ?? 'text/plain') : 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function cut(res: ServerResponse, delivery: Delivery): void {
  delivery.onCut();
  res.socket?.destroy();
  res.destroy();
}

/** Waits `ms` unless the signal aborts first; false when aborted. */
async function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) {
    return false;
  }
  if (ms <= 0) {
    return true;
  }
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
