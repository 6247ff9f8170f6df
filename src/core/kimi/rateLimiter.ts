import { realClock, type Clock } from '../platform/clock';
import { KimiError } from './kimiErrors';

/**
 * Client-side limiter for Kimi's per-account limits: concurrency, requests per minute and
 * tokens per minute, where a request counts its prompt tokens plus its `max_tokens`.
 * Interactive work (chat, mockup) queues, ahead of any background work; background work
 * (completions) is dropped at once when it cannot start now, because by the time it could,
 * the user has typed on and it would be stale.
 */
export interface RateLimits {
  concurrency: number;
  requestsPerMinute: number;
  tokensPerMinute: number;
}

export type Priority = 'interactive' | 'background';

interface Waiter {
  tokens: number;
  resolve: (release: () => void) => void;
  reject: (err: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

const WINDOW_MS = 60_000;

export class RateLimiter {
  private inFlight = 0;
  private peak = 0;
  private readonly started: { at: number; tokens: number }[] = [];
  private readonly queue: Waiter[] = [];
  private timer: unknown;

  constructor(private limits: RateLimits, private readonly clock: Clock = realClock) {}

  setLimits(limits: RateLimits): void {
    this.limits = limits;
    this.pump();
  }

  /** Highest number of requests in flight at once so far (for the soak benchmark). */
  get peakInFlight(): number {
    return this.peak;
  }

  get active(): number {
    return this.inFlight;
  }

  /**
   * Waits for capacity (interactive) or fails at once with a `rateLimit` KimiError
   * (background). The returned function releases the concurrency slot; call it exactly once.
   */
  acquire(tokens: number, priority: Priority, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) {
      return Promise.reject(new KimiError('cancelled', 'The request was cancelled.'));
    }
    if (priority === 'background') {
      if (this.queue.length === 0 && this.canStart(tokens)) {
        return Promise.resolve(this.start(tokens));
      }
      return Promise.reject(new KimiError('rateLimit', 'Skipped to stay within your Kimi rate limits.'));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { tokens, resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) {
            this.queue.splice(i, 1);
          }
          reject(new KimiError('cancelled', 'The request was cancelled.'));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.pump();
    });
  }

  private prune(): void {
    const cutoff = this.clock.now() - WINDOW_MS;
    while (this.started.length > 0 && this.started[0].at <= cutoff) {
      this.started.shift();
    }
  }

  private canStart(tokens: number): boolean {
    this.prune();
    if (this.inFlight >= this.limits.concurrency || this.started.length >= this.limits.requestsPerMinute) {
      return false;
    }
    const used = this.started.reduce((sum, s) => sum + s.tokens, 0);
    // A single request larger than the whole TPM budget may still go alone.
    return used + tokens <= this.limits.tokensPerMinute || this.started.length === 0;
  }

  private start(tokens: number): () => void {
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    this.started.push({ at: this.clock.now(), tokens });
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.inFlight--;
        this.pump();
      }
    };
  }

  private pump(): void {
    while (this.queue.length > 0 && this.canStart(this.queue[0].tokens)) {
      const waiter = this.queue.shift() as Waiter;
      if (waiter.signal && waiter.onAbort) {
        waiter.signal.removeEventListener('abort', waiter.onAbort);
      }
      waiter.resolve(this.start(waiter.tokens));
    }
    if (this.queue.length > 0 && this.timer === undefined && this.inFlight < this.limits.concurrency && this.started.length > 0) {
      // Blocked by a per-minute window: wake when its oldest entry expires.
      const wait = Math.max(1, this.started[0].at + WINDOW_MS - this.clock.now());
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
    }
  }
}
