import * as assert from 'node:assert/strict';
import type { ChatMessage, StreamEvent } from '../../../src/core/kimi/kimiTypes';
import { resolveModelProfile } from '../../../src/core/kimi/modelProfiles';
import { buildWireBody } from '../../../src/core/kimi/requestBody';
import { buildLmRequest, lmModelInfo } from '../../../src/core/lm/lmRequest';
import { countLmTokens, IMAGE_TOKENS } from '../../../src/core/lm/lmTokenCount';
import type { LmMessage } from '../../../src/core/lm/lmTypes';
import { fromKimiMessages, toKimiMessages, UNKNOWN_REASONING } from '../../../src/core/lm/messageConversion';
import { ReasoningStore } from '../../../src/core/lm/reasoningStore';
import { ResponseAssembler } from '../../../src/core/lm/responseAssembler';
import { UsageMeter } from '../../../src/core/lm/usageMeter';

const TEXT_ONLY = { imageInput: false };
const WITH_IMAGES = { imageInput: true };

/** A two-round agent turn as Kimi's messages: the first reply called a tool, the second answered. */
const KIMI_HISTORY: ChatMessage[] = [
  { role: 'system', content: 'You are an agent.' },
  { role: 'user', content: 'What is in a.ts?' },
  {
    role: 'assistant',
    content: 'Let me look.',
    reasoning_content: 'I should read a.ts first.',
    tool_calls: [
      { id: 'read_file:0', type: 'function', function: { name: 'read_file', arguments: '{"path": "a.ts"}' } },
      { id: 'grep:1', type: 'function', function: { name: 'grep', arguments: '{"query":"export"}' } },
    ],
  },
  { role: 'tool', tool_call_id: 'read_file:0', content: 'export const a = 1;' },
  { role: 'tool', tool_call_id: 'grep:1', content: 'a.ts:1' },
  { role: 'assistant', content: 'It exports `a`.', reasoning_content: 'The file has one export.' },
  { role: 'user', content: 'Thanks' },
];

/** What a response streamed, remembered as the provider remembers it. */
function storeWith(...replies: { content: string; reasoning: string; toolCalls: { id: string; name: string; args: string }[] }[]): ReasoningStore {
  const store = new ReasoningStore();
  for (const r of replies) {
    store.remember({
      content: r.content,
      reasoning: r.reasoning,
      toolCalls: r.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } })),
    });
  }
  return store;
}

