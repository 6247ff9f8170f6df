import * as assert from 'node:assert/strict';
import { buildCompletionPrompt, completionMode, CompletionPromptCache, COMPLETION_SYSTEM_PROMPT, lineIsComplete, MAX_TOKENS, REASONING_ALLOWANCE_TOKENS } from '../../../src/core/completion/completionPrompt';
import { cursorWindows, PREFIX_WINDOW_STEP, stringReader } from '../../../src/core/completion/completionWindow';
import { completionStats, describeStats, reasoningCostNote } from '../../../src/core/completion/completionStats';
import { resolveModelProfile } from '../../../src/core/kimi/modelProfiles';
import { buildWireBody } from '../../../src/core/kimi/requestBody';
import { snap } from './completionHelpers';

describe('completion prompt', () => {
  const s = snap('import { add } from "./math";\n\nconst total = add(█);\nconsole.log(total);\n');

  it('ends with the partial assistant message holding exactly the text before the cursor', () => {
    const { request } = buildCompletionPrompt(s, 'CONTEXT', 'kimi-k2.6');
    const last = request.messages[request.messages.length - 1];
    assert.deepEqual(last, { role: 'assistant', content: 'import { add } from "./math";\n\nconst total = add(', partial: true });
    assert.deepEqual(
      request.messages.map((m) => m.role),
      ['system', 'user', 'assistant'],
    );
  });

  it('has a fixed system message and puts the context first, then the text after the cursor, said to follow it', () => {
    const { request } = buildCompletionPrompt(s, 'CONTEXT BLOCKS', 'kimi-k2.6');
    assert.equal(request.messages[0].content, COMPLETION_SYSTEM_PROMPT);
    const user = request.messages[1].content as string;
    assert.ok(user.startsWith('CONTEXT BLOCKS'), 'context first (most stable)');
    assert.match(user, /text that FOLLOWS the cursor/);
    assert.ok(user.endsWith(`<text_after_cursor>\n);\nconsole.log(total);\n\n</text_after_cursor>`), user);
    assert.match(user, /src\/app\.ts \(typescript\)/);
  });

  it('turns thinking off, sends no temperature, and keeps max_tokens tight by mode', () => {
    const single = buildCompletionPrompt(s, '', 'kimi-k2.6');
    assert.equal(single.mode, 'singleLine');
    assert.equal(single.request.thinking, false);
    assert.equal(single.request.maxTokens, MAX_TOKENS.singleLine);
    assert.deepEqual(single.request.stop, ['\n']);
    const body = buildWireBody(single.request, 'moonshot', true);
    assert.deepEqual(body.thinking, { type: 'disabled' });
    for (const key of ['temperature', 'top_p', 'n', 'presence_penalty', 'frequency_penalty', 'partial', 'reasoning_effort']) {
      assert.equal(key in body, false, `no ${key}`);
    }
    const multi = buildCompletionPrompt(snap('function f() {\n  █\n}\n'), '', 'kimi-k2.6');
    assert.equal(multi.mode, 'multiLine');
    assert.equal(multi.request.maxTokens, MAX_TOKENS.multiLine);
    assert.equal(multi.request.stop, undefined);
    assert.ok(MAX_TOKENS.singleLine <= 64 && MAX_TOKENS.multiLine <= 256);
  });

  it('K2.6 (the default): the exact completion body, thinking disabled, max_completion_tokens 64, the newline stop', () => {
    const { request } = buildCompletionPrompt(snap('const total = █'), 'CTX', 'kimi-k2.6');
    const body = buildWireBody(request, 'moonshot', true);
    assert.deepEqual({ ...body, messages: undefined }, {
      model: 'kimi-k2.6',
      messages: undefined,
      max_completion_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
      stop: ['\n'],
      thinking: { type: 'disabled' },
    });
  });

  it('a model that always reasons: the lowest effort, room for reasoning plus code, the newline left to the cutter', () => {
    for (const model of ['kimi-k3', 'kimi-k2.7-code', 'some-third-party-model']) {
      const { request } = buildCompletionPrompt(s, '', { profile: resolveModelProfile(model), dialect: 'moonshot' });
      assert.equal(request.maxTokens, REASONING_ALLOWANCE_TOKENS + MAX_TOKENS.singleLine, model);
      assert.equal(request.stop, undefined, model);
    }
    const k3 = buildWireBody(buildCompletionPrompt(s, '', 'kimi-k3').request, 'moonshot', true);
    assert.equal(k3.reasoning_effort, 'low');
    assert.equal(k3.thinking, undefined);
    assert.equal(k3.max_completion_tokens, REASONING_ALLOWANCE_TOKENS + MAX_TOKENS.singleLine);
    const k27 = buildWireBody(buildCompletionPrompt(s, '', 'kimi-k2.7-code').request, 'moonshot', true);
    assert.equal(k27.thinking, undefined, 'K2.7 Code rejects disabled: nothing is sent');
    // The omit dialect cannot switch K2.6's thinking off: its default (on) would reason inside 64 tokens.
    const omitted = buildCompletionPrompt(s, '', { profile: resolveModelProfile('kimi-k2.6'), dialect: 'omit' });
    assert.equal(omitted.request.maxTokens, REASONING_ALLOWANCE_TOKENS + MAX_TOKENS.singleLine);
    assert.equal(buildCompletionPrompt(s, '', { profile: resolveModelProfile('kimi-k2.6'), dialect: 'chatTemplateKwargs' }).request.maxTokens, MAX_TOKENS.singleLine);
  });

  it('the tooltip says what reasoning first costs next to K2.6, and the stats compare each completion', () => {
    const k3 = { profile: resolveModelProfile('kimi-k3'), dialect: 'moonshot' as const };
    assert.match(reasoningCostNote(k3, resolveModelProfile('kimi-k3').prices) ?? '', /Kimi K3 reasons before it writes code.*\$15\/M output, against \$4\/M on Kimi K2\.6/);
    assert.equal(reasoningCostNote({ profile: resolveModelProfile('kimi-k2.6'), dialect: 'moonshot' }, undefined), undefined);
    const stats = completionStats({
      latencyMs: 2_000,
      usage: { promptTokens: 1_000_000, cachedTokens: 0, completionTokens: 1_000_000, reasoningTokens: 900_000 },
      promptTokens: () => 0,
      outputText: '',
      prices: resolveModelProfile('kimi-k3').prices,
      baselinePrices: resolveModelProfile('kimi-k2.6').prices,
    });
    assert.equal(stats.cost, 3 + 15);
    assert.ok(Math.abs((stats.baselineCost ?? 0) - (0.95 + 0.4)) < 1e-9, String(stats.baselineCost));
    assert.match(describeStats(stats).join('\n'), /900,000 reasoning[\s\S]*on kimi-k2\.6 without reasoning: \$1\.3500/);
  });

  it('says so when nothing follows the cursor', () => {
    const { request } = buildCompletionPrompt(snap('let x = █'), '', 'm');
    assert.match(request.messages[1].content as string, /end of the file/);
  });

  it('only the tail changes while the user types', () => {
    const a = buildCompletionPrompt(snap('const total = a█;\n'), 'CTX', 'm').request;
    const b = buildCompletionPrompt(snap('const total = ad█;\n'), 'CTX', 'm').request;
    assert.deepEqual(a.messages.slice(0, 2), b.messages.slice(0, 2));
    assert.ok((b.messages[2].content as string).startsWith(a.messages[2].content as string));
  });

  it('chooses single line mid-line or after a statement, multi-line on a blank line or after an opener', () => {
    assert.equal(completionMode(snap('foo(█)')), 'singleLine');
    assert.equal(completionMode(snap('const x = █')), 'singleLine');
    assert.equal(completionMode(snap('  █\n')), 'multiLine');
    assert.equal(completionMode(snap('if (x) {█\n')), 'multiLine');
    assert.equal(completionMode(snap('def f(x):█\n', { languageId: 'python' })), 'multiLine');
    assert.equal(completionMode(snap('const f = () =>█')), 'multiLine');
  });

  it('asks for nothing at the end of a line that opens a block already written', () => {
    assert.equal(lineIsComplete(snap('function f() {█\n  return 1;\n}\n')), true);
    assert.equal(lineIsComplete(snap('call(█\n  a,\n);\n')), true);
    assert.equal(lineIsComplete(snap('function f() {█\n}\n')), false, 'an empty block wants its body');
    assert.equal(lineIsComplete(snap('const x = █\n  y;\n')), false, 'not an opener');
    assert.equal(lineIsComplete(snap('  █\n  b();\n')), false, 'a blank line wants its line');
  });

  it('a `):` line closing a parameter list gets a request where `:` starts a type; a Python `):` opens a block', () => {
    const signature = 'export function f(\n  a: string,\n):█\n  const b = a;\n  return b;\n}\n';
    assert.equal(lineIsComplete(snap(signature)), false, 'TypeScript: the return type is still to be written');
    assert.equal(completionMode(snap(signature)), 'singleLine');
    assert.equal(lineIsComplete(snap('def f(\n    a,\n):█\n    return a\n', { languageId: 'python' })), true);
    assert.equal(lineIsComplete(snap('switch (x) {\n  case 1:█\n    go();\n}\n')), true, '`case 1:` opens one anywhere');
  });

  it('asks for a block only where one is missing, not in front of code that goes on in the block', () => {
    // After an opener: an empty block (closer next, a blank line, or nothing) wants a block...
    assert.equal(completionMode(snap('function f() {█\n}\n')), 'multiLine');
    assert.equal(completionMode(snap('function f() {█\n\n  return 1;\n}\n')), 'multiLine');
    // ...a block that already has its body wants the line only.
    assert.equal(completionMode(snap('function f() {█\n  return 1;\n}\n')), 'singleLine');
    assert.equal(completionMode(snap('def f(x):█\n    return x\n', { languageId: 'python' })), 'singleLine');
    // A blank line at the end of a block, or before a blank line: a block.
    assert.equal(completionMode(snap('  a();\n  █\n}\n')), 'multiLine');
    assert.equal(completionMode(snap('  a();\n  █\n\n  b();\n')), 'multiLine');
    // A blank line between two statements of the block: one line.
    assert.equal(completionMode(snap('  a();\n  █\n  b();\n')), 'singleLine');
    assert.equal(completionMode(snap('  a();\n  █\n    .then(b);\n')), 'singleLine');
    // At column 0, a closer next is the end of the block.
    assert.equal(completionMode(snap('  if (a) {\n    x();\n█\n  }\n')), 'multiLine');
    assert.equal(completionMode(snap('  if (a) {\n    x();\n█\n  } else {\n')), 'multiLine');
    // Tabs count as the tab size.
    assert.equal(completionMode(snap('\ta();\n\t█\n  b();\n', { indent: { insertSpaces: false, tabSize: 4 } })), 'multiLine');
    assert.equal(completionMode(snap('\ta();\n\t█\n    b();\n', { indent: { insertSpaces: false, tabSize: 4 } })), 'singleLine');
  });
});

