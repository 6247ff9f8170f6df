/**
 * What a failed completion request means for the next keystrokes. Completion must never nag or
 * hammer: a bad key or an exhausted quota pauses it (the user is told once, with an action);
 * an unreachable endpoint pauses it with growing waits and it resumes by itself; a rate limit
 * waits as long as Kimi asked; a request dropped by our own rate limiter is simply skipped.
 */
import type { Clock } from '../platform/clock';
import type { KimiError, KimiErrorKind } from '../kimi/kimiErrors';

export type PauseReason = 'auth' | 'quota' | 'permission' | 'model' | 'offline' | 'rateLimit' | 'badRequest' | 'unavailable';

export interface PauseState {
  reason: PauseReason;
  /** Clock time the pause ends; undefined = until `resume()` (key or settings change). */
  until: number | undefined;
  message: string;
}

/** What the adapter should do about an error. */
export interface ErrorVerdict {
  pause: PauseState | undefined;
  /** Tell the user once (auth, quota, permission, unknown model). */
  notify: boolean;
  /** Not worth showing at all (cancelled, or skipped by our own rate limiter). */
  silent: boolean;
}

const OFFLINE_STEPS_MS = [2_000, 5_000, 10_000, 30_000, 60_000];
const NOTIFY_ONCE: readonly KimiErrorKind[] = ['auth', 'permission', 'modelNotFound', 'quotaExhausted'];

export class CompletionBackoff {
  private paused: PauseState | undefined;
  private offlineStreak = 0;
  private readonly notified = new Set<PauseReason>();

  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  /** The current pause, if any (an expired timed pause is cleared). */
  get state(): PauseState | undefined {
    if (this.paused?.until !== undefined && this.clock.now() >= this.paused.until) {
      this.paused = undefined;
    }
    return this.paused;
  }

  mayRequest(): boolean {
    return this.state === undefined;
  }

  onSuccess(): void {
    this.offlineStreak = 0;
    if (this.paused?.reason === 'offline' || this.paused?.reason === 'rateLimit') {
      this.paused = undefined;
    }
  }

  /** The key or the settings changed: try again at once, and tell again if it fails again. */
  resume(): void {
    this.paused = undefined;
    this.offlineStreak = 0;
    this.notified.clear();
  }

  onError(error: KimiError): ErrorVerdict {
    if (error.kind === 'cancelled' || (error.kind === 'rateLimit' && error.status === undefined)) {
      return { pause: undefined, notify: false, silent: true };
    }
    const now = this.clock.now();
    let pause: PauseState | undefined;
    switch (error.kind) {
      case 'auth':
        pause = { reason: 'auth', until: undefined, message: error.message };
        break;
      case 'noApiKey':
        // No key, or the endpoint not allowed yet: the connection has told the user; look again shortly.
        pause = { reason: 'unavailable', until: now + 5_000, message: error.message };
        break;
      case 'permission':
        pause = { reason: 'permission', until: undefined, message: error.message };
        break;
      case 'modelNotFound':
        pause = { reason: 'model', until: undefined, message: error.message };
        break;
      case 'quotaExhausted':
        pause = { reason: 'quota', until: now + 10 * 60_000, message: error.message };
        break;
      case 'rateLimit':
        pause = { reason: 'rateLimit', until: now + Math.min(error.retryAfterMs ?? 2_000, 60_000), message: error.message };
        break;
      case 'network':
      case 'timeout':
      case 'serverError': {
        const wait = OFFLINE_STEPS_MS[Math.min(this.offlineStreak, OFFLINE_STEPS_MS.length - 1)];
        this.offlineStreak++;
        pause = { reason: 'offline', until: now + wait, message: error.message };
        break;
      }
      case 'badRequest':
      case 'malformedResponse':
        pause = { reason: 'badRequest', until: now + 10_000, message: error.message };
        break;
      default:
        pause = undefined; // content filter, context too long: this keystroke only
    }
    if (pause) {
      this.paused = pause;
    }
    const reason = pause?.reason;
    const notify = reason !== undefined && NOTIFY_ONCE.includes(error.kind) && !this.notified.has(reason);
    if (notify && reason) {
      this.notified.add(reason);
    }
    return { pause, notify, silent: false };
  }
}
