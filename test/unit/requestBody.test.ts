import * as assert from 'node:assert/strict';
import type { ChatRequest } from '../../src/core/kimi/kimiTypes';
import { buildWireBody } from '../../src/core/kimi/requestBody';

const base: ChatRequest = {
  model: 'kimi-k2.5',
  messages: [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'complete' },
    { role: 'assistant', content: 'const x = ', partial: true },
  ],
  maxTokens: 64,
};

describe('wire body', () => {
  it('never sends sampling parameters, a boolean thinking or reasoning_effort', () => {
    for (const thinking of [true, false, undefined]) {
      const body = buildWireBody({ ...base, thinking }, 'moonshot', true);
      for (const forbidden of ['temperature', 'top_p', 'n', 'presence_penalty', 'frequency_penalty', 'reasoning_effort', 'partial']) {
        assert.ok(!(forbidden in body), `${forbidden} must not be sent`);
      }
      if (thinking !== undefined) {
        assert.deepEqual(body.thinking, { type: thinking ? 'enabled' : 'disabled' });
      } else {
        assert.ok(!('thinking' in body));
      }
    }
  });

  it('keeps partial mode on the last assistant message and asks for usage in streams', () => {
    const body = buildWireBody({ ...base, thinking: false }, 'moonshot', true);
    const messages = body.messages as { role: string; partial?: boolean }[];
    assert.equal(messages[messages.length - 1].partial, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.max_tokens, 64);
    assert.ok(!('stream_options' in buildWireBody(base, 'moonshot', false)));
  });

  it('speaks the vLLM/SGLang dialect and the omit dialect', () => {
    assert.deepEqual(buildWireBody({ ...base, thinking: false }, 'chatTemplateKwargs', true).chat_template_kwargs, { thinking: false });
    const omitted = buildWireBody({ ...base, thinking: false }, 'omit', true);
    assert.ok(!('thinking' in omitted) && !('chat_template_kwargs' in omitted));
  });

  it('sends tools, tool_choice and stop only when given', () => {
    const tools = [{ type: 'function' as const, function: { name: 'read_file', description: 'd', parameters: { type: 'object' } } }];
    const body = buildWireBody({ ...base, tools, toolChoice: 'auto', stop: ['\n\n'] }, 'moonshot', true);
    assert.deepEqual(body.tools, tools);
    assert.equal(body.tool_choice, 'auto');
    assert.deepEqual(body.stop, ['\n\n']);
    assert.ok(!('tools' in buildWireBody(base, 'moonshot', true)));
  });
});
