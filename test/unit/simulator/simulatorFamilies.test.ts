import * as assert from 'node:assert/strict';
import { startSimulator, type KimiSimulator } from '../../support/simulator/kimiSimulator';
import { callSim } from '../../support/simulator/simClient';
import { DEFAULT_MODELS, describeModel, K3_1_PRO_MODELS, OTHER_HOST_MODELS, RETIRED_MODEL_IDS } from '../../support/simulator/simModels';
import { loadRecording } from '../../support/simulator/sseRecordings';
import { promptTokens } from '../../support/simulator/tokenEstimate';
import { skipWithoutRecordings } from '../helpers/skipWithoutRecordings';
import { simulatorPerSuite } from '../helpers/simulatorPerSuite';

// Kimi's models of December 2026 (../shared/notes/kimi-api.md, first section): the lineup, the
// 404 for retired ids, and each family's request rules, with Kimi's error bodies byte for byte
// where ../shared/data/sse/kimi-2026/ has them.

const user = (content: unknown): Record<string, unknown> => ({ role: 'user', content });
const body = (model: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ model, messages: [user('hi')], ...extra });
const tools = [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } }];

describe('Kimi simulator: the December 2026 lineup and per-family rules', () => {
  let sim!: KimiSimulator;
  simulatorPerSuite((s) => (sim = s));

  async function status(request: unknown): Promise<number> {
    return (await callSim(sim, '/chat/completions', request)).status;
  }
  async function expectError(request: unknown, message: string | RegExp, statusCode = 400): Promise<void> {
    const call = await callSim(sim, '/chat/completions', request);
    assert.equal(call.status, statusCode, call.text);
    const error = JSON.parse(call.text).error;
    assert.equal(error.type, statusCode === 404 ? 'resource_not_found_error' : 'invalid_request_error', call.text);
    if (typeof message === 'string') {
      assert.equal(error.message, message);
    } else {
      assert.match(error.message, message);
    }
  }
  /** The simulator's answer to `request` is the recorded 2026 error body, byte for byte. */
  async function expectRecordedError(request: unknown, recording: string): Promise<void> {
    const call = await callSim(sim, '/chat/completions', request);
    assert.equal(call.status, 400, call.text);
    const recorded = loadRecording(recording).bodyText ?? '';
    assert.equal(call.text, JSON.stringify(JSON.parse(recorded)));
  }

  it('lists exactly the four official ids with their windows and media', async () => {
    const list = JSON.parse((await callSim(sim, '/models')).text) as { data: Array<Record<string, unknown>> };
    const summary = list.data.map((m) => [m.id, m.context_length, m.supports_reasoning, m.supports_image_in, m.supports_video_in]);
    assert.deepEqual(summary, [
      ['kimi-k3', 1048576, true, true, true],
      ['kimi-k2.7-code', 262144, true, false, false],
      ['kimi-k2.7-code-highspeed', 262144, true, false, false],
      ['kimi-k2.6', 262144, true, true, true],
    ]);
  });

  it('describes the lineup the way npm run simulator prints it', () => {
    assert.deepEqual(DEFAULT_MODELS.map(describeModel), [
      'kimi-k3                    1,048,576 tokens, reasoning_effort low/high/max (default max), images+video',
      'kimi-k2.7-code               262,144 tokens, always thinks, text only',
      'kimi-k2.7-code-highspeed     262,144 tokens, always thinks, text only',
      'kimi-k2.6                    262,144 tokens, thinking on/off (default on), images+video',
    ]);
  });

  it('answers Kimi 404 for every retired id and for unknown ids', async () => {
    for (const id of [...RETIRED_MODEL_IDS, 'kimi-k3.1-pro', 'kimi-k9']) {
      await expectError(body(id), `Not found the model ${id} or Permission denied`, 404);
    }
    assert.ok(RETIRED_MODEL_IDS.includes('kimi-k2.5') && RETIRED_MODEL_IDS.includes('moonshot-v1-8k') && RETIRED_MODEL_IDS.includes('kimi-latest'));
  });

  it('serves K3.1 Pro only when a test adds it, with K3 rules', async () => {
    const pro = await startSimulator({ models: [...DEFAULT_MODELS, ...K3_1_PRO_MODELS] });
    try {
      const ids = (JSON.parse((await callSim(pro, '/models')).text).data as Array<{ id: string }>).map((m) => m.id);
      assert.deepEqual(ids.slice(4), ['kimi-k3.1-pro', 'kimi-k3.1-pro-highspeed']);
      assert.equal((await callSim(pro, '/chat/completions', body('kimi-k3.1-pro', { reasoning_effort: 'low' }))).status, 200);
      assert.equal((await callSim(pro, '/chat/completions', body('kimi-k3.1-pro', { thinking: { type: 'enabled' } }))).status, 400);
    } finally {
      await pro.close();
    }
  });

  it('serves other hosts\' model lists a test configures (an older K2 id, a model without reasoning)', async () => {
    const host = await startSimulator({ models: OTHER_HOST_MODELS });
    try {
      const k25 = JSON.parse((await callSim(host, '/chat/completions', body('moonshotai/kimi-k2.5'))).text);
      assert.equal(typeof k25.choices[0].message.reasoning_content, 'string');
      const plain = await callSim(host, '/chat/completions', body('acme/coder-7b', { thinking: { type: 'enabled' } }));
      assert.equal(plain.status, 400, 'a model without reasoning cannot think');
      assert.equal((await callSim(host, '/chat/completions', body('kimi-k3'))).status, 404);
    } finally {
      await host.close();
    }
  });

  describe('K3', () => {
    it('takes reasoning_effort low / high / max, nothing else', async () => {
      for (const effort of ['low', 'high', 'max']) {
        assert.equal(await status(body('kimi-k3', { reasoning_effort: effort })), 200, effort);
      }
      assert.equal(await status(body('kimi-k3')), 200, 'the default effort (max)');
      await expectError(body('kimi-k3', { reasoning_effort: 'medium' }), 'invalid reasoning_effort: only low, high, max is allowed for this model');
    });

    it('refuses a thinking field, enabled or disabled (undocumented: strict)', async () => {
      for (const type of ['enabled', 'disabled']) {
        await expectError(body('kimi-k3', { thinking: { type } }), /^invalid thinking: .*reasoning_effort/);
      }
    });

    it('accepts only temperature 1 (Kimi\'s recorded refusal) and no other sampling values', async function () {
      skipWithoutRecordings(this, 'kimi-2026/kimi-k3-temperature-rejection.json');
      await expectRecordedError(body('kimi-k3', { temperature: 0.7 }), 'kimi-2026/kimi-k3-temperature-rejection.json');
      assert.equal(await status(body('kimi-k3', { temperature: 1, top_p: 0.95, n: 1 })), 200);
      await expectError(body('kimi-k3', { top_p: 0.5 }), 'invalid top_p: only 0.95 is allowed for this model');
      await expectError(body('kimi-k3', { presence_penalty: 0.2 }), /invalid presence_penalty/);
    });

    it('allows tool_choice "required"', async () => {
      assert.equal(await status(body('kimi-k3', { tools, tool_choice: 'required' })), 200);
      await expectError(body('kimi-k3', { tools, tool_choice: { type: 'function', function: { name: 'read_file' } } }), /^tool_choice .* is incompatible with thinking enabled$/);
    });

    it('counts its 131,072-token default output limit against the window', async () => {
      const window = 1048576;
      const fill = (tokens: number): Record<string, unknown> => body('kimi-k3', { messages: [user('x'.repeat(4 * tokens))] });
      // About 1,000,000 prompt tokens: fits the window alone, not with the default output limit.
      const big = fill(1_000_000);
      const prompt = promptTokens(big.messages as unknown[]);
      assert.ok(prompt < window && prompt + 131072 > window);
      await expectError(big, `Your request exceeded model token limit : ${window}`);
      assert.equal(await status({ ...big, max_completion_tokens: 1024 }), 200);
    });
  });

  describe('K2.7 Code', () => {
    it('refuses thinking disabled with Kimi\'s recorded body, on both ids', async function () {
      skipWithoutRecordings(this, 'kimi-2026/kimi-k2.7-disabled-thinking-error.json');
      for (const model of ['kimi-k2.7-code', 'kimi-k2.7-code-highspeed']) {
        await expectRecordedError(body(model, { thinking: { type: 'disabled' } }), 'kimi-2026/kimi-k2.7-disabled-thinking-error.json');
        assert.equal(await status(body(model, { thinking: { type: 'enabled' } })), 200);
      }
    });

    it('refuses reasoning_effort and sampling values other than the fixed ones', async () => {
      await expectError(body('kimi-k2.7-code', { reasoning_effort: 'low' }), /^invalid reasoning_effort/);
      await expectError(body('kimi-k2.7-code', { temperature: 0.6 }), 'invalid temperature: only 1.0 is allowed for this model');
    });

    it('refuses tool_choice "required" with Kimi\'s recorded body (it always thinks)', async function () {
      skipWithoutRecordings(this, 'kimi-2026/required-tool-choice-error.json');
      await expectRecordedError(body('kimi-k2.7-code', { tools, tool_choice: 'required' }), 'kimi-2026/required-tool-choice-error.json');
    });

    it('counts a default output limit against the window (undocumented: 32,768 assumed)', async () => {
      const big = body('kimi-k2.7-code', { messages: [user('x'.repeat(4 * 240_000))] });
      await expectError(big, 'Your request exceeded model token limit : 262144');
      assert.equal(await status({ ...big, max_tokens: 64 }), 200);
    });
  });

  describe('K2.6', () => {
    it('switches thinking (default on) and fixes sampling at 1.0 thinking / 0.6 instant', async function () {
      skipWithoutRecordings(this, 'kimi-2026/unsupported-sampling-error.json');
      const on = JSON.parse((await callSim(sim, '/chat/completions', body('kimi-k2.6'))).text);
      assert.equal(typeof on.choices[0].message.reasoning_content, 'string');
      await expectRecordedError(body('kimi-k2.6', { thinking: { type: 'disabled' }, temperature: 0.7 }), 'kimi-2026/unsupported-sampling-error.json');
      assert.equal(await status(body('kimi-k2.6', { thinking: { type: 'disabled' }, temperature: 0.6 })), 200);
      await expectError(body('kimi-k2.6', { temperature: 0.6 }), 'invalid temperature: only 1.0 is allowed for this model');
    });

    it('refuses reasoning_effort, and thinking.keep other than "all"', async () => {
      await expectError(body('kimi-k2.6', { reasoning_effort: 'low' }), /^invalid reasoning_effort/);
      assert.equal(await status(body('kimi-k2.6', { thinking: { type: 'enabled', keep: 'all' } })), 200);
      await expectError(body('kimi-k2.6', { thinking: { type: 'enabled', keep: 'some' } }), /thinking\.keep/);
      await expectError(body('kimi-k2.7-code', { thinking: { type: 'enabled', keep: 'all' } }), /thinking\.keep/);
    });

    it('refuses tool_choice "required" with thinking on, allows it with thinking off', async function () {
      skipWithoutRecordings(this, 'kimi-2026/required-tool-choice-error.json');
      await expectRecordedError(body('kimi-k2.6', { tools, tool_choice: 'required' }), 'kimi-2026/required-tool-choice-error.json');
      assert.equal(await status(body('kimi-k2.6', { tools, tool_choice: 'required', thinking: { type: 'disabled' } })), 200);
    });

    it('does not read chat_template_kwargs (a vLLM field) on the official API', async () => {
      const reply = JSON.parse((await callSim(sim, '/chat/completions', body('kimi-k2.6', { chat_template_kwargs: { thinking: false } }))).text);
      assert.equal(typeof reply.choices[0].message.reasoning_content, 'string', 'thinking stays at its default (on)');
    });
  });

  it('accepts max_completion_tokens or max_tokens, not both (undocumented: strict)', async () => {
    sim.reply({ content: 'a'.repeat(400), reasoning: '' });
    for (const name of ['max_completion_tokens', 'max_tokens']) {
      const reply = JSON.parse((await callSim(sim, '/chat/completions', body('kimi-k2.6', { [name]: 10, thinking: { type: 'disabled' } }))).text);
      assert.equal(reply.choices[0].finish_reason, 'length', name);
      assert.equal(reply.usage.completion_tokens, 10, name);
    }
    await expectError(body('kimi-k2.6', { max_tokens: 10, max_completion_tokens: 10 }), /max_completion_tokens or max_tokens, not both/);
    await expectError(body('kimi-k2.6', { max_completion_tokens: 0 }), 'Invalid request: max_completion_tokens must be a positive integer');
  });

  it('breaks the cached prefix when the model or reasoning_effort changes, not when tool_choice does', async () => {
    const system = { role: 'system', content: 'workspace file '.repeat(400) };
    const ask = async (model: string, extra: Record<string, unknown>): Promise<number> => {
      const question = user(`question ${sim.requests.length}`);
      const reply = JSON.parse((await callSim(sim, '/chat/completions', { model, messages: [system, question], tools, max_completion_tokens: 256, ...extra })).text);
      return reply.usage.cached_tokens ?? 0;
    };
    assert.equal(await ask('kimi-k3', { reasoning_effort: 'low' }), 0, 'cold');
    assert.ok((await ask('kimi-k3', { reasoning_effort: 'low' })) >= 1280, 'same model and effort: hit');
    assert.ok((await ask('kimi-k3', { reasoning_effort: 'low', tool_choice: 'required' })) >= 1280, 'tool_choice changed: still a hit');
    assert.equal(await ask('kimi-k3', { reasoning_effort: 'high' }), 0, 'effort changed: miss');
    assert.equal(await ask('kimi-k2.6', {}), 0, 'model changed: miss');
    assert.ok((await ask('kimi-k2.6', {})) >= 1280);
  });

  it('refuses images and video on K2.7 Code (unconfirmed: strict), and an SVG with Kimi\'s recorded body', async function () {
    skipWithoutRecordings(this, 'kimi-2026/unsupported-svg-error.json');
    const image = (model: string, url: string): Record<string, unknown> =>
      body(model, { messages: [user([{ type: 'text', text: 'see' }, { type: 'image_url', image_url: { url } }])] });
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    assert.equal(await status(image('kimi-k3', png)), 200);
    await expectError(image('kimi-k2.7-code', png), /does not support image input/);
    const svg = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>').toString('base64')}`;
    await expectRecordedError(image('kimi-k2.6', svg), 'kimi-2026/unsupported-svg-error.json');
    const video = body('kimi-k2.7-code', { messages: [user([{ type: 'video_url', video_url: { url: 'data:video/mp4;base64,AAAA' } }])] });
    await expectError(video, /does not support video input/);
    assert.equal(await status({ ...video, model: 'kimi-k3' }), 200);
  });
});
