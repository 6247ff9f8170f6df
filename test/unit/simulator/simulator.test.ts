import * as assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startSimulator, type KimiSimulator } from '../../support/simulator/kimiSimulator';
import { DEFAULT_ANSWER, DEFAULT_CONTINUATION } from '../../support/simulator/replyPlan';
import { OTHER_HOST_MODELS } from '../../support/simulator/simModels';
import { callSim, joinDeltas, sseChunks } from '../../support/simulator/simClient';
import { promptTokens } from '../../support/simulator/tokenEstimate';
import { simulatorPerSuite } from '../helpers/simulatorPerSuite';

const user = (content: string): { role: string; content: string } => ({ role: 'user', content });
const chat = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: 'kimi-k2.6',
  messages: [user('Say OK')],
  ...extra,
});

describe('Kimi simulator: wire format', () => {
  let sim!: KimiSimulator;
  simulatorPerSuite((s) => (sim = s));

  it('listens on 127.0.0.1 with a /v1 base URL', () => {
    assert.match(sim.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.equal(sim.baseUrl, `http://127.0.0.1:${sim.port}/v1`);
  });

  it('streams Kimi-shaped chunks: role first, reasoning before content, usage in both places, [DONE]', async () => {
    const call = await callSim(sim, '/chat/completions', chat({ stream: true, stream_options: { include_usage: true } }));
    assert.equal(call.status, 200);
    assert.match(call.contentType, /^text\/event-stream/);
    assert.ok(call.text.endsWith('data: [DONE]\n\n'));
    const { chunks, done } = sseChunks(call.text);
    assert.ok(done);
    const [first] = chunks;
    assert.deepEqual(Object.keys(first), ['id', 'object', 'created', 'model', 'choices']);
    assert.equal(first.object, 'chat.completion.chunk');
    assert.equal(first.model, 'kimi-k2.6');
    assert.deepEqual(first.choices[0], { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null });
    assert.ok(chunks.every((c) => c.id === first.id && c.created === first.created));
    const kinds = chunks.flatMap((c) => c.choices.map((ch) => (ch.delta.reasoning_content ? 'r' : ch.delta.content ? 'c' : '-')));
    assert.match(kinds.join(''), /^-r+c+-$/);
    const finishing = chunks[chunks.length - 2];
    const trailer = chunks[chunks.length - 1];
    assert.equal(finishing.choices[0].finish_reason, 'stop');
    assert.deepEqual(trailer.choices, []);
    assert.deepEqual(trailer.usage, finishing.choices[0].usage);
    const usage = trailer.usage!;
    const expectedPrompt = promptTokens([user('Say OK')]);
    assert.equal(usage.prompt_tokens, expectedPrompt);
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    assert.ok(usage.completion_tokens_details!.reasoning_tokens > 0);
    assert.equal(usage.cached_tokens, undefined);
    assert.equal(joinDeltas(chunks).content, DEFAULT_ANSWER);
  });

  it('sends the usage only on the finishing chunk without include_usage', async () => {
    const { chunks } = sseChunks((await callSim(sim, '/chat/completions', chat({ stream: true }))).text);
    const last = chunks[chunks.length - 1];
    assert.equal(last.choices[0].finish_reason, 'stop');
    assert.ok(last.choices[0].usage);
    assert.equal(last.usage, undefined);
  });

  it('answers non-streaming requests with chat.completion, reasoning_content and usage', async () => {
    const call = await callSim(sim, '/chat/completions', chat());
    const body = JSON.parse(call.text);
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.choices[0].message.role, 'assistant');
    assert.equal(body.choices[0].message.content, DEFAULT_ANSWER);
    assert.equal(typeof body.choices[0].message.reasoning_content, 'string');
    assert.equal(body.choices[0].finish_reason, 'stop');
    assert.equal(body.usage.prompt_tokens, promptTokens([user('Say OK')]));
  });

  it('sends no reasoning when thinking is disabled', async () => {
    const { chunks } = sseChunks((await callSim(sim, '/chat/completions', chat({ stream: true, thinking: { type: 'disabled' } }))).text);
    assert.equal(joinDeltas(chunks).reasoning, '');
    assert.equal(joinDeltas(chunks).content, DEFAULT_ANSWER);
    const plain = await startSimulator({ models: OTHER_HOST_MODELS });
    try {
      const reply = JSON.parse((await callSim(plain, '/chat/completions', chat({ model: 'acme/coder-7b' }))).text);
      assert.equal(reply.choices[0].message.reasoning_content, undefined);
    } finally {
      await plain.close();
    }
  });

  it('continues a partial assistant message without repeating the prefix', async () => {
    const prefix = 'function add(a, b) {';
    const messages = [user('complete'), { role: 'assistant', content: prefix, partial: true }];
    const call = await callSim(sim, '/chat/completions', chat({ messages, thinking: { type: 'disabled' }, stream: true }));
    const { content } = joinDeltas(sseChunks(call.text).chunks);
    assert.equal(content, DEFAULT_CONTINUATION);
    assert.ok(!content.includes(prefix));
    sim.reply({ content: ' return a + b; }' });
    const scripted = JSON.parse((await callSim(sim, '/chat/completions', chat({ messages }))).text);
    assert.equal(scripted.choices[0].message.content, ' return a + b; }');
  });

  it('ignores a top-level partial field: the model writes a fresh reply', async () => {
    const body = chat({ messages: [user('x'), { role: 'assistant', content: 'abc' }], partial: true });
    const reply = JSON.parse((await callSim(sim, '/chat/completions', body)).text);
    assert.equal(reply.choices[0].message.content, DEFAULT_ANSWER);
  });

  it('cuts at max_tokens with finish_reason length and at stop sequences with stop', async () => {
    sim.reply({ content: 'one two three four five six seven eight', reasoning: 'r'.repeat(8) });
    const cut = JSON.parse((await callSim(sim, '/chat/completions', chat({ max_tokens: 4 }))).text);
    assert.equal(cut.choices[0].finish_reason, 'length');
    assert.equal(cut.choices[0].message.reasoning_content, 'rrrrrrrr');
    assert.equal(cut.choices[0].message.content, 'one two ');
    assert.equal(cut.usage.completion_tokens, 4);
    const stopped = JSON.parse((await callSim(sim, '/chat/completions', chat({ stop: ['four', 'six'] }))).text);
    assert.equal(stopped.choices[0].finish_reason, 'stop');
    assert.equal(stopped.choices[0].message.content, 'one two three ');
  });

  it('serves /v1/models with capabilities, and 404 when disabled', async () => {
    const list = JSON.parse((await callSim(sim, '/models')).text);
    assert.equal(list.object, 'list');
    const k26 = list.data.find((m: { id: string }) => m.id === 'kimi-k2.6');
    assert.deepEqual(
      { ...k26, created: 0 },
      { id: 'kimi-k2.6', object: 'model', created: 0, owned_by: 'moonpilot-simulator', context_length: 262144, supports_reasoning: true, supports_image_in: true, supports_video_in: true },
    );
    assert.deepEqual(list.data.map((m: { id: string }) => m.id), ['kimi-k3', 'kimi-k2.7-code', 'kimi-k2.7-code-highspeed', 'kimi-k2.6']);
    const bare = await startSimulator({ modelsEndpoint: false, models: [{ id: 'x-model', contextLength: 1000, supportsReasoning: false, supportsImageIn: false, supportsVideoIn: false }] });
    try {
      assert.equal((await callSim(bare, '/models')).status, 404);
      const ok = await callSim(bare, '/chat/completions', { model: 'x-model', messages: [user('hi')] });
      assert.equal(ok.status, 200);
    } finally {
      await bare.close();
    }
  });

  it('estimates token counts with the same estimate as prompt_tokens', async () => {
    const messages = [{ role: 'system', content: 'You are helpful.' }, user('Count me, please: ünïcödé')];
    const call = await callSim(sim, '/tokenizers/estimate-token-count', { model: 'kimi-k2.6', messages });
    assert.deepEqual(JSON.parse(call.text), { data: { total_tokens: promptTokens(messages) } });
    const completion = JSON.parse((await callSim(sim, '/chat/completions', chat({ messages }))).text);
    assert.equal(completion.usage.prompt_tokens, promptTokens(messages));
  });

  it('requires the bearer key on every endpoint', async () => {
    const invalid = { error: { message: 'Invalid Authentication', type: 'invalid_authentication_error' } };
    for (const [path, body] of [['/models', undefined], ['/chat/completions', chat()], ['/tokenizers/estimate-token-count', chat()]] as const) {
      for (const key of [null, 'sk-wrong']) {
        const call = await callSim(sim, path, body, { key });
        assert.equal(call.status, 401, `${path} with ${key}`);
        assert.deepEqual(JSON.parse(call.text), invalid);
      }
    }
    const any = await startSimulator({ acceptAnyKey: true });
    try {
      assert.equal((await callSim(any, '/models', undefined, { key: 'sk-whatever' })).status, 200);
      assert.equal((await callSim(any, '/models', undefined, { key: null })).status, 401);
    } finally {
      await any.close();
    }
  });

  it('reports prefix-cache hits in cached_tokens and prompt_tokens_details', async () => {
    const system = { role: 'system', content: 'workspace file '.repeat(400) };
    const first = JSON.parse((await callSim(sim, '/chat/completions', chat({ messages: [system, user('q1')] }))).text);
    assert.equal(first.usage.cached_tokens, undefined);
    assert.equal(first.usage.prompt_tokens_details, undefined);
    const second = JSON.parse((await callSim(sim, '/chat/completions', chat({ messages: [system, user('q2 longer')], temperature: 1 }))).text);
    assert.ok(second.usage.cached_tokens >= 1280 && second.usage.cached_tokens % 256 === 0, JSON.stringify(second.usage));
    assert.deepEqual(second.usage.prompt_tokens_details, { cached_tokens: second.usage.cached_tokens });
  });

  it('works with the openai SDK (stream with reasoning_content extra field)', async () => {
    const client = new OpenAI({ baseURL: sim.baseUrl, apiKey: sim.apiKey, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'kimi-k2.6', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let content = '';
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? '';
    }
    assert.equal(content, DEFAULT_ANSWER);
    const recorded = await sim.waitForRequest((r) => r.path === '/v1/chat/completions');
    assert.equal(recorded.headers.authorization, `Bearer ${sim.apiKey}`);
    assert.equal(recorded.body?.stream, true);
  });
});
