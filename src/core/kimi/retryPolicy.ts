import type { KimiError } from './kimiErrors';

/**
 * When to retry a failed request, and after how long. Bounded: nothing retries forever.
 * - rate limit: the wait Kimi names in its message ("try again after N seconds"), else
 *   exponential backoff; with jitter; at most `maxRateLimitRetries` times, never longer than
 *   `maxWaitMs` at once;
 * - server error (500): once;
 * - network failure or timeout before any byte: once;
 * - never: auth, permission, quota, content filter, bad request, cancelled, model not found.
 *   (Context too long is handled by the caller, which shrinks the context and retries once.)
 */
export interface RetryPolicy {
  maxRateLimitRetries: number;
  maxWaitMs: number;
  baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRateLimitRetries: 3, maxWaitMs: 30_000, baseDelayMs: 1_000 };

/** Delay before retry number `attempt` (0-based), or undefined to give up. `random` ∈ [0, 1). */
export function retryDelayMs(error: KimiError, attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random: () => number = Math.random): number | undefined {
  const jitter = (ms: number): number => Math.round(ms * (0.1 + 0.2 * random()));
  switch (error.kind) {
    case 'rateLimit': {
      if (attempt >= policy.maxRateLimitRetries) {
        return undefined;
      }
      const wanted = error.retryAfterMs ?? policy.baseDelayMs * 2 ** attempt;
      if (wanted > policy.maxWaitMs) {
        return undefined; // Longer than a person waits: report it instead.
      }
      return wanted + jitter(Math.max(wanted, policy.baseDelayMs));
    }
    case 'serverError':
    case 'network':
    case 'timeout':
      return attempt === 0 ? policy.baseDelayMs / 2 + jitter(policy.baseDelayMs) : undefined;
    default:
      return undefined;
  }
}
