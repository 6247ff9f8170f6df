import * as assert from 'node:assert/strict';
import { startSimulator, type KimiSimulator } from '../../support/simulator/kimiSimulator';
import { DEFAULT_CONTINUATION, DEFAULT_EMPTY_CONTINUATION_RATE, promptFraction } from '../../support/simulator/replyPlan';
import { callSim, joinDeltas, sseChunks, type ChunkJson } from '../../support/simulator/simClient';
import { loadRecording } from '../../support/simulator/sseRecordings';
import { skipWithoutRecordings } from '../helpers/skipWithoutRecordings';
import { serializePrompt } from '../../support/simulator/tokenEstimate';
import { simulatorPerSuite } from '../helpers/simulatorPerSuite';

// Reasoning on today's models: before content (partial mode too), sometimes no content at all,
// billed as output and bounded by the output limit; earlier reasoning in multi-turn requests.

const user = (content: string): Record<string, unknown> => ({ role: 'user', content });
const partial = (prefix: string): Record<string, unknown> => ({ role: 'assistant', content: prefix, partial: true });
const toolCall = (reasoning?: string): Record<string, unknown> => ({
  role: 'assistant',
  content: '',
  ...(reasoning === undefined ? {} : { reasoning_content: reasoning }),
  tool_calls: [{ id: 'read_file_0', type: 'function', function: { name: 'read_file', arguments: '{}' } }],
});
const toolResult = { role: 'tool', tool_call_id: 'read_file_0', content: 'data' };

/** r = reasoning delta, c = content delta, - = neither (role and finishing chunks). */
function deltaKinds(chunks: readonly ChunkJson[]): string {
  return chunks.flatMap((c) => c.choices.map((ch) => (ch.delta.reasoning_content ? 'r' : ch.delta.content ? 'c' : '-'))).join('');
}

