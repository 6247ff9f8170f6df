import * as assert from 'node:assert/strict';
import { contextBudget } from '../../../src/core/context/contextBudget';
import { packContext, type PackInput } from '../../../src/core/context/contextPacker';
import { PackCache } from '../../../src/core/context/packCache';
import type { TrackedDocument } from '../../../src/core/context/contextTypes';
import { IgnoreRules } from '../../../src/core/context/ignoreRules';
import { estimateTokens, withSafetyMargin } from '../../../src/core/context/tokenEstimate';

const CANARY = 'MOONPILOT_CANARY_7f3a9c1e';

function doc(path: string, text: string, firstOpened: number, extra: Partial<TrackedDocument> = {}): TrackedDocument {
  return { uri: `file:///ws/${path}`, path, languageId: path.endsWith('.md') ? 'markdown' : 'typescript', text, firstOpened, folderKey: 'file:///ws', relativePath: path, ...extra };
}

/** Deterministic pseudo-code of about `lines` lines. */
function code(name: string, lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    out.push(`export function ${name}${i}(value: number): number {\n  return value * ${i} + ${name.length};\n}`);
  }
  return `${out.join('\n')}\n`;
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) {
    i++;
  }
  return i;
}

function base(documents: TrackedDocument[], extra: Partial<PackInput> = {}): PackInput {
  return {
    purpose: 'chat',
    budgetTokens: 100_000,
    documents,
    activeUri: 'file:///ws/src/app.ts',
    cursor: { line: 3, character: 2 },
    workspace: { folders: ['ws'], files: ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/app.ts', 'README.md'] },
    ...extra,
  };
}

describe('contextPacker', () => {
  const a = doc('src/a.ts', code('alpha', 20), 0);
  const b = doc('src/b.ts', code('beta', 20), 1);
  const c = doc('src/c.ts', code('gamma', 20), 2);
  const active = doc('src/app.ts', code('app', 30), 3);

  it('orders blocks from least to most volatile', () => {
    const packed = packContext(base([c, active, a, b]));
    assert.deepEqual(
      packed.blocks.map((x) => `${x.kind}:${x.key}`),
      ['instructions:instructions', 'workspaceSummary:workspaceSummary', 'file:src/a.ts', 'file:src/b.ts', 'file:src/c.ts', 'activeFile:src/app.ts', 'cursorWindow:cursorWindow'],
    );
    assert.equal(packed.text, packed.blocks.map((x) => x.text).join(''));
    assert.equal(packed.tokens, packed.blocks.reduce((s, x) => s + x.tokens, 0));
    assert.equal(packed.report.totalTokens, packed.tokens);
  });

  it('is deterministic: same inputs, same bytes, whatever the input order or cache', () => {
    const one = packContext(base([a, b, c, active]));
    const two = packContext(base([active, c, b, a], { cache: new PackCache() }));
    const cache = new PackCache();
    packContext(base([a, b, c, active], { cache }));
    const three = packContext(base([b, a, active, c], { cache }));
    assert.equal(one.text, two.text);
    assert.equal(one.text, three.text);
    assert.deepEqual(one.report, three.report);
  });

  it('appends a newly opened file after the others', () => {
    const before = packContext(base([a, b, active]));
    const d = doc('src/d.ts', code('delta', 10), 4);
    const after = packContext(base([a, b, d, active]));
    const activeAt = before.text.indexOf('## Active file:');
    assert.ok(commonPrefix(before.text, after.text) >= activeAt, 'everything before the active file is unchanged');
    assert.ok(after.text.indexOf('src/d.ts') > after.text.indexOf('src/b.ts'));
  });

  it('keeps the bytes before a closed file identical', () => {
    const before = packContext(base([a, b, c, active]));
    const after = packContext(base([a, c, active]));
    const bAt = before.text.indexOf('## File: src/b.ts');
    assert.ok(bAt > 0);
    assert.ok(commonPrefix(before.text, after.text) >= bAt);
    assert.equal(after.text.slice(0, bAt), before.text.slice(0, bAt));
  });

  it('an edit of the active file changes only the tail', () => {
    const cache = new PackCache();
    const before = packContext(base([a, b, c, active], { cache }));
    const edited = { ...active, text: active.text.replace('return value * 7', 'return value * 77') };
    const after = packContext(base([a, b, c, edited], { cache, cursor: { line: 22, character: 20 } }));
    const activeAt = before.text.indexOf('## Active file:');
    assert.ok(commonPrefix(before.text, after.text) >= activeAt);
    assert.equal(after.text.indexOf('## Active file:'), activeAt);
  });

  it('completion leaves out the active file and the cursor window, and says so', () => {
    const packed = packContext(base([a, b, active], { purpose: 'completion' }));
    assert.ok(!packed.blocks.some((x) => x.kind === 'activeFile' || x.kind === 'cursorWindow'));
    assert.ok(!packed.text.includes('app0('));
    assert.equal(packed.report.excluded.find((e) => e.path === 'src/app.ts')?.kind, 'active');
    const chat = packContext(base([a, b, active], { purpose: 'completion', includeActiveFile: true }));
    assert.ok(chat.blocks.some((x) => x.kind === 'activeFile'));
  });

  it('never includes secret files, even open and active, nor a pasted private key', () => {
    const env = doc('.env', `API_KEY=${CANARY}\n`, 5);
    const pem = doc('deploy/server.pem', `-----BEGIN PRIVATE KEY-----\n${CANARY}\n-----END PRIVATE KEY-----\n`, 6);
    const ssh = doc('config', `Host x\n  IdentityFile ${CANARY}\n`, 7, { relativePath: undefined, folderKey: undefined, absolutePath: '/home/u/.ssh/config' });
    const pasted = doc('notes.md', `key:\n-----BEGIN OPENSSH PRIVATE KEY-----\n${CANARY}\n`, 8, { untitled: true });
    for (const activeUri of [env.uri, a.uri]) {
      const packed = packContext(base([a, env, pem, ssh, pasted], { activeUri }));
      assert.ok(!packed.text.includes(CANARY), 'canary never packed');
      const secrets = packed.report.excluded.filter((e) => e.kind === 'secret').map((e) => e.path).sort();
      assert.deepEqual(secrets, ['.env', 'config', 'deploy/server.pem', 'notes.md']);
    }
    // Even when the ignore rules re-include it.
    const rules = new IgnoreRules();
    rules.setIgnoreFile('file:///ws', '', '.moonpilotignore', '!.env\n');
    assert.ok(!packContext(base([a, env], { ignore: rules, activeUri: a.uri })).text.includes(CANARY));
  });

  it('leaves out ignored, binary and minified files with reasons', () => {
    const rules = new IgnoreRules();
    rules.setIgnoreFile('file:///ws', '', '.gitignore', 'dist/\n*.log\n');
    rules.setGlobs('file:///ws', 'moonpilot.context.exclude', ['**/fixtures/**']);
    const dist = doc('dist/out.ts', code('dist', 3), 4);
    const log = doc('debug.log', 'x\n', 5);
    const fixture = doc('test/fixtures/big.ts', code('fx', 3), 6);
    const bin = doc('img.ts', 'GIF89a\u0000\u0001\u0002', 7);
    const min = doc('lib.js', `var a=${'1+'.repeat(800)}1;\n`, 8);
    const packed = packContext(base([a, dist, log, fixture, bin, min, active], { ignore: rules }));
    const reasons = Object.fromEntries(packed.report.excluded.map((e) => [e.path, `${e.kind}: ${e.reason}`]));
    assert.match(reasons['dist/out.ts'], /^ignored: ignored by \.gitignore \(dist\/\)/);
    assert.match(reasons['debug.log'], /^ignored: ignored by \.gitignore \(\*\.log\)/);
    assert.match(reasons['test/fixtures/big.ts'], /^ignored: excluded by moonpilot\.context\.exclude/);
    assert.equal(reasons['img.ts'], 'content: binary');
    assert.match(reasons['lib.js'], /^content: generated or minified \(a line of \d+ characters\)/);
    assert.deepEqual(packed.blocks.filter((x) => x.kind === 'file').map((x) => x.key), ['src/a.ts']);
  });

  it('drops other files from the volatile end when over budget, never from the middle', () => {
    const files = Array.from({ length: 8 }, (_, i) => doc(`src/f${i}.ts`, code(`f${i}x`, 40), i));
    const act = doc('src/app.ts', code('app', 40), 100);
    const full = packContext(base([...files, act], { budgetTokens: 1_000_000 }));
    const fileTokens = full.blocks.find((x) => x.key === 'src/f0.ts')!.tokens;
    const budget = full.tokens - 3 * fileTokens - 10;
    const packed = packContext(base([...files, act], { budgetTokens: budget }));
    assert.ok(packed.tokens <= budget);
    assert.deepEqual(packed.blocks.filter((x) => x.kind === 'file').map((x) => x.key), ['src/f0.ts', 'src/f1.ts', 'src/f2.ts', 'src/f3.ts']);
    assert.ok(packed.blocks.some((x) => x.kind === 'activeFile') && packed.blocks.some((x) => x.kind === 'cursorWindow'));
    assert.deepEqual(packed.report.excluded.filter((e) => e.kind === 'budget').map((e) => e.path), ['src/f4.ts', 'src/f5.ts', 'src/f6.ts', 'src/f7.ts']);
    // The included prefix is byte-identical to the unconstrained pack's.
    const cut = full.text.indexOf('## File: src/f4.ts');
    assert.equal(packed.text.slice(0, cut), full.text.slice(0, cut));
  });

  it('leaves out a single file larger than half the budget, and a too-large active file keeps its cursor window', () => {
    const huge = doc('src/huge.ts', code('huge', 400), 0);
    const small = doc('src/small.ts', code('s', 5), 1);
    const act = doc('src/app.ts', code('app', 800), 2);
    const budget = Math.floor(estimateTokens(huge.text) * 1.5);
    const packed = packContext(base([huge, small, act], { budgetTokens: budget, cursor: { line: 100, character: 0 } }));
    const kinds = Object.fromEntries(packed.report.excluded.map((e) => [e.path, e.reason]));
    assert.match(kinds['src/huge.ts'], /larger than half the context budget/);
    assert.match(kinds['src/app.ts'], /active file over budget .*cursor is included/);
    assert.deepEqual(packed.blocks.map((x) => x.key), ['instructions', 'workspaceSummary', 'src/small.ts', 'cursorWindow']);
    assert.ok(packed.tokens <= budget);
  });

  it('respects a 256K window with big inputs', () => {
    const files = Array.from({ length: 60 }, (_, i) => doc(`src/m${i}.ts`, code(`module${i}z`, 600), i));
    const act = doc('src/app.ts', code('app', 2000), 1000);
    for (const purpose of ['chat', 'completion'] as const) {
      const budget = contextBudget({ purpose, windowTokens: 262_144, settings: { completionTokens: 262_144, chatTokens: 0 }, otherPromptTokens: 2_000 });
      const packed = packContext(base([...files, act], { purpose, budgetTokens: budget }));
      assert.ok(packed.tokens <= budget, `${purpose}: ${packed.tokens} ≤ ${budget}`);
      assert.ok(packed.tokens > budget * 0.9, `${purpose}: the budget is used (${packed.tokens} of ${budget})`);
      assert.equal(estimateTokens(packed.text) <= packed.tokens + 64, true, 'block sums match the whole');
      const reserve = purpose === 'completion' ? 1_024 : 32_768;
      assert.ok(withSafetyMargin(packed.tokens + 2_000) + reserve <= 262_144, `${purpose}: request fits the window`);
    }
  });

  it('marks untitled documents and fences text containing backticks safely', () => {
    const untitled = doc('Untitled-1', 'const s = ```nested```;\n', 0, { untitled: true, uri: 'untitled:Untitled-1', folderKey: undefined, relativePath: undefined });
    const packed = packContext(base([untitled, active]));
    const block = packed.blocks.find((x) => x.key === 'Untitled-1')!;
    assert.match(block.text, /^## File: Untitled-1 \(untitled, never saved\)\n````typescript\n/);
    assert.ok(block.text.endsWith('\n````\n\n'));
  });

  it('the cursor window shows the position and recent edits of included files only', () => {
    const env = doc('.env', `K=${CANARY}\n`, 9);
    const packed = packContext(
      base([a, env, active], {
        cursor: { line: 10, character: 4 },
        recentEdits: [
          { uri: env.uri, startLine: 0, endLine: 0 },
          { uri: a.uri, startLine: 2, endLine: 3 },
          { uri: active.uri, startLine: 10, endLine: 10 },
        ],
      }),
    );
    const cursor = packed.blocks.find((x) => x.kind === 'cursorWindow')!;
    assert.match(cursor.text, /^## Around the cursor: src\/app\.ts, line 11, column 5 \(lines 1–26 shown\)\n/);
    assert.match(cursor.text, /Recently edited: src\/app\.ts line 11; src\/a\.ts lines 3–4\n\n$/);
    assert.ok(!cursor.text.includes('.env'));
  });
});
