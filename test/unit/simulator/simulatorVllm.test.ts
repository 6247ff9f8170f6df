import * as assert from 'node:assert/strict';
import { startSimulator, type KimiSimulator } from '../../support/simulator/kimiSimulator';
import { DEFAULT_ANSWER, DEFAULT_CONTINUATION } from '../../support/simulator/replyPlan';
import { callSim } from '../../support/simulator/simClient';

// A self-hosted vLLM / SGLang server (flavor 'vllm') against Moonshot's API (the default): how
// each one continues an assistant message and switches thinking.

const user = (content: string): Record<string, unknown> => ({ role: 'user', content });
const prefix = 'function add(a, b) {';
const continued = [user('complete'), { role: 'assistant', content: prefix }];

async function message(sim: KimiSimulator, body: Record<string, unknown>): Promise<{ content: string; reasoning_content?: string }> {
  const call = await callSim(sim, '/chat/completions', { model: 'kimi-k2.6', ...body });
  assert.equal(call.status, 200, call.text);
  return JSON.parse(call.text).choices[0].message;
}

describe('Kimi simulator: the vLLM / SGLang flavour', () => {
  let vllm: KimiSimulator;
  let official: KimiSimulator;
  before(async () => {
    vllm = await startSimulator({ flavor: 'vllm' });
    official = await startSimulator();
  });
  after(async () => {
    await vllm.close();
    await official.close();
  });

  it('continues the final assistant message with continue_final_message and add_generation_prompt: false', async () => {
    const reply = await message(vllm, { messages: continued, continue_final_message: true, add_generation_prompt: false, chat_template_kwargs: { thinking: false } });
    assert.equal(reply.content, DEFAULT_CONTINUATION);
    assert.equal(reply.reasoning_content, undefined);
  });

  it('does not read Moonshot\'s partial: true (a fresh answer)', async () => {
    const reply = await message(vllm, { messages: [user('complete'), { role: 'assistant', content: prefix, partial: true }] });
    assert.equal(reply.content, DEFAULT_ANSWER);
  });

  it('refuses continue_final_message with add_generation_prompt true (vLLM\'s words and error shape) or left at its default', async () => {
    const both = await callSim(vllm, '/chat/completions', { model: 'kimi-k2.6', messages: continued, continue_final_message: true, add_generation_prompt: true });
    assert.equal(both.status, 400);
    assert.deepEqual(JSON.parse(both.text), {
      error: { message: 'Cannot set both `continue_final_message` and `add_generation_prompt` to True.', type: 'BadRequestError', param: null, code: 400 },
    });
    const implicit = await callSim(vllm, '/chat/completions', { model: 'kimi-k2.6', messages: continued, continue_final_message: true });
    assert.equal(implicit.status, 400);
    assert.match(JSON.parse(implicit.text).error.message, /add_generation_prompt/);
    const notAssistant = await callSim(vllm, '/chat/completions', { model: 'kimi-k2.6', messages: [user('x')], continue_final_message: true, add_generation_prompt: false });
    assert.equal(notAssistant.status, 400);
  });

  it('switches thinking through chat_template_kwargs, not the thinking field', async () => {
    assert.equal((await message(vllm, { messages: [user('hi')], chat_template_kwargs: { thinking: false } })).reasoning_content, undefined);
    assert.equal(typeof (await message(vllm, { messages: [user('hi')], thinking: { type: 'disabled' } })).reasoning_content, 'string');
    assert.equal(typeof (await message(vllm, { messages: [user('hi')] })).reasoning_content, 'string', 'the template default is on');
  });

  it('lists models as vLLM does: max_model_len, no capability fields', async () => {
    const list = JSON.parse((await callSim(vllm, '/models')).text);
    const k3 = list.data.find((m: { id: string }) => m.id === 'kimi-k3');
    assert.deepEqual({ ...k3, created: 0 }, { id: 'kimi-k3', object: 'model', created: 0, owned_by: 'moonpilot-simulator', root: 'kimi-k3', parent: null, max_model_len: 1048576 });
  });

  it('refuses a wrong key as vLLM\'s --api-key check does', async () => {
    const call = await callSim(vllm, '/chat/completions', { model: 'kimi-k2.6', messages: [user('hi')] }, { key: 'sk-wrong' });
    assert.equal(call.status, 401);
    assert.deepEqual(JSON.parse(call.text), { error: 'Unauthorized' });
  });

  it('takes free sampling and answers an unknown model as vLLM does', async () => {
    assert.equal((await message(vllm, { messages: [user('hi')], temperature: 0.7, top_p: 0.8 })).content, DEFAULT_ANSWER);
    const unknown = await callSim(vllm, '/chat/completions', { model: 'kimi-k2.5', messages: [user('hi')] });
    assert.equal(unknown.status, 404);
    assert.deepEqual(JSON.parse(unknown.text), { error: { message: 'The model `kimi-k2.5` does not exist.', type: 'NotFoundError', param: null, code: 404 } });
  });

  it('on the official API, continue_final_message is not a partial-mode switch (ignored: a fresh answer)', async () => {
    const reply = await message(official, { messages: continued, continue_final_message: true, add_generation_prompt: false, thinking: { type: 'disabled' } });
    assert.equal(reply.content, DEFAULT_ANSWER);
  });
});