describe('Kimi simulator: reasoning on K3, K2.7 Code and K2.6', () => {
  let sim!: KimiSimulator;
  simulatorPerSuite((s) => (sim = s));

  async function stream(body: Record<string, unknown>): Promise<ChunkJson[]> {
    const call = await callSim(sim, '/chat/completions', { ...body, stream: true });
    assert.equal(call.status, 200, call.text);
    return sseChunks(call.text).chunks;
  }

  it('streams reasoning before content on K3 and K2.7 Code, in partial mode too, never repeating the prefix', async () => {
    for (const model of ['kimi-k3', 'kimi-k2.7-code', 'kimi-k2.7-code-highspeed']) {
      sim.reply({ reasoning: 'think first', content: ' return a + b; }' }, { times: 2 });
      assert.match(deltaKinds(await stream({ model, messages: [user('add')] })), /^-r+c+-$/, model);
      const chunks = await stream({ model, messages: [user('add'), partial('function add(a, b) {')] });
      assert.match(deltaKinds(chunks), /^-r+c+-$/, `${model} partial`);
      assert.deepEqual(joinDeltas(chunks), { reasoning: 'think first', content: ' return a + b; }' });
    }
  });

  it('ends after the reasoning with no content when scripted (endAfterReasoning)', async () => {
    sim.reply({ reasoning: 'nothing to add', content: 'ignored', endAfterReasoning: true });
    const chunks = await stream({ model: 'kimi-k3', messages: [user('x'), partial('const a = ')], reasoning_effort: 'low', max_completion_tokens: 256 });
    assert.deepEqual(joinDeltas(chunks), { reasoning: 'nothing to add', content: '' });
    assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'stop');
  });

  it('by default ends a documented share of partial-mode replies on always-reasoning models with no content, the same way for the same prompt', async () => {
    const prompts = Array.from({ length: 64 }, (_, i) => [user(`complete ${i}`), partial(`const v${i} = `)]);
    let empty = 0;
    for (const messages of prompts) {
      const expected = promptFraction(serializePrompt(messages)) < DEFAULT_EMPTY_CONTINUATION_RATE;
      const first = joinDeltas(await stream({ model: 'kimi-k2.7-code', messages }));
      const again = joinDeltas(await stream({ model: 'kimi-k2.7-code', messages }));
      assert.equal(first.content, expected ? '' : DEFAULT_CONTINUATION);
      assert.deepEqual(again, first, 'deterministic per prompt');
      assert.ok(first.reasoning.length > 0);
      empty += expected ? 1 : 0;
    }
    assert.ok(empty >= 2 && empty <= 20, `${empty} of 64 prompts ended with no content`);
    // K2.6 can turn thinking off, so it is not an always-reasoning model: it always continues.
    for (const messages of prompts) {
      assert.equal(joinDeltas(await stream({ model: 'kimi-k2.6', messages })).content, DEFAULT_CONTINUATION);
    }
  });

  it('takes the empty-continuation rate as an option (0 never, 1 always)', async () => {
    const messages = [user('x'), partial('let y = ')];
    for (const [rate, content] of [[0, DEFAULT_CONTINUATION], [1, '']] as const) {
      const other = await startSimulator({ emptyContinuationRate: rate });
      try {
        const call = await callSim(other, '/chat/completions', { model: 'kimi-k3', messages, max_completion_tokens: 512 });
        assert.equal(JSON.parse(call.text).choices[0].message.content, content, `rate ${rate}`);
      } finally {
        await other.close();
      }
    }
  });

  it('bills reasoning as output: completion_tokens includes reasoning_tokens (K3, like the live capture)', async function () {
    skipWithoutRecordings(this, 'kimi-2026/kimi-k3-live-2026-08-24.json');
    sim.reply({ reasoning: 'r'.repeat(40), content: 'c'.repeat(20) });
    const reply = JSON.parse((await callSim(sim, '/chat/completions', { model: 'kimi-k3', messages: [user('17*19?')], max_completion_tokens: 100 })).text);
    assert.equal(reply.usage.completion_tokens_details.reasoning_tokens, 10);
    assert.equal(reply.usage.completion_tokens, 15);
    assert.equal(reply.usage.total_tokens, reply.usage.prompt_tokens + 15);
    const live = JSON.parse(loadRecording('kimi-2026/kimi-k3-live-2026-08-24.json').bodyText ?? '{}');
    assert.deepEqual(Object.keys(reply.usage).filter((k) => k !== 'cached_tokens' && k !== 'prompt_tokens_details'), ['prompt_tokens', 'completion_tokens', 'total_tokens', 'completion_tokens_details']);
    assert.ok(live.usage.completion_tokens > live.usage.completion_tokens_details.reasoning_tokens, 'the capture bills reasoning inside completion_tokens too');
  });

  it('counts reasoning against the output limit: finish_reason length with no content when reasoning uses it up', async () => {
    sim.reply({ reasoning: 'r'.repeat(400), content: 'never reached' });
    const reply = JSON.parse((await callSim(sim, '/chat/completions', { model: 'kimi-k2.7-code', messages: [user('x')], max_tokens: 5 })).text);
    assert.equal(reply.choices[0].finish_reason, 'length');
    assert.equal(reply.choices[0].message.content, '');
    assert.equal(reply.choices[0].message.reasoning_content, 'r'.repeat(20));
    assert.equal(reply.usage.completion_tokens, 5);
    assert.equal(reply.usage.completion_tokens_details.reasoning_tokens, 5);
  });

  it('requires reasoning_content on earlier tool-call messages on K3, K2.7 Code and K2.6 with thinking on', async () => {
    const messages = [user('read it'), toolCall(), toolResult];
    for (const model of ['kimi-k3', 'kimi-k2.7-code', 'kimi-k2.6']) {
      const call = await callSim(sim, '/chat/completions', { model, messages });
      assert.equal(call.status, 400, model);
      assert.deepEqual(JSON.parse(call.text), {
        error: { message: 'thinking is enabled but reasoning_content is missing in assistant tool call message at index 1', type: 'invalid_request_error' },
      });
      const fixed = await callSim(sim, '/chat/completions', { model, messages: [user('read it'), toolCall('need the file'), toolResult] });
      assert.equal(fixed.status, 200, model);
    }
    const instant = await callSim(sim, '/chat/completions', { model: 'kimi-k2.6', messages, thinking: { type: 'disabled' } });
    assert.equal(instant.status, 200);
  });

  it('records on K3 whether every earlier assistant message replayed its reasoning, without rejecting', async () => {
    const send = async (model: string, messages: unknown[]): Promise<boolean | undefined> => {
      const call = await callSim(sim, '/chat/completions', { model, messages, max_completion_tokens: 256 });
      assert.equal(call.status, 200, call.text);
      return sim.requests.at(-1)?.reasoningReplayed;
    };
    const answered = (reasoning?: string): Record<string, unknown> => ({ role: 'assistant', content: 'Paris.', ...(reasoning === undefined ? {} : { reasoning_content: reasoning }) });
    assert.equal(await send('kimi-k3', [user('capital of France?')]), undefined, 'first turn: nothing to replay');
    assert.equal(await send('kimi-k3', [user('q1'), answered('recall'), user('q2'), toolCall('need file'), toolResult]), true);
    assert.equal(await send('kimi-k3', [user('q1'), answered(), user('q2')]), false, 'a plain answer without its reasoning');
    assert.equal(await send('kimi-k3', [user('q1'), answered(''), user('q2')]), false, 'an empty reasoning is not a replay');
    assert.equal(await send('kimi-k3', [user('q1'), answered('recall'), user('q2'), partial('The answer')]), true, 'the continued message is not an earlier one');
    assert.equal(await send('kimi-k2.6', [user('q1'), answered(), user('q2')]), undefined, 'K2.6 ignores earlier reasoning');
    const rejected = await callSim(sim, '/chat/completions', { model: 'kimi-k3', messages: [user('q'), answered()], temperature: 0.5 });
    assert.equal(rejected.status, 400);
    assert.equal(sim.requests.at(-1)?.reasoningReplayed, undefined, 'not recorded for a rejected request');
  });

  it('still replays the recorded K3 streams and answer, and the k2.5 ones, verbatim', async function () {
    skipWithoutRecordings(this, 'moonshotai-usage-live.chunks.txt', 'moonshotai-metadata-live.chunks.txt', 'moonshotai-stream.chunks.txt', 'kimi-2026/kimi-k3-live-2026-08-24.json');
    for (const [name, model] of [
      ['moonshotai-usage-live.chunks.txt', 'kimi-k3'],
      ['moonshotai-metadata-live.chunks.txt', 'kimi-k3'],
      ['moonshotai-stream.chunks.txt', 'kimi-k2.6'],
    ] as const) {
      sim.replay(name, { times: 1 });
      const call = await callSim(sim, '/chat/completions', { model, messages: [user('replay')], stream: true });
      assert.deepEqual(sseChunks(call.text).chunks.map((c) => JSON.stringify(c)), loadRecording(name).payloads.map((p) => JSON.stringify(JSON.parse(p))), name);
    }
    const live = 'kimi-2026/kimi-k3-live-2026-08-24.json';
    sim.replay(live, { times: 1 });
    const call = await callSim(sim, '/chat/completions', { model: 'kimi-k3', messages: [user('17*19?')] });
    assert.equal(call.text, loadRecording(live).bodyText);
  });
});