describe('completion windows', () => {
  const big = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 40)}`).join('\n');

  it('keeps the whole text of a small file', () => {
    const w = cursorWindows(stringReader('abc\ndef'), 5);
    assert.deepEqual(w, { prefix: 'abc\nd', suffix: 'ef', prefixStart: 0 });
  });

  it('starts the prefix window at a line start that stays put while typing', () => {
    const at = 500_000;
    const w1 = cursorWindows(stringReader(big), at);
    const typed = big.slice(0, at) + 'hello' + big.slice(at);
    const w2 = cursorWindows(stringReader(typed), at + 5);
    assert.equal(w2.prefixStart, w1.prefixStart);
    assert.equal(w2.prefix, w1.prefix + 'hello');
    assert.equal(w2.suffix, w1.suffix, 'the text after the cursor is the same');
    assert.equal(big[w1.prefixStart - 1], '\n');
    assert.ok(w1.prefix.length <= 96_000 + PREFIX_WINDOW_STEP);
    assert.ok(w1.suffix.endsWith('\n') && w1.suffix.length <= 24_000);
  });
});

describe('completion prompt cache', () => {
  const block = (key: string, text: string) => ({ kind: 'file' as const, key, text, tokens: text.length / 4 });
  const packed = (...blocks: ReturnType<typeof block>[]) => ({ blocks, text: blocks.map((b) => b.text).join(''), tokens: 0, report: { purpose: 'completion' as const, budgetTokens: 0, totalTokens: 0, included: [], excluded: [] } });
  const ctx = packed(block('a.ts', '// a.ts\nexport const a = "α";\n'), block('b.ts', '// b.ts\nexport const b = 2;\n'));

  it('sends the same JSON value as a fresh build, as one-byte (ASCII) text', () => {
    const cache = new CompletionPromptCache();
    const s = snap('const naïve = "α";\nconst total = a█;\n');
    const fresh = JSON.stringify(buildCompletionPrompt(s, ctx.text, 'm').request);
    for (const round of ['first', 'from the cache']) {
      const wire = JSON.stringify(cache.build(s, ctx, 'm').request);
      assert.deepEqual(JSON.parse(wire), JSON.parse(fresh), round);
      assert.doesNotMatch(wire, /[^\x00-\x7f]/, `${round}: non-ASCII is \\u-escaped`);
    }
  });

  it('reuses the user message while only the text before the cursor changes', () => {
    const cache = new CompletionPromptCache();
    const first = cache.build(snap('const total = a█;\n'), ctx, 'm').request.messages[1];
    const second = cache.build(snap('const total = ad█;\n'), packed(...ctx.blocks), 'm').request;
    assert.equal(second.messages[1], first, 'same message object');
    assert.equal(second.messages[2].content, 'const total = ad');
    const moved = cache.build(snap('const total = ad;\n█'), ctx, 'm').request.messages[1];
    assert.notEqual(moved, first, 'new text after the cursor: a new message');
    const edited = cache.build(snap('const total = ad;\n█'), packed(ctx.blocks[0], block('b.ts', '// b.ts\nexport const b = 3;\n')), 'm').request.messages[1];
    assert.notEqual(edited, moved, 'another file changed: a new message');
    assert.match(edited.content as string, /b = 3/);
  });
});