describe('language model provider: message conversion', () => {
  it('VS Code -> Kimi: tool results become tool messages, in order, before the user text of the same message', () => {
    const messages: LmMessage[] = [
      {
        role: 'user',
        parts: [
          { kind: 'toolResult', callId: 'c1', text: 'one' },
          { kind: 'text', text: 'and also ' },
          { kind: 'toolResult', callId: 'c2', text: 'two' },
          { kind: 'text', text: 'this' },
        ],
      },
    ];
    assert.deepEqual(toKimiMessages(messages, new ReasoningStore(), TEXT_ONLY), [
      { role: 'tool', tool_call_id: 'c1', content: 'one' },
      { role: 'tool', tool_call_id: 'c2', content: 'two' },
      { role: 'user', content: 'and also this' },
    ]);
  });

  it('VS Code -> Kimi: replays the reasoning and the raw arguments this window streamed, found by the tool call ids', () => {
    const store = storeWith(
      { content: 'Let me look.', reasoning: 'I should read a.ts first.', toolCalls: [{ id: 'read_file:0', name: 'read_file', args: '{"path": "a.ts"}' }, { id: 'grep:1', name: 'grep', args: '{"query":"export"}' }] },
      { content: 'It exports `a`.', reasoning: 'The file has one export.', toolCalls: [] },
    );
    // VS Code hands the conversation back without reasoning, tool inputs parsed, maybe trimmed text.
    const back = fromKimiMessages(KIMI_HISTORY);
    const trimmed = back.map((m) => (m.role === 'assistant' ? { ...m, parts: m.parts.map((p) => (p.kind === 'text' ? { ...p, text: `${p.text}\n` } : p)) } : m));
    assert.deepEqual(toKimiMessages(trimmed, store, TEXT_ONLY).map((m) => (m.role === 'assistant' ? { ...m, content: m.content.trim() } : m)), KIMI_HISTORY);
  });

  it('VS Code -> Kimi: a tool call this window never produced still carries reasoning_content (Kimi 400s without it)', () => {
    const out = toKimiMessages(fromKimiMessages(KIMI_HISTORY), new ReasoningStore(), TEXT_ONLY);
    const calls = out[2];
    assert.equal(calls.role, 'assistant');
    assert.equal(calls.reasoning_content, UNKNOWN_REASONING);
    assert.equal(calls.tool_calls?.[0].function.arguments, '{"path":"a.ts"}', 'arguments re-serialized from the input');
    const answer = out[5];
    assert.equal(answer.role === 'assistant' && 'reasoning_content' in answer, false, 'no invented reasoning on a plain answer');
  });

  it('VS Code -> Kimi: remembered raw arguments are used only while they still match the input', () => {
    const store = storeWith({ content: '', reasoning: 'r', toolCalls: [{ id: 'x:0', name: 'edit', args: '{"a": 1}' }] });
    const edited: LmMessage[] = [{ role: 'assistant', parts: [{ kind: 'toolCall', callId: 'x:0', name: 'edit', input: { a: 2 } }] }];
    const [msg] = toKimiMessages(edited, store, TEXT_ONLY);
    assert.equal(msg.role === 'assistant' ? msg.tool_calls?.[0].function.arguments : undefined, '{"a":2}');
    assert.equal(msg.role === 'assistant' ? msg.reasoning_content : undefined, 'r');
  });

  it('VS Code -> Kimi: images become data URLs only for models that take images; cache markers are dropped', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const messages: LmMessage[] = [
      {
        role: 'user',
        parts: [
          { kind: 'text', text: 'Build this: ' },
          { kind: 'data', mimeType: 'image/png', data: png },
          { kind: 'data', mimeType: 'cache_control', data: new TextEncoder().encode('ephemeral') },
        ],
      },
    ];
    assert.deepEqual(toKimiMessages(messages, new ReasoningStore(), WITH_IMAGES), [
      { role: 'user', content: [{ type: 'text', text: 'Build this: ' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw==' } }] },
    ]);
    const [textOnly] = toKimiMessages(messages, new ReasoningStore(), TEXT_ONLY);
    assert.equal(textOnly.role, 'user');
    assert.match(String(textOnly.content), /^Build this: \[An image \(image\/png\) was left out/);
  });

  it('Kimi -> VS Code: tool results of one round are one User message; an image round-trips', () => {
    const back = fromKimiMessages(KIMI_HISTORY);
    assert.deepEqual(
      back.map((m) => [m.role, m.parts.map((p) => p.kind)]),
      [
        ['system', ['text']],
        ['user', ['text']],
        ['assistant', ['text', 'toolCall', 'toolCall']],
        ['user', ['toolResult', 'toolResult']],
        ['assistant', ['text']],
        ['user', ['text']],
      ],
    );
    assert.deepEqual(back[2].parts[1], { kind: 'toolCall', callId: 'read_file:0', name: 'read_file', input: { path: 'a.ts' } });
    const image: ChatMessage = { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/' } }] };
    assert.deepEqual(toKimiMessages(fromKimiMessages([image]), new ReasoningStore(), WITH_IMAGES), [image]);
  });

  it('Kimi stream -> VS Code parts: text as it streams, whole tool calls at the end, reasoning only in the reply', () => {
    const events: StreamEvent[] = [
      { kind: 'thinking', text: 'Think' },
      { kind: 'thinking', text: 'ing.' },
      { kind: 'content', text: 'Reading ' },
      { kind: 'toolCall', index: 0, id: 'read_file:0', name: 'read_file', argumentsDelta: '{"pa' },
      { kind: 'toolCall', index: 0, argumentsDelta: 'th":"a.ts"}' },
      { kind: 'usage', usage: { promptTokens: 10, completionTokens: 5, cachedTokens: 0 } },
      { kind: 'finish', reason: 'tool_calls' },
    ];
    const assembler = new ResponseAssembler();
    const streamed = events.flatMap((e) => assembler.add(e));
    assert.deepEqual(streamed, [{ kind: 'text', text: 'Reading ' }]);
    const { parts, reply } = assembler.finish();
    assert.deepEqual(parts, [{ kind: 'toolCall', callId: 'read_file:0', name: 'read_file', input: { path: 'a.ts' } }]);
    assert.equal(reply.reasoning, 'Thinking.');
    assert.equal(reply.toolCalls[0].function.arguments, '{"path":"a.ts"}');
  });

  it('Kimi stream -> VS Code parts: arguments that are not a JSON object fail the response instead of running the tool on {}', () => {
    const assembler = new ResponseAssembler();
    assembler.add({ kind: 'toolCall', index: 0, id: 'x', name: 'run', argumentsDelta: '{"cmd": "ls' });
    assert.throws(() => assembler.finish(), /not a JSON object/);
  });
});

describe('language model provider: reasoning store, tokens, meter', () => {
  it('finds a text-only reply by its trimmed text and forgets the least recently used first', () => {
    const store = new ReasoningStore(2);
    store.remember({ content: 'one', reasoning: 'r1', toolCalls: [] });
    store.remember({ content: 'two', reasoning: 'r2', toolCalls: [] });
    assert.equal(store.recall({ text: '  one\n', callIds: [] })?.reasoning, 'r1'); // now most recent
    store.remember({ content: 'three', reasoning: 'r3', toolCalls: [] });
    assert.equal(store.recall({ text: 'two', callIds: [] }), undefined);
    assert.equal(store.recall({ text: 'one', callIds: [] })?.reasoning, 'r1');
    assert.equal(store.recall({ text: 'ones', callIds: [] }), undefined);
  });

  it('counts a message with the estimator, images at a flat figure', () => {
    const text = 'export function add(a: number, b: number) { return a + b; }';
    const plain = countLmTokens(text);
    assert.ok(plain > 10 && plain < 30, String(plain));
    const message = countLmTokens({ role: 'user', parts: [{ kind: 'text', text }, { kind: 'data', mimeType: 'image/png', data: new Uint8Array(4) }] });
    assert.ok(message >= plain + IMAGE_TOKENS, String(message));
  });

  it('meters cost and what the cache saved at the prices given', () => {
    const meter = new UsageMeter();
    const prices = { inputPerMillion: 3, cachedInputPerMillion: 0.3, outputPerMillion: 15 };
    meter.add('kimi-k3', { promptTokens: 1_000_000, cachedTokens: 800_000, completionTokens: 100_000 }, prices);
    meter.add('kimi-k3', { promptTokens: 0, cachedTokens: 0, completionTokens: 0 }, prices);
    const t = meter.totals;
    assert.equal(t.requests, 2);
    assert.equal(t.cost.toFixed(2), (0.6 + 0.24 + 1.5).toFixed(2));
    assert.equal(t.cacheSaved.toFixed(2), (0.8 * 2.7).toFixed(2));
  });
});

describe('language model provider: requests follow the model profile', () => {
  const history: LmMessage[] = [
    { role: 'user', parts: [{ kind: 'text', text: 'hi' }] },
    { role: 'assistant', parts: [{ kind: 'text', text: 'Hello.' }] },
    { role: 'user', parts: [{ kind: 'text', text: 'again' }] },
  ];
  const store = storeWith({ content: 'Hello.', reasoning: 'Greet back.', toolCalls: [] });
  const tools = [{ name: 'read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }];

  it('K3: no thinking switch, its output limit, every reply with its reasoning, tools with tool_choice auto', () => {
    const req = buildLmRequest({ profile: resolveModelProfile('kimi-k3'), messages: history, tools, store });
    assert.equal(req.thinking, undefined);
    assert.equal(req.maxTokens, 131_072);
    assert.equal(req.messages[1].role === 'assistant' ? req.messages[1].reasoning_content : undefined, 'Greet back.');
    assert.equal(req.toolChoice, 'auto');
    assert.deepEqual(req.tools?.[0].function.parameters, tools[0].inputSchema);
    assert.equal(Object.keys(req).some((k) => /temperature|top_p|penalty/.test(k)), false);
    const effortful = buildLmRequest({ profile: resolveModelProfile('kimi-k3'), messages: history, tools, toolMode: 'required', effort: 'high', store });
    assert.equal(effortful.reasoningEffort, 'high');
    assert.equal(effortful.toolChoice, 'required', 'K3 accepts tool_choice required');
  });

  it('K2.6 thinks (switched on); K2.7 Code gets no switch; on the wire text-only replies carry no reasoning on K2.x', () => {
    const k26 = buildLmRequest({ profile: resolveModelProfile('kimi-k2.6'), messages: history, tools: [], store });
    assert.equal(k26.thinking, true);
    assert.equal(k26.tools, undefined);
    const k26Tools = buildLmRequest({ profile: resolveModelProfile('kimi-k2.6'), messages: history, tools, toolMode: 'required', effort: 'high', store });
    assert.equal(k26Tools.toolChoice, 'auto', 'K2.6 refuses required while thinking');
    assert.equal(k26Tools.reasoningEffort, undefined);
    const k26Wire = buildWireBody(k26, 'moonshot', true).messages as ChatMessage[];
    assert.equal(k26Wire[1].role === 'assistant' && 'reasoning_content' in k26Wire[1], false, 'the wire body drops a text-only reply\'s reasoning on K2.x');
    const k3Wire = buildWireBody(buildLmRequest({ profile: resolveModelProfile('kimi-k3'), messages: history, tools: [], store }), 'moonshot', true).messages as ChatMessage[];
    assert.equal(k3Wire[1].role === 'assistant' ? k3Wire[1].reasoning_content : undefined, 'Greet back.', 'and keeps it on K3');
    const k27 = buildLmRequest({ profile: resolveModelProfile('kimi-k2.7-code'), messages: history, tools: [], store });
    assert.equal(k27.thinking, undefined);
    assert.ok(k27.maxTokens > 0);
  });

  it('model information: window split between input and output, capabilities from /models', () => {
    const info = lmModelInfo(resolveModelProfile('kimi-k2.6', [{ id: 'kimi-k2.6', contextLength: 262_144, supportsImages: false }]), 'api.moonshot.ai');
    assert.equal(info.maxInputTokens + info.maxOutputTokens, 262_144);
    assert.equal(info.capabilities.imageInput, false);
    assert.ok(info.capabilities.toolCalling);
    const k3 = lmModelInfo(resolveModelProfile('kimi-k3'), 'api.moonshot.ai');
    assert.equal(k3.maxOutputTokens, 131_072);
    assert.equal(k3.capabilities.imageInput, true);
    assert.match(k3.tooltip, /\$3 \/ \$0\.3 cached \/ \$15 out per 1M tokens/);
    assert.match(lmModelInfo(resolveModelProfile('kimi-k3'), 'x', { inputPerMillion: 1, cachedInputPerMillion: 0.5, outputPerMillion: 2 }).tooltip, /\$1 \/ \$0\.5 cached \/ \$2 out/);
  });
});

describe('language model provider: the reasoning store survives a window reload', () => {
  it('saves the most recent replies with all their keys, and a restored store replays them', () => {
    const store = storeWith(
      { content: 'old', reasoning: 'r-old', toolCalls: [] },
      { content: '', reasoning: 'r-tools', toolCalls: [{ id: 'a:0', name: 'f', args: '{"x": 1}' }, { id: 'b:1', name: 'g', args: '{}' }] },
    );
    const saved = JSON.parse(JSON.stringify(store.save())) as unknown;
    const restored = new ReasoningStore();
    restored.restore(saved);
    assert.equal(restored.recall({ text: 'old', callIds: [] })?.reasoning, 'r-old');
    const byCall = restored.recall({ text: '', callIds: ['b:1'] });
    assert.equal(byCall?.reasoning, 'r-tools');
    assert.equal(byCall?.rawArguments.get('a:0'), '{"x": 1}');
    assert.equal(restored.recall({ text: '', callIds: ['a:0'] }), byCall, 'one reply under both of its call ids');
    restored.restore([{ keys: ['evil'], reasoning: 1 }, null, 'x']);
    assert.equal(restored.size, 3, 'malformed saved data is skipped');
  });

  it('keeps only the most recent replies within the character budget', () => {
    const store = new ReasoningStore();
    const big = 'x'.repeat(900_000);
    store.remember({ content: 'first', reasoning: big, toolCalls: [] });
    store.remember({ content: 'second', reasoning: big, toolCalls: [] });
    store.remember({ content: 'third', reasoning: big, toolCalls: [] });
    const restored = new ReasoningStore();
    restored.restore(store.save());
    assert.equal(restored.recall({ text: 'first', callIds: [] }), undefined);
    assert.ok(restored.recall({ text: 'second', callIds: [] }));
    assert.ok(restored.recall({ text: 'third', callIds: [] }));
  });
});
