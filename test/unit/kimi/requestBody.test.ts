import * as assert from 'node:assert/strict';
import type { ChatRequest } from '../../../src/core/kimi/kimiTypes';
import { CompletionPromptCache } from '../../../src/core/completion/completionPrompt';
import { buildWireBody, encodeWireBody } from '../../../src/core/kimi/requestBody';

const base: ChatRequest = {
  model: 'kimi-k2.6',
  messages: [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'complete' },
    { role: 'assistant', content: 'const x = ', partial: true },
  ],
  maxTokens: 64,
};

const SAMPLING = ['temperature', 'top_p', 'n', 'presence_penalty', 'frequency_penalty'];
const tools = [{ type: 'function' as const, function: { name: 'read_file', description: 'd', parameters: { type: 'object' } } }];

/** A conversation with a finished turn and a tool-call turn, both with reasoning. */
const conversation: ChatRequest['messages'] = [
  { role: 'system', content: 'sys' },
  { role: 'user', content: 'first question' },
  { role: 'assistant', content: 'first answer', reasoning_content: 'thought one' },
  { role: 'user', content: 'second question' },
  { role: 'assistant', content: '', reasoning_content: 'thought two', tool_calls: [{ id: 'read_file:0', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }] },
  { role: 'tool', tool_call_id: 'read_file:0', name: 'read_file', content: 'text' },
];

describe('wire body per model family', () => {
  it('K2.6: thinking on/off, never reasoning_effort or sampling, max_completion_tokens, partial kept', () => {
    for (const thinking of [true, false, undefined]) {
      const body = buildWireBody({ ...base, thinking }, 'moonshot', true);
      for (const forbidden of [...SAMPLING, 'reasoning_effort', 'partial', 'max_tokens']) {
        assert.ok(!(forbidden in body), `${forbidden} must not be sent`);
      }
      if (thinking !== undefined) {
        assert.deepEqual(body.thinking, { type: thinking ? 'enabled' : 'disabled' });
      } else {
        assert.ok(!('thinking' in body));
      }
    }
    const body = buildWireBody({ ...base, thinking: false }, 'moonshot', true);
    assert.deepEqual(body, {
      model: 'kimi-k2.6',
      messages: base.messages,
      max_completion_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
      thinking: { type: 'disabled' },
    });
    assert.ok(!('stream_options' in buildWireBody(base, 'moonshot', false)));
  });

  it('K3: reasoning_effort (never thinking), the output limit, every earlier reasoning replayed', () => {
    const request: ChatRequest = { model: 'kimi-k3', messages: conversation, thinking: true, reasoningEffort: 'high', maxTokens: 32_768, tools, toolChoice: 'auto', promptCacheKey: 'chat-1' };
    assert.deepEqual(buildWireBody(request, 'moonshot', true), {
      model: 'kimi-k3',
      messages: conversation,
      max_completion_tokens: 32_768,
      stream: true,
      stream_options: { include_usage: true },
      tools,
      tool_choice: 'auto',
      prompt_cache_key: 'chat-1',
      reasoning_effort: 'high',
    });
    // Thinking "off" on a model that always reasons: the lowest effort, still no `thinking` field.
    const off = buildWireBody({ ...request, thinking: false, reasoningEffort: undefined }, 'moonshot', true);
    assert.equal(off.reasoning_effort, 'low');
    assert.ok(!('thinking' in off));
    assert.equal(buildWireBody({ ...request, reasoningEffort: undefined }, 'moonshot', true).reasoning_effort, 'max', "K3's default");
    // A runaway answer is bounded by the profile's maximum.
    assert.equal(buildWireBody({ ...request, maxTokens: 10_000_000 }, 'moonshot', true).max_completion_tokens, 131_072);
    assert.equal(buildWireBody({ ...request, toolChoice: 'required' }, 'moonshot', true).tool_choice, 'required');
  });

  it('K2.x: reasoning replayed on tool-call turns only; tool_choice "required" becomes "auto"', () => {
    const body = buildWireBody({ model: 'kimi-k2.6', messages: conversation, thinking: true, maxTokens: 100, tools, toolChoice: 'required' }, 'moonshot', true);
    const messages = body.messages as Array<{ role: string; reasoning_content?: string }>;
    assert.equal(messages[2].reasoning_content, undefined, 'a finished answer does not carry its reasoning');
    assert.equal(messages[4].reasoning_content, 'thought two', 'a tool-call turn does');
    assert.equal(body.tool_choice, 'auto');
  });

  it('K2.7 Code: always thinks, so no thinking field is ever sent (it rejects disabled)', () => {
    for (const thinking of [true, false, undefined]) {
      const body = buildWireBody({ ...base, model: 'kimi-k2.7-code', thinking }, 'moonshot', true);
      assert.deepEqual(Object.keys(body).sort(), ['max_completion_tokens', 'messages', 'model', 'stream', 'stream_options']);
    }
  });

  it('vLLM/SGLang: partial as continue_final_message, thinking in chat_template_kwargs', () => {
    const body = buildWireBody({ ...base, model: 'moonshotai/Kimi-K2.6', thinking: false }, 'chatTemplateKwargs', true);
    assert.deepEqual(body, {
      model: 'moonshotai/Kimi-K2.6',
      messages: [base.messages[0], base.messages[1], { role: 'assistant', content: 'const x = ' }],
      max_completion_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
      chat_template_kwargs: { thinking: false },
      continue_final_message: true,
      add_generation_prompt: false,
    });
    assert.equal((base.messages[2] as { partial?: boolean }).partial, true, 'the request itself is left as it was');
    const omitted = buildWireBody({ ...base, thinking: false }, 'omit', true);
    assert.ok(!('thinking' in omitted) && !('chat_template_kwargs' in omitted) && !('continue_final_message' in omitted));
  });

  it('unknown OpenAI-compatible model: max_tokens', () => {
    const body = buildWireBody({ ...base, model: 'some-proxy-model' }, 'moonshot', false);
    assert.equal(body.max_tokens, 64);
    assert.ok(!('max_completion_tokens' in body));
  });

  it('sends tools, tool_choice and stop only when given', () => {
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
    const { request } = cache.build(snapshot, 'context: "quoted" \\ back\u2028slash 🙂', 'kimi-k2.6');
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
