/**
 * The pause before a completion request: a short delay, adapted to the user's typing rhythm,
 * lets a burst of keystrokes pass before one request starts. The delay is the user's typical gap
 * between keystrokes times a factor that grows while requests go unused (typed past, wrong) and
 * shrinks while they are shown. Time is injected, so tests drive it without sleeping.
 */
import type { Clock } from '../platform/clock';

/** The request manager's debounce: keystroke rhythm in, "the user paused" out. */
export class TypingPause {
  private lastKeyAt: number | undefined;
  private typingGapMs = 150;
  private factor = 1.2;

  constructor(
    private readonly clock: Clock,
    private readonly minDelayMs: number,
    private readonly maxDelayMs: number,
  ) {}

  /** The delay the next keystroke would wait before a request (ms). */
  get currentDelayMs(): number {
    return Math.round(Math.min(this.maxDelayMs, Math.max(this.minDelayMs, this.typingGapMs * this.factor)));
  }

  /** A keystroke now: the typical gap between keystrokes follows it (pauses over 1.5 s are not typing). */
  observeKeystroke(): void {
    const now = this.clock.now();
    if (this.lastKeyAt !== undefined) {
      const gap = now - this.lastKeyAt;
      if (gap < 1_500) {
        this.typingGapMs = 0.7 * this.typingGapMs + 0.3 * gap;
      }
    }
    this.lastKeyAt = now;
  }

  /** A request nobody used (aborted, or finished unseen): wait a little longer next time. */
  requestUnused(): void {
    this.factor = Math.min(2, this.factor + 0.1);
  }

  /** A request's suggestion was shown: wait a little less next time. */
  requestUsed(): void {
    this.factor = Math.max(1, this.factor - 0.05);
  }

  /** Resolves true once the user has not typed for the current delay; false when cancelled first. */
  waitForPause(signal: AbortSignal): Promise<boolean> {
    const since = this.lastKeyAt === undefined ? 0 : this.clock.now() - this.lastKeyAt;
    return this.sleep(Math.max(0, this.currentDelayMs - since), signal);
  }

  private sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) {
      return Promise.resolve(false);
    }
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.clock.clearTimeout(timer);
        resolve(false);
      };
      const timer = this.clock.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
