/**
 * Waiting that a Stop ends: a promise or a delay raced against an `AbortSignal`, rejecting with
 * the `cancelled` KimiError the moment the signal aborts (the awaited work itself may go on; its
 * result is then ignored, and its rejection never goes unhandled).
 */
import { KimiError } from './kimiErrors';

function cancelled(): KimiError {
  return new KimiError('cancelled', 'The request was cancelled.');
}

/** `promise`, unless `signal` aborts first. */
export function untilAborted<T>(promise: PromiseLike<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) {
    return Promise.resolve(promise);
  }
  if (signal.aborted) {
    void Promise.resolve(promise).catch(() => undefined);
    return Promise.reject(cancelled());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(promise).then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** Resolves after `ms`, or rejects as cancelled when `signal` aborts first (the timer is cleared). */
export function abortableDelay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) {
    return Promise.reject(cancelled());
  }
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
