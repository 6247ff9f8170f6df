import * as assert from 'node:assert/strict';
import { KimiError } from '../../../src/core/kimi/kimiErrors';
import type { StreamEvent } from '../../../src/core/kimi/kimiTypes';
import type { RetryPolicy } from '../../../src/core/kimi/retryPolicy';
import { retryBeforeFirstEvent } from '../../../src/core/kimi/streamRetry';

const fast: RetryPolicy = { maxRateLimitRetries: 3, maxWaitMs: 1_000, baseDelayMs: 2 };

/** An attempt factory: attempt n yields `plans[n].events`, then throws `plans[n].error` if given. */
function attempts(plans: { events: StreamEvent[]; error?: KimiError }[]): { attempt: () => AsyncIterable<StreamEvent>; count: () => number } {
  let n = 0;
  return {
    attempt: async function* () {
      const plan = plans[Math.min(n++, plans.length - 1)];
      for (const event of plan.events) {
        yield event;
      }
      if (plan.error) {
        throw plan.error;
      }
    },
    count: () => n,
  };
}

async function collect(stream: AsyncIterable<StreamEvent>): Promise<{ events: StreamEvent[]; error?: unknown }> {
  const events: StreamEvent[] = [];
  try {
    for await (const event of stream) {
      events.push(event);
    }
  } catch (error) {
    return { events, error };
  }
  return { events };
}

const usage: StreamEvent = { kind: 'usage', usage: { promptTokens: 5, cachedTokens: 0, completionTokens: 0 } };
const hello: StreamEvent = { kind: 'content', text: 'Hello' };
const finish: StreamEvent = { kind: 'finish', reason: 'stop' };

describe('retry before the first event', () => {
  it('starts a failed attempt again when nothing but usage had arrived, and tells who listens', async () => {
    const { attempt, count } = attempts([{ events: [usage], error: new KimiError('network', 'reset') }, { events: [hello, finish] }]);
    const told: string[] = [];
    const { events, error } = await collect(retryBeforeFirstEvent(attempt, { retry: fast, onRetry: (e) => told.push(e.kind) }));
    assert.equal(error, undefined);
    assert.deepEqual(events, [usage, hello, finish]);
    assert.equal(count(), 2);
    assert.deepEqual(told, ['network']);
  });

  it('never retries once text was shown (no text is duplicated)', async () => {
    const cut = new KimiError('network', 'reset');
    const { attempt, count } = attempts([{ events: [hello], error: cut }, { events: [hello, finish] }]);
    const { events, error } = await collect(retryBeforeFirstEvent(attempt, { retry: fast }));
    assert.equal(error, cut);
    assert.deepEqual(events, [hello]);
    assert.equal(count(), 1);
  });

  it('never retries with retry false, a kind that is not retried, or an aborted signal', async () => {
    for (const [options, failure, signal] of [
      [{ retry: false as const }, new KimiError('serverError', 'x', 500), undefined],
      [{ retry: fast }, new KimiError('auth', 'x', 401), undefined],
      [{ retry: fast }, new KimiError('network', 'x'), AbortSignal.abort()],
    ] as const) {
      const { attempt, count } = attempts([{ events: [], error: failure }, { events: [hello, finish] }]);
      const { error } = await collect(retryBeforeFirstEvent(attempt, options, signal));
      assert.equal(error, failure);
      assert.equal(count(), 1);
    }
  });

  it('is bounded: a failure that keeps coming is thrown after the policy gives up', async () => {
    const failure = new KimiError('serverError', 'x', 500);
    const { attempt, count } = attempts([{ events: [], error: failure }]);
    const { error } = await collect(retryBeforeFirstEvent(attempt, { retry: fast }));
    assert.equal(error, failure);
    assert.equal(count(), 2); // a server error is retried once
  });

  it('ends the wait between attempts as cancelled when the signal aborts', async () => {
    const controller = new AbortController();
    const { attempt, count } = attempts([{ events: [], error: new KimiError('rateLimit', 'slow down', 429, 5_000) }, { events: [hello, finish] }]);
    const { error } = await collect(retryBeforeFirstEvent(attempt, { retry: { ...fast, maxWaitMs: 10_000 }, onRetry: () => setTimeout(() => controller.abort(), 5) }, controller.signal));
    assert.ok(KimiError.is(error, 'cancelled'));
    assert.equal(count(), 1);
  });
});
