import * as assert from 'node:assert/strict';
import { buildCompletionPrompt } from '../../../src/core/completion/completionPrompt';
import { cursorWindows, shortWindows, SHORT_PREFIX_CHARS, SHORT_PREFIX_STEP, SHORT_SUFFIX_CHARS, stringReader } from '../../../src/core/completion/completionWindow';
import { changedHunks, CompletionContext, differsOutsideWindows } from '../../../src/core/completion/completionContext';
import type { TrackedDocument } from '../../../src/core/context/contextTypes';
import { snap } from './completionHelpers';

function doc(path: string, text: string, firstOpened: number): TrackedDocument {
  return { uri: `file:///ws/${path}`, path, languageId: 'typescript', text, firstOpened, folderKey: 'file:///ws', relativePath: path };
}

function code(name: string, lines: number): string {
  return Array.from({ length: lines }, (_, i) => `export function ${name}${i}(v: number): number {\n  return v * ${i};\n}\n`).join('');
}

const A = code('alpha', 20);
const B = code('beta', 20);
const C = code('gamma', 20);
/** The cursor at the end of the active file (where these tests type). */
const endOf = (text: string) => ({ line: text.split('\n').length - 1, character: text.length - (text.lastIndexOf('\n') + 1) });
const pack = (ctx: CompletionContext, docs: TrackedDocument[], active: TrackedDocument, budgetTokens = 16_384, cursor = endOf(active.text)) => ctx.pack({ budgetTokens, documents: docs, activeUri: active.uri, cursor });

