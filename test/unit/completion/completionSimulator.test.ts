// The completion pipeline against the Kimi simulator over real HTTP: early stops close the
// connection at the server, the request has the partial-mode shape, usage and cache are read.
import * as assert from 'node:assert/strict';
import { buildCompletionPrompt, REASONING_ALLOWANCE_TOKENS } from '../../../src/core/completion/completionPrompt';
import { resolveModelProfile } from '../../../src/core/kimi/modelProfiles';
import { createCompletionFetcher, streamCompletion } from '../../../src/core/completion/completionStream';
import { RequestManager } from '../../../src/core/completion/requestManager';
import { KimiClient } from '../../../src/core/kimi/kimiClient';
import { realClock } from '../../../src/core/platform/clock';
import { startSimulator, type KimiSimulator } from '../../support/simulator/kimiSimulator';
import { snap } from './completionHelpers';

const prices = { inputPerMillion: 0.6, cachedInputPerMillion: 0.1, outputPerMillion: 3 };

describe('completion against the simulator', function () {
  this.timeout(15_000);
  let sim: KimiSimulator;
  let client: KimiClient;

  before(async () => {
    sim = await startSimulator();
    client = new KimiClient({ baseUrl: sim.baseUrl, apiKey: sim.apiKey, dialect: 'moonshot', retry: false });
  });
  after(() => sim.close());
  afterEach(() => sim.reset());

  it('stops a multi-line stream at the end of the block and closes the connection at the server', async () => {
    const rest = Array.from({ length: 40 }, (_, i) => `function more${i}() {}\n`).join('');
    sim.reply({ content: `const b = a + 1;\n  return b;\n}\n\n${rest}`, chunkSize: 6, chunkDelayMs: 15 });
    const s = snap('function f(a: number) {\n  █\n');
    const controller = new AbortController();
    const result = await streamCompletion(client, buildCompletionPrompt(s, '', 'kimi-k2.6'), s, controller.signal, { prices, now: Date.now });
    assert.equal(result.cutReason, 'dedent');
    assert.deepEqual(result.completion, { text: 'const b = a + 1;\n  return b;', overwrite: 0 });
    const request = sim.requests[0];
    await sim.waitForClose(request, 5_000);
    assert.equal(request.closedByClient, true, 'the client closed the connection');
    assert.equal(request.completed, false);
    assert.equal(result.stats.estimated, true, 'no usage arrives on a cut stream: tokens are estimated');
  });

  it('sends the partial-mode shape, lets the server stop single lines at the newline, and reads usage and cache', async () => {
    sim.reply({ content: 'add(40, 2);\nconsole.log(total);\n' });
    const s = snap('import { add } from "./math";\nconst total = █\n');
    const context = `// src/math.ts\n${'export const x = 1;\n'.repeat(400)}`;
    const prompt = buildCompletionPrompt(s, context, 'kimi-k2.6');
    const first = await streamCompletion(client, prompt, s, new AbortController().signal, { prices, now: Date.now });
    assert.equal(first.completion?.text, 'add(40, 2);');
    assert.equal(first.cutReason, undefined, 'the server stopped at the newline itself');
    const body = sim.requests[0].body as Record<string, unknown>;
    const messages = body.messages as { role: string; content: string; partial?: boolean }[];
    assert.deepEqual(messages.at(-1), { role: 'assistant', content: 'import { add } from "./math";\nconst total = ', partial: true });
    assert.deepEqual(body.thinking, { type: 'disabled' });
    assert.equal(body.max_completion_tokens, 64);
    assert.equal('temperature' in body, false);
    assert.equal(sim.requests[0].completed, true);

    const again = await streamCompletion(client, buildCompletionPrompt(snap('import { add } from "./math";\nconst total = a█\n'), context, 'kimi-k2.6'), s, new AbortController().signal, { prices, now: Date.now });
    assert.equal(again.stats.estimated, false);
    assert.ok(again.stats.cachedTokens > 0 && again.stats.cachedTokens <= again.stats.promptTokens, `cached ${again.stats.cachedTokens} of ${again.stats.promptTokens}`);
    assert.ok(again.stats.cost > 0);
  });

  it('aborts a superseded request: the server sees the connection closed', async () => {
    sim.reply({ content: 'add(1, 2);', firstByteDelayMs: 3_000 }, { times: 1 });
    sim.reply({ content: '2;' });
    const manager = new RequestManager({
      clock: realClock,
      fetch: createCompletionFetcher({ client: () => client, context: () => '', model: () => 'kimi-k2.6', prices: () => prices, now: Date.now }),
    });
    const first = new AbortController();
    void manager.complete(snap('const total = █;\n', { explicit: true }), first.signal);
    const slow = await sim.waitForRequest(undefined, 5_000);
    first.abort();
    // The user moved on (Enter, then typing on the new line): the slow request can no longer be used.
    const second = await manager.complete(snap('const total = 1;\nconst x = █\n', { explicit: true }), new AbortController().signal);
    await sim.waitForClose(slow, 5_000);
    assert.equal(slow.closedByClient, true);
    assert.equal(second?.text, '2;');
    assert.equal(sim.requests.length, 2);
  });
  it('K3 (always reasons): low effort, reasoning never in the text, an answer with no code is no suggestion', async () => {
    const s = snap('const total = █\n');
    const target = { profile: resolveModelProfile('kimi-k3'), dialect: 'moonshot' as const };
    sim.reply({ reasoning: 'The user is adding numbers; I should write a call.', content: 'add(40, 2);\n' }, { times: 1 });
    const reasoned = await streamCompletion(client, buildCompletionPrompt(s, '', target), s, new AbortController().signal, { prices, now: Date.now });
    assert.equal(reasoned.completion?.text, 'add(40, 2);');
    assert.ok(!reasoned.raw.includes('The user'), 'reasoning is never ghost text');
    const body = sim.requests[0].body as Record<string, unknown>;
    assert.equal(body.reasoning_effort, 'low');
    assert.equal(body.thinking, undefined);
    assert.equal(body.max_completion_tokens, REASONING_ALLOWANCE_TOKENS + 64);
    assert.equal(body.stop, undefined);
    sim.reply({ reasoning: 'Nothing to add here.', endAfterReasoning: true }, { times: 1 });
    const empty = await streamCompletion(client, buildCompletionPrompt(s, '', target), s, new AbortController().signal, { prices, now: Date.now });
    assert.equal(empty.raw, '');
    assert.equal(empty.completion, undefined, 'an empty continuation is no suggestion');
    assert.equal(sim.requests.length, 2);
  });
});
