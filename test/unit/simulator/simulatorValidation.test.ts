import * as assert from 'node:assert/strict';
import { startSimulator, type KimiSimulator } from '../../support/simulator/kimiSimulator';
import { callSim } from '../../support/simulator/simClient';
import { DEFAULT_MODELS, OTHER_HOST_MODELS } from '../../support/simulator/simModels';
import type { SimModel } from '../../support/simulator/types';

const user = (content: unknown): Record<string, unknown> => ({ role: 'user', content });
const toolCallMessage = {
  role: 'assistant',
  content: '',
  tool_calls: [{ id: 'read_file_0', type: 'function', function: { name: 'read_file', arguments: '{}' } }],
};
/** An older model with an 8K window and free sampling, as a third-party host might list it. */
const legacy8k: SimModel = { id: 'legacy-8k', contextLength: 8192, supportsReasoning: false, supportsImageIn: false, supportsVideoIn: false };
const tool = (name: string): Record<string, unknown> => ({ type: 'function', function: { name, parameters: { type: 'object' } } });

describe('Kimi simulator: validation like Kimi', () => {
  let sim: KimiSimulator;
  before(async () => {
    sim = await startSimulator({ maxBodyBytes: 64 * 1024, models: [...DEFAULT_MODELS, ...OTHER_HOST_MODELS, legacy8k] });
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => sim.reset());

  async function expectError(body: unknown, status: number, type: string, message: RegExp | string): Promise<void> {
    const call = await callSim(sim, '/chat/completions', body);
    assert.equal(call.status, status, call.text);
    const parsed = JSON.parse(call.text);
    assert.equal(parsed.error.type, type, call.text);
    if (typeof message === 'string') {
      assert.equal(parsed.error.message, message);
    } else {
      assert.match(parsed.error.message, message);
    }
  }
  async function expectOk(body: Record<string, unknown>): Promise<void> {
    const call = await callSim(sim, '/chat/completions', body);
    assert.equal(call.status, 200, call.text);
  }
  const k26 = (extra: Record<string, unknown>): Record<string, unknown> => ({ model: 'kimi-k2.6', messages: [user('hi')], ...extra });

  it('enforces kimi-k2.6 fixed sampling with Kimi wording', async () => {
    await expectError(k26({ temperature: 0.7, thinking: { type: 'disabled' } }), 400, 'invalid_request_error', 'invalid temperature: only 0.6 is allowed for this model');
    await expectError(k26({ temperature: 0.6 }), 400, 'invalid_request_error', 'invalid temperature: only 1.0 is allowed for this model');
    await expectOk(k26({ temperature: 0.6, thinking: { type: 'disabled' } }));
    await expectOk(k26({ temperature: 1, top_p: 0.95, n: 1, presence_penalty: 0, frequency_penalty: 0 }));
    await expectError(k26({ top_p: 0.9 }), 400, 'invalid_request_error', /invalid top_p: only 0.95/);
    await expectError(k26({ n: 2 }), 400, 'invalid_request_error', /invalid n: only 1/);
    await expectError(k26({ presence_penalty: 0.5 }), 400, 'invalid_request_error', /invalid presence_penalty/);
    await expectError(k26({ frequency_penalty: 0.5 }), 400, 'invalid_request_error', /invalid frequency_penalty/);
  });

  it('accepts temperature in [0, 1] on older models only', async () => {
    await expectOk({ model: 'legacy-8k', messages: [user('hi')], temperature: 0.3 });
    await expectError({ model: 'legacy-8k', messages: [user('hi')], temperature: 1.5 }, 400, 'invalid_request_error', /temperature/);
  });

  it('rejects malformed thinking, thinking with reasoning_effort, and disabling an always-thinking model', async () => {
    await expectError(k26({ thinking: true }), 400, 'invalid_request_error', /thinking/);
    await expectError(k26({ thinking: { type: 'auto' } }), 400, 'invalid_request_error', /thinking\.type/);
    await expectError(k26({ thinking: { type: 'enabled' }, reasoning_effort: 'high' }), 400, 'invalid_request_error', /reasoning_effort/);
    await expectError({ model: 'kimi-k2.7-code', messages: [user('hi')], thinking: { type: 'disabled' } }, 400, 'invalid_request_error', 'invalid thinking: only type=enabled is allowed for this model');
    await expectOk({ model: 'kimi-k2.7-code', messages: [user('hi')] });
  });

  it('answers 404 resource_not_found_error for an unknown model', async () => {
    await expectError({ model: 'kimi-k9', messages: [user('hi')] }, 404, 'resource_not_found_error', 'Not found the model kimi-k9 or Permission denied');
    const count = await callSim(sim, '/tokenizers/estimate-token-count', { model: 'kimi-k9', messages: [user('hi')] });
    assert.equal(count.status, 404);
  });

  it('rejects empty messages, bad roles and non-JSON bodies', async () => {
    await expectError(k26({ messages: [] }), 400, 'invalid_request_error', /messages/);
    await expectError(k26({ messages: [{ role: 'robot', content: 'x' }] }), 400, 'invalid_request_error', /invalid role "robot" in message at index 0/);
    await expectError('{not json', 400, 'invalid_request_error', /JSON object/);
  });

  it('allows partial only on the last assistant message, and never with json_object', async () => {
    await expectError(k26({ messages: [{ role: 'assistant', content: 'x', partial: true }, user('hi')] }), 400, 'invalid_request_error', /partial/);
    await expectError(k26({ messages: [{ role: 'user', content: 'x', partial: true }] }), 400, 'invalid_request_error', /partial/);
    const partial = [user('hi'), { role: 'assistant', content: '{"a":', partial: true }];
    await expectError(k26({ messages: partial, response_format: { type: 'json_object' } }), 400, 'invalid_request_error', /partial/);
    await expectOk(k26({ messages: partial }));
  });

  it('allows only tool_choice auto/none with thinking on', async () => {
    const tools = [tool('read_file')];
    await expectError(k26({ tools, tool_choice: 'required' }), 400, 'invalid_request_error', /tool_choice/);
    await expectError(k26({ tools, tool_choice: { type: 'function', function: { name: 'read_file' } } }), 400, 'invalid_request_error', /tool_choice/);
    await expectOk(k26({ tools, tool_choice: 'auto' }));
    await expectOk(k26({ tools, tool_choice: 'required', thinking: { type: 'disabled' } }));
  });

  it('checks tool names and the 128-tool limit', async () => {
    await expectError(k26({ tools: [tool('1bad')] }), 400, 'invalid_request_error', /function name "1bad"/);
    await expectError(k26({ tools: [tool('ab')] }), 400, 'invalid_request_error', /function name/);
    await expectError(k26({ tools: [tool('has space')] }), 400, 'invalid_request_error', /function name/);
    await expectOk(k26({ tools: [tool('_ok-name_1')] }));
    const many = Array.from({ length: 129 }, (_, i) => tool(`tool_${i}`));
    await expectError(k26({ tools: many }), 400, 'invalid_request_error', /too many tools/);
  });

  it('requires reasoning_content on assistant tool-call history when thinking', async () => {
    const messages = [user('read it'), toolCallMessage, { role: 'tool', tool_call_id: 'read_file_0', content: 'data' }];
    await expectError(
      k26({ messages }),
      400,
      'invalid_request_error',
      'thinking is enabled but reasoning_content is missing in assistant tool call message at index 1',
    );
    await expectOk(k26({ messages, thinking: { type: 'disabled' } }));
    await expectOk(k26({ messages: [user('read it'), { ...toolCallMessage, reasoning_content: 'need the file' }, messages[2]] }));
  });

  it('rejects prompts plus max_tokens beyond the context window', async () => {
    const body = { model: 'legacy-8k', messages: [user('x'.repeat(4 * 7000))] };
    await expectOk(body);
    await expectError({ ...body, max_tokens: 2000 }, 400, 'invalid_request_error', 'Your request exceeded model token limit : 8192');
  });

  it('accepts base64 png/jpeg/webp/gif images (by their bytes) and rejects http URLs and other formats', async () => {
    const image = (url: string): Record<string, unknown> =>
      k26({ messages: [user([{ type: 'text', text: 'see' }, { type: 'image_url', image_url: { url } }])] });
    for (const format of ['png', 'jpeg', 'webp', 'gif']) {
      await expectOk(image(`data:image/${format};base64,iVBORw0KGgo=`));
    }
    await expectError(image('https://example.com/a.png'), 400, 'invalid_request_error', /http/);
    await expectError(image('data:image/bmp;base64,Qk0='), 400, 'invalid_request_error', 'Invalid request: unsupported image format: image/bmp');
    const turbo = { ...image('data:image/png;base64,iVBORw0KGgo='), model: 'kimi-k2.7-code' };
    await expectError(turbo, 400, 'invalid_request_error', /does not support image/);
  });

  it('rejects bodies over the size limit with 413 and still records them', async () => {
    const call = await callSim(sim, '/chat/completions', k26({ messages: [user('y'.repeat(70 * 1024))] }));
    assert.equal(call.status, 413);
    assert.equal(JSON.parse(call.text).error.type, 'invalid_request_error');
    const recorded = await sim.waitForRequest((r) => r.status === 413);
    assert.ok(recorded.bodyBytes > 64 * 1024);
    assert.equal(recorded.body, undefined);
  });

  it('records rejected requests with their status', async () => {
    await callSim(sim, '/chat/completions', k26({ top_p: 0.5 }));
    assert.equal(sim.requests.length, 1);
    const [recorded] = sim.requests;
    assert.equal(recorded.status, 400);
    assert.equal(recorded.method, 'POST');
    assert.equal(recorded.path, '/v1/chat/completions');
    assert.equal(recorded.body?.top_p, 0.5);
    assert.equal(recorded.headers['content-type'], 'application/json');
    await sim.waitForClose(recorded);
    assert.ok(recorded.completed);
    assert.equal(recorded.closedByClient, false);
  });
});
