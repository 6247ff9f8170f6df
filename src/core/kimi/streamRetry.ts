import { abortableDelay } from './abortable';
import type { KimiError } from './kimiErrors';
import type { StreamEvent } from './kimiTypes';
import { retryDelayMs, type RetryPolicy } from './retryPolicy';

/** How a stream is retried: the policy (`false` never retries), and who is told about each retry. */
export interface StreamRetryOptions {
  retry?: RetryPolicy | false;
  /** Told about each retry (for the log and status bar). */
  onRetry?: (error: KimiError, delayMs: number) => void;
}

/**
 * Yields the events of `attempt()`, starting it again after a retryable failure (bounded, by
 * error kind: `retryPolicy.ts`) only before the first event other than usage, so no text is ever
 * duplicated. Never retries once `signal` aborted; the wait between attempts ends when it aborts.
 * Failures are thrown as the `KimiError` the attempt threw.
 */
export async function* retryBeforeFirstEvent(
  attempt: () => AsyncIterable<StreamEvent>,
  options: StreamRetryOptions,
  signal?: AbortSignal,
): AsyncGenerator<StreamEvent, void, undefined> {
  for (let n = 0; ; n++) {
    let emitted = false;
    try {
      for await (const event of attempt()) {
        // Usage alone shows the user nothing: a stream that brought only usage (Kimi's
        // `choices: []` chunks) may still be retried without duplicating any text.
        emitted ||= event.kind !== 'usage';
        yield event;
      }
      return;
    } catch (err) {
      const error = err as KimiError;
      const delay = !emitted && options.retry !== false && !signal?.aborted ? retryDelayMs(error, n, options.retry) : undefined;
      if (delay === undefined) {
        throw error;
      }
      options.onRetry?.(error, delay);
      await abortableDelay(delay, signal);
    }
  }
}
