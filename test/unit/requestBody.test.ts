import * as assert from 'node:assert/strict';
import type { ChatRequest } from '../../src/core/kimi/kimiTypes';
import { CompletionPromptCache } from '../../src/core/completion/completionPrompt';
import { buildWireBody, encodeWireBody } from '../../src/core/kimi/requestBody';

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

describe('encoded wire body', () => {
  it('is the same JSON value as JSON.stringify, for small and pre-serialized messages alike', () => {
    const cache = new CompletionPromptCache();
    const snapshot = { docKey: 'file:///a.ts', path: 'a.ts', languageId: 'typescript', prefix: 'const s = "ünï";\nconst x = ', suffix: '\n// 終わり\n', indent: { insertSpaces: true, tabSize: 2 }, explicit: false };
    const { request } = cache.build(snapshot, 'context: "quoted" \\ back\u2028slash 🙂', 'kimi-k2.5');
    for (const dialect of ['moonshot', 'chatTemplateKwargs', 'omit'] as const) {
      const body = buildWireBody(request, dialect, true);
      const bytes = encodeWireBody(body);
      assert.deepEqual(JSON.parse(bytes.toString('utf8')), JSON.parse(JSON.stringify(body)));
    }
  });

  it('encodes a frozen message once; others every time', () => {
    const body = (message: { role: 'user'; content: string }) => buildWireBody({ model: 'm', messages: [message], maxTokens: 8 }, 'moonshot', true);
    const open = { role: 'user' as const, content: 'first' };
    encodeWireBody(body(open));
    open.content = 'changed in place';
    assert.match(encodeWireBody(body(open)).toString(), /changed in place/, 'an object that may change is encoded anew');
    let serialized = 0;
    const frozen = Object.freeze({
      role: 'user' as const,
      content: 'x'.repeat(1000),
      toJSON() {
        serialized++;
        return { role: this.role, content: this.content };
      },
    });
    const first = encodeWireBody(body(frozen));
    assert.equal(encodeWireBody(body(frozen)).toString(), first.toString());
    assert.equal(serialized, 1, 'serialized once, then the bytes are reused');
    const cache = new CompletionPromptCache();
    const snapshot = { docKey: 'file:///a.ts', path: 'a.ts', languageId: 'typescript', prefix: 'const x = ', suffix: '', indent: { insertSpaces: true, tabSize: 2 }, explicit: false };
    assert.ok(Object.isFrozen(cache.build(snapshot, 'context', 'm').request.messages[1]), 'the completion prompt freezes the message it reuses');
  });
});
