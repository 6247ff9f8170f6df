import * as assert from 'node:assert/strict';
import { KimiError } from '../../../src/core/kimi/kimiErrors';
import { RateLimiter } from '../../../src/core/kimi/rateLimiter';
import { retryDelayMs } from '../../../src/core/kimi/retryPolicy';
import { FakeClock, flush } from '../helpers/fakeClock';

describe('retry policy', () => {
  const half = (): number => 0.5;
  it('waits as long as the rate-limit message says, plus jitter, and gives up after three tries', () => {
    const err = new KimiError('rateLimit', 'x', 429, 3000);
    const first = retryDelayMs(err, 0, undefined, half) as number;
    assert.ok(first >= 3000 && first <= 3000 * 1.3, `delay ${first}`);
    assert.notEqual(retryDelayMs(err, 2, undefined, half), undefined);
    assert.equal(retryDelayMs(err, 3, undefined, half), undefined);
  });
  it('does not wait longer than a person would', () => {
    assert.equal(retryDelayMs(new KimiError('rateLimit', 'x', 429, 120_000), 0), undefined);
  });
  it('backs off exponentially when no wait is named', () => {
    const err = new KimiError('rateLimit', 'x', 429);
    const zero = (): number => 0;
    assert.ok((retryDelayMs(err, 2, undefined, zero) as number) > (retryDelayMs(err, 0, undefined, zero) as number) * 3);
  });
  it('retries a server error, a network failure and a timeout once', () => {
    for (const kind of ['serverError', 'network', 'timeout'] as const) {
      assert.notEqual(retryDelayMs(new KimiError(kind, 'x'), 0), undefined, kind);
      assert.equal(retryDelayMs(new KimiError(kind, 'x'), 1), undefined, kind);
    }
  });
  it('never retries auth, quota, content filter, bad request, cancel, unknown model, context too long', () => {
    for (const kind of ['auth', 'quotaExhausted', 'contentFilter', 'badRequest', 'cancelled', 'modelNotFound', 'contextTooLong', 'permission'] as const) {
      assert.equal(retryDelayMs(new KimiError(kind, 'x'), 0), undefined, kind);
    }
  });
});

describe('rate limiter', () => {
  it('holds concurrency and lets queued interactive work in as slots free', async () => {
    const limiter = new RateLimiter({ concurrency: 1, requestsPerMinute: 100, tokensPerMinute: 1e9 }, new FakeClock());
    const r1 = await limiter.acquire(10, 'interactive');
    let second = false;
    const p2 = limiter.acquire(10, 'interactive').then((r) => {
      second = true;
      return r;
    });
    await flush();
    assert.equal(second, false);
    assert.equal(limiter.active, 1);
    r1();
    (await p2)();
    assert.equal(second, true);
    assert.equal(limiter.peakInFlight, 1);
  });

  it('drops background work at once instead of queueing it', async () => {
    const limiter = new RateLimiter({ concurrency: 1, requestsPerMinute: 100, tokensPerMinute: 1e9 }, new FakeClock());
    const release = await limiter.acquire(10, 'interactive');
    await assert.rejects(limiter.acquire(10, 'background'), (e: unknown) => KimiError.is(e, 'rateLimit'));
    release();
    (await limiter.acquire(10, 'background'))();
  });

  it('counts requests and tokens (prompt + max_tokens) per minute', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ concurrency: 10, requestsPerMinute: 2, tokensPerMinute: 1000 }, clock);
    (await limiter.acquire(400, 'interactive'))();
    (await limiter.acquire(400, 'interactive'))();
    let third = false;
    const p = limiter.acquire(100, 'interactive').then((r) => {
      third = true;
      r();
    });
    await flush();
    assert.equal(third, false, 'RPM 2 reached');
    await clock.advance(60_001);
    await p;
    assert.equal(third, true, 'admitted once the minute window moved on');
    await assert.rejects(limiter.acquire(950, 'background'), 'TPM would be exceeded (100 + 950 > 1000)');
  });

  it('removes a cancelled waiter from the queue', async () => {
    const limiter = new RateLimiter({ concurrency: 1, requestsPerMinute: 100, tokensPerMinute: 1e9 }, new FakeClock());
    const release = await limiter.acquire(1, 'interactive');
    const controller = new AbortController();
    const waiting = limiter.acquire(1, 'interactive', controller.signal);
    controller.abort();
    await assert.rejects(waiting, (e: unknown) => KimiError.is(e, 'cancelled'));
    release();
    assert.equal(limiter.active, 0);
  });
});
