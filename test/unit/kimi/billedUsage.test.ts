import * as assert from 'node:assert/strict';
import { runTurn } from '../../../src/core/chat/turnRunner';
import { CompletionTotals } from '../../../src/core/completion/completionStats';
import { RequestManager } from '../../../src/core/completion/requestManager';
import type { ManagerEvent } from '../../../src/core/completion/requestTypes';
import { parseSettings, pricesFor } from '../../../src/core/config/settings';
import { estimateMessagesTokens } from '../../../src/core/context/tokenEstimate';
import { KimiClient } from '../../../src/core/kimi/kimiClient';
import { KimiError } from '../../../src/core/kimi/kimiErrors';
import type { ChatRequest, Usage } from '../../../src/core/kimi/kimiTypes';
import { realClock } from '../../../src/core/platform/clock';
import { kimiErrors } from '../../support/simulator/kimiErrorReplies';
import { startSimulator, type KimiSimulator } from '../../support/simulator/kimiSimulator';

const prices = pricesFor(parseSettings({ get: () => undefined, userValue: () => undefined }, {}), 'kimi-k2.6');
const ask: ChatRequest = { model: 'kimi-k2.6', messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Explain '.repeat(200) }], maxTokens: 256 };

/** Streams `request` until `stopAfter` characters arrived, then aborts; returns the error thrown. */
async function abortMidStream(client: KimiClient, stopAfter: number): Promise<{ error: unknown; got: string }> {
  const controller = new AbortController();
  let got = '';
  try {
    for await (const e of client.stream(ask, controller.signal)) {
      if (e.kind === 'content') {
        got += e.text;
        if (got.length >= stopAfter) {
          controller.abort();
        }
      }
    }
  } catch (error) {
    return { error, got };
  }
  return { error: undefined, got };
}

describe('cost of requests that were stopped or broke off (what Kimi bills)', function () {
  this.timeout(20_000);
  let sim: KimiSimulator;
  const client = (): KimiClient => new KimiClient({ baseUrl: sim.baseUrl, apiKey: sim.apiKey, dialect: 'moonshot', retry: false });
  before(async () => {
    sim = await startSimulator();
  });
  after(async () => {
    await sim.close();
  });
  afterEach(() => sim.reset());

  it('a stream aborted after it reached the server carries its estimated prompt and the output so far', async () => {
    sim.reply({ content: 'word '.repeat(200), chunkSize: 10, chunkDelayMs: 15 });
    const { error, got } = await abortMidStream(client(), 40);
    assert.ok(KimiError.is(error, 'cancelled'), String(error));
    assert.deepEqual(error.billed, {
      estimated: true,
      usage: { promptTokens: estimateMessagesTokens(ask.messages), cachedTokens: 0, completionTokens: error.billed!.usage.completionTokens },
    });
    assert.ok(error.billed!.usage.promptTokens > 200);
    assert.ok(error.billed!.usage.completionTokens >= Math.floor(got.length / 10), `${error.billed!.usage.completionTokens} output tokens for ${got.length} chars`);
  });

  it('a request the server refused, or one stopped before it was sent, carries nothing', async () => {
    sim.injectFault({ kind: 'http', ...kimiErrors.rateLimit(3) });
    const refused = await client().streamToResult(ask).then(() => undefined, (e: unknown) => e);
    assert.ok(KimiError.is(refused, 'rateLimit'));
    assert.equal(refused.billed, undefined);
    const controller = new AbortController();
    controller.abort();
    const unsent = await client().streamToResult(ask, controller.signal).then(() => undefined, (e: unknown) => e);
    assert.ok(KimiError.is(unsent, 'cancelled'));
    assert.equal(unsent.billed, undefined);
  });

  it('a chat turn stopped mid-answer reports that round\'s usage, marked estimated', async () => {
    sim.reply({ content: 'word '.repeat(200), chunkSize: 10, chunkDelayMs: 15 });
    const controller = new AbortController();
    const reported: { usage: Usage; estimated?: boolean }[] = [];
    let answer = '';
    const kimi = client();
    await assert.rejects(
      runTurn({
        model: ask.model,
        thinking: false,
        maxTokens: 256,
        maxToolRounds: 0,
        userMessage: { role: 'user', content: 'Explain' },
        buildMessages: (current) => [...current],
        stream: (request, signal) => kimi.stream(request, signal),
        tools: { specs: [], label: () => '', run: () => Promise.reject(new Error('none')) },
        signal: controller.signal,
        sink: {
          reasoning: () => undefined,
          answer: (t) => {
            answer += t;
            if (answer.length >= 30) {
              controller.abort();
            }
          },
          reasoningDone: () => undefined,
          toolStarted: () => undefined,
          toolFinished: () => undefined,
          usage: (usage, estimated) => reported.push({ usage, estimated }),
        },
      }),
      (e: unknown) => KimiError.is(e, 'cancelled'),
    );
    assert.equal(reported.length, 1);
    assert.equal(reported[0].estimated, true);
    assert.ok(reported[0].usage.promptTokens > 0 && reported[0].usage.completionTokens > 0);
  });

  it('a completion aborted as stale still counts in the session cost', async () => {
    const billed = { usage: { promptTokens: 10_000, cachedTokens: 0, completionTokens: 12 }, estimated: true };
    const events: ManagerEvent[] = [];
    const manager = new RequestManager({
      clock: realClock,
      minDelayMs: 0,
      maxDelayMs: 0,
      onEvent: (e) => events.push(e),
      fetch: (_snapshot, signal) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(Object.assign(new KimiError('cancelled', 'The request was cancelled.'), { billed })), { once: true }),
        ),
    });
    const snapshot = { docKey: 'file:///a.ts', path: 'a.ts', languageId: 'typescript', prefix: 'const a', suffix: '', indent: { insertSpaces: true, tabSize: 2 }, explicit: true };
    const waiting = manager.complete(snapshot, new AbortController().signal);
    await new Promise((resolve) => setTimeout(resolve, 30));
    manager.abortAll();
    await waiting;
    await new Promise((resolve) => setTimeout(resolve, 10));
    const ended = events.find((e): e is Extract<ManagerEvent, { kind: 'ended' }> => e.kind === 'ended');
    assert.equal(ended?.outcome, 'aborted');
    const late = events.find((e): e is Extract<ManagerEvent, { kind: 'billed' }> => e.kind === 'billed');
    assert.deepEqual(late?.billed, billed);
    // As CompletionService counts them.
    const totals = new CompletionTotals();
    totals.addRequest(ended?.stats, ended!.outcome, ended?.billed, prices);
    totals.addBilled(late!.billed, prices);
    assert.ok(totals.cost > 0, 'the aborted request costs what its prompt cost');
    assert.equal(totals.estimated, true);
  });
});