describe('completion context', () => {
  it('keeps the whole copy of a short file whatever changed: the windows show all of it', () => {
    const ctx = new CompletionContext();
    const a0 = doc('a.ts', A, 0);
    const first = pack(ctx, [a0], a0);
    const a1 = doc('a.ts', `// header\n${A}x`, 0);
    assert.equal(pack(ctx, [a1], a1).text, first.text);
  });

  it('keeps the same bytes while the user types in the active file', () => {
    const ctx = new CompletionContext();
    const first = pack(ctx, [doc('a.ts', A, 0), doc('b.ts', B, 1)], doc('a.ts', A, 0));
    const typed = doc('a.ts', `${A}export const more = 1;\n`, 0);
    const second = pack(ctx, [typed, doc('b.ts', B, 1)], typed);
    assert.equal(second.text, first.text);
    assert.ok(first.text.includes('alpha3(') && first.text.includes('beta3('), 'the active file is in, in its place');
    assert.deepEqual(first.activeFile, { uri: 'file:///ws/a.ts', path: 'a.ts' });
  });

  it('keeps the same bytes when the user moves to another file they did not edit meanwhile', () => {
    const ctx = new CompletionContext();
    const docs = [doc('a.ts', A, 0), doc('b.ts', B, 1), doc('c.ts', C, 2)];
    const inA = pack(ctx, docs, docs[0]);
    const inB = pack(ctx, docs, docs[1]);
    const inC = pack(ctx, docs, docs[2]);
    assert.equal(inB.text, inA.text);
    assert.equal(inC.text, inA.text);
  });

  it('shows a file the user left with its new text, and freezes the one they are in', () => {
    const ctx = new CompletionContext();
    const a0 = doc('a.ts', A, 0);
    const b0 = doc('b.ts', B, 1);
    pack(ctx, [a0, b0], a0);
    const a1 = doc('a.ts', `${A}export const added = 1;\n`, 0);
    pack(ctx, [a1, b0], a1);
    // Moves to b.ts and types there.
    const b1 = doc('b.ts', `${B}export const typed = 2;\n`, 1);
    const inB = pack(ctx, [a1, b1], b1);
    assert.ok(inB.text.includes('export const added = 1;'), 'the file left is current (its change listed)');
    assert.ok(!inB.text.includes('export const typed = 2;'), 'the active file is the copy from before typing');
  });

  it('lists a small change the windows do not show after the files, keeping every file block', () => {
    const ctx = new CompletionContext();
    const long = code('alpha', 200); // longer than the short windows
    const a0 = doc('a.ts', long, 0);
    const before = pack(ctx, [a0, doc('b.ts', B, 1)], a0);
    // An edit at the top (chat's apply, git, a far-away edit) while the cursor stays at the end.
    const a1 = doc('a.ts', `// header\n${long}`, 0);
    const after = pack(ctx, [a1, doc('b.ts', B, 1)], a1);
    assert.ok(after.text.startsWith(before.text), 'the file blocks are the same bytes');
    assert.equal(after.text.slice(before.text.length), '## Changed since the copies above (these lines replace the ones named)\n### a.ts, new lines at the start of its copy:\n```typescript\n// header\n```\n\n');
    assert.equal(after.blocks.at(-1)?.kind, 'fileChanges');
    // Typing at the cursor after that: the windows show it; the listing stays as it was.
    const a2 = doc('a.ts', `${a1.text}export const x = 1;\n`, 0);
    assert.equal(pack(ctx, [a2, doc('b.ts', B, 1)], a2).text, after.text);
  });

  it('definitions that fill the budget leave room for the listing: a small change is still listed, the blocks before it kept', () => {
    const ctx = new CompletionContext();
    const long = code('alpha', 200);
    const many = Array.from({ length: 400 }, (_, i) => ({ uri: `file:///ws/lib${i}.ts`, path: `lib${i}.ts`, range: { startLine: 0, endLine: 0 }, kind: 'function' as const, name: `f${i}`, text: `export function f${i}(value: number, other: string): boolean;`, source: 'languageServer' as const, reason: 'used', rank: i }));
    const packWith = (a: TrackedDocument) => ctx.pack({ budgetTokens: 16_384, documents: [a, doc('b.ts', B, 1)], activeUri: a.uri, cursor: endOf(a.text), definitions: many });
    const a0 = doc('a.ts', long, 0);
    const before = packWith(a0);
    assert.ok(before.blocks.some((b) => b.kind === 'definitions') && before.report.definitions?.some((d) => !d.included), 'the definitions fill the budget');
    const header = Array.from({ length: 60 }, (_, i) => `// header line ${i}\n`).join('');
    const a1 = doc('a.ts', `${header}${long}`, 0);
    const after = packWith(a1);
    assert.ok(after.text.startsWith(before.text), 'files and definitions are the same bytes');
    assert.equal(after.blocks.at(-1)?.kind, 'fileChanges');
  });

  it('takes a new copy when the listing would not fit the budget', () => {
    const ctx = new CompletionContext();
    const a0 = doc('a.ts', A, 0);
    const b0 = doc('b.ts', B, 1);
    // Room for the files and the listing reserve (a sixteenth of the budget), not for this listing.
    const budget = Math.ceil((pack(ctx, [a0, b0], b0, 1_000_000).tokens * 16) / 15) + 2;
    const a1 = doc('a.ts', a0.text.replace(/alpha(\d)\(/g, 'renamed$1('), 0); // ten functions renamed: a listing of ~30 lines
    const packed = pack(ctx, [a1, b0], b0, budget);
    assert.ok(packed.text.includes('renamed0('), 'the file shows its change');
    assert.ok(!packed.blocks.some((b) => b.kind === 'fileChanges'));
    assert.ok(!packed.text.includes('function alpha0('), 'no old text left without its change');
    assert.ok(packed.tokens <= budget);
  });

  it('never lists a pasted private key: the file takes a new copy, which the packer leaves out', () => {
    const ctx = new CompletionContext();
    const a0 = doc('a.ts', A, 0);
    const b0 = doc('b.ts', B, 1);
    pack(ctx, [a0, b0], a0);
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n';
    const a1 = doc('a.ts', `${key}${A}`, 0);
    const inB = pack(ctx, [a1, b0], b0);
    assert.ok(!inB.text.includes('PRIVATE KEY') && !inB.text.includes('b3BlbnNzaC1'));
    assert.equal(inB.report.excluded.find((e) => e.path === 'a.ts')?.kind, 'secret');
  });

  it("lists a change near the active file's cursor that the windows do not surely show, keeping the block", () => {
    const ctx = new CompletionContext();
    const long = code('alpha', 200);
    const a0 = doc('a.ts', long, 0);
    const cursor = { line: 300, character: 0 };
    const first = pack(ctx, [a0], a0, 16_384, cursor);
    // An edit 80 lines below the cursor (a chat edit), past what the suffix window surely shows.
    const lines = long.split('\n');
    lines.splice(380, 0, '// inserted below');
    const a1 = doc('a.ts', lines.join('\n'), 0);
    const packed = pack(ctx, [a1], a1, 16_384, cursor);
    assert.ok(packed.text.startsWith(first.text), 'the block keeps its bytes');
    assert.match(packed.text.slice(first.text.length), /new lines after line 380 of its copy:\n```typescript\n\/\/ inserted below\n```/);
    // Typing at the cursor: the listing stays as it was.
    const typedLines = a1.text.split('\n');
    typedLines.splice(300, 0, 'const typed = 1;');
    const a2 = doc('a.ts', typedLines.join('\n'), 0);
    assert.equal(pack(ctx, [a2], a2, 16_384, { line: 300, character: 16 }).text, packed.text);
  });

  it('takes a new copy when a change is too large to list', () => {
    const ctx = new CompletionContext();
    const long = code('alpha', 200);
    const a0 = doc('a.ts', long, 0);
    pack(ctx, [a0], a0);
    const a1 = doc('a.ts', long.replace(/return v \* (\d+);/g, 'return v + $1;'), 0); // every function changed
    const moved = pack(ctx, [a1], a1, 16_384, { line: 100, character: 0 });
    assert.ok(moved.text.includes('return v + 0;'), 'the block is the new text');
    assert.ok(!moved.blocks.some((b) => b.kind === 'fileChanges'));
  });

  it('changedHunks: which lines of the copy each change replaces, and how they read now', () => {
    const pick = (copy: string, live: string) => changedHunks(copy, live)?.map(({ fromLine, toLine, text }) => ({ fromLine, toLine, text }));
    assert.deepEqual(pick('a\nb\nc\n', 'a\nX\nc\n'), [{ fromLine: 2, toLine: 2, text: 'X\n' }]);
    assert.deepEqual(pick('a\nc\n', 'a\nb\nc\n'), [{ fromLine: 2, toLine: 1, text: 'b\n' }], 'inserted before line 2');
    assert.deepEqual(pick('a\nb\nc\nd\n', 'a\nd\n'), [{ fromLine: 2, toLine: 3, text: '' }], 'deleted');
    assert.deepEqual(pick('\nfoo();\n', '// header\n\nfoo();\n'), [{ fromLine: 1, toLine: 0, text: '// header\n' }]);
    // Two changes far apart stay two hunks, each with its place in the live text.
    const copy = Array.from({ length: 50 }, (_, i) => `line ${i}\n`).join('');
    const live = copy.replace('line 3\n', 'line three\n').replace('line 40\n', 'line forty\n');
    const hunks = changedHunks(copy, live) ?? [];
    assert.deepEqual(hunks.map((h) => [h.fromLine, h.toLine, live.slice(h.liveStart, h.liveEnd)]), [[4, 4, 'line three\n'], [41, 41, 'line forty\n']]);
  });

  it('differsOutsideWindows: only differences beyond the short windows around the cursor count', () => {
    const text = 'x'.repeat(20_000);
    const at = 10_000;
    const cursor = { line: 0, character: at };
    const edit = (offset: number): string => `${text.slice(0, offset)}EDIT${text.slice(offset)}`;
    assert.equal(differsOutsideWindows(text, edit(at - 100), cursor), false, 'just before the cursor');
    assert.equal(differsOutsideWindows(text, edit(at + 100), cursor), false, 'just after it');
    assert.equal(differsOutsideWindows(text, edit(at - SHORT_PREFIX_CHARS), cursor), true, 'before the prefix window');
    assert.equal(differsOutsideWindows(text, edit(at + SHORT_SUFFIX_CHARS), cursor), true, 'after the suffix window');
    assert.equal(differsOutsideWindows(text, text, undefined), true, 'cursor unknown');
  });

  it('takes a new copy of a file closed and opened again between two requests (its version restarts)', () => {
    const ctx = new CompletionContext();
    const a0 = doc('a.ts', A, 0);
    pack(ctx, [{ ...a0, version: 7 }], { ...a0, version: 7 });
    const reopened = { ...doc('a.ts', `${A}// after a checkout\n`, 0), version: 1 };
    assert.ok(pack(ctx, [reopened], reopened).text.includes('// after a checkout'));
  });

  it('forgets a closed file: reopened, it shows its text from then', () => {
    const ctx = new CompletionContext();
    const a0 = doc('a.ts', A, 0);
    pack(ctx, [a0], a0);
    pack(ctx, [doc('b.ts', B, 1)], doc('b.ts', B, 1));
    const a1 = doc('a.ts', `${A}// reopened\n`, 2);
    assert.ok(pack(ctx, [doc('b.ts', B, 1), a1], a1).text.includes('// reopened'));
  });

  it('says when the active file did not fit, so the prompt keeps the long windows', () => {
    const ctx = new CompletionContext();
    const big = doc('big.ts', code('big', 400), 0);
    const packed = pack(ctx, [big, doc('b.ts', B, 1)], big, 4_000);
    assert.equal(packed.activeFile, undefined);
    const prompt = buildCompletionPrompt(snap(`${big.text}█`), packed, 'kimi-k2.5').request;
    assert.equal(prompt.messages[2].content, big.text, 'the whole text before the cursor');
  });
});

describe('short completion windows', () => {
  const text = Array.from({ length: 3_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 30)}`).join('\n');

  it('leaves small windows alone', () => {
    assert.deepEqual(shortWindows({ prefix: 'abc\nd', suffix: 'ef\n' }), { prefix: 'abc\nd', suffix: 'ef\n' });
  });

  it('cuts the prefix at a line start and the suffix at a line end, near the limits', () => {
    const at = 60_000;
    const w = shortWindows(cursorWindows(stringReader(text), at));
    assert.ok(text.slice(0, at).endsWith(w.prefix));
    assert.equal(text[at - w.prefix.length - 1], '\n', 'starts at a line start');
    assert.ok(w.prefix.length >= SHORT_PREFIX_CHARS - 1_024 && w.prefix.length <= SHORT_PREFIX_CHARS + SHORT_PREFIX_STEP, `prefix ${w.prefix.length}`);
    assert.ok(text.slice(at).startsWith(w.suffix));
    assert.ok(w.suffix.endsWith('\n') && w.suffix.length <= SHORT_SUFFIX_CHARS);
  });

  it('the prefix start stays put while the user types, and moves in steps', () => {
    const starts = new Set<number>();
    let moves = 0;
    let previous: number | undefined;
    for (let at = 50_000; at < 50_000 + 3 * SHORT_PREFIX_STEP; at += 7) {
      const w = shortWindows(cursorWindows(stringReader(text), at));
      const start = at - w.prefix.length;
      starts.add(start);
      if (previous !== undefined && start !== previous) {
        moves++;
      }
      previous = start;
    }
    assert.ok(moves >= 1 && moves <= 3, `moved ${moves} times over ${3 * SHORT_PREFIX_STEP} characters`);
  });

  it('keeps the long windows for a file that is not the one in the context', () => {
    const ctx = new CompletionContext();
    const active = doc('a.ts', text, 0);
    const packed = pack(ctx, [active], active, 1_000_000, { line: 2_000, character: 0 });
    // e.g. settings.json: the provider runs there, but the tracker's active file is another one.
    const s = { ...snap('█'), docKey: 'vscode-userdata:/settings.json', path: 'settings.json', ...cursorWindows(stringReader(text), 60_000) };
    const { messages } = buildCompletionPrompt(s, packed, 'kimi-k2.5').request;
    assert.equal(messages[2].content, s.prefix);
    assert.doesNotMatch(messages[1].content as string, /copy among the files above/);
  });

  it('the prompt carries the short windows and says the copy above may be older', () => {
    const ctx = new CompletionContext();
    const active = doc('a.ts', text, 0);
    const packed = pack(ctx, [active], active, 1_000_000, { line: 2_000, character: 0 });
    const at = 60_000;
    const s = { ...snap('█'), docKey: active.uri, path: 'named/otherwise/a.ts', ...cursorWindows(stringReader(text), at) };
    const { messages } = buildCompletionPrompt(s, packed, 'kimi-k2.5').request;
    assert.equal(messages[2].content, shortWindows(s).prefix);
    assert.match(messages[1].content as string, /copy among the files above may be older/);
    assert.match(messages[1].content as string, /The file being edited is a\.ts /, 'named as its block in the context names it');
    assert.ok((messages[1].content as string).endsWith(`${shortWindows(s).suffix}\n</text_after_cursor>`));
  });
});
