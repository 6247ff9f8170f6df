import * as assert from 'node:assert/strict';
import { CompletionContext } from '../../../src/core/completion/completionContext';
import { DEFAULT_CONTEXT_SETTINGS, type ContextSettings } from '../../../src/core/context/contextBudget';
import { ContextBuilder, type ContextBuilderSettings, type TrackedContext } from '../../../src/core/context/contextBuilder';
import { DEFAULT_CONTENT_LIMITS } from '../../../src/core/context/contentFilters';
import type { CursorPosition, EditedRange, ExcludedItem, PackedContext, TrackedDocument } from '../../../src/core/context/contextTypes';
import type { Definition } from '../../../src/core/context/definitionTypes';
import { IgnoreRules } from '../../../src/core/context/ignoreRules';
import { COMPACT_WHEN_IDLE_MS, OpenOrder } from '../../../src/core/context/openOrder';
import type { ModelInfo } from '../../../src/core/kimi/kimiTypes';
import type { Logger } from '../../../src/core/log/logger';

/** Deterministic pseudo-code of about `lines` functions. */
function code(name: string, lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    out.push(`export function ${name}${i}(value: number): number {\n  return value * ${i} + ${name.length};\n}`);
  }
  return `${out.join('\n')}\n`;
}

/** What a document tracker holds, as plain data: open files in an OpenOrder, the active one, the cursor. */
class FakeWorkspace {
  readonly order = new OpenOrder();
  private readonly docs = new Map<string, TrackedDocument>();
  activeUri: string | undefined;
  cursor: CursorPosition | undefined = { line: 2, character: 4 };
  readonly recentEdits: EditedRange[] = [];
  /** Editors the tracker left out up front. */
  excluded: ExcludedItem[] = [];
  definitions: readonly Definition[] = [];
  reads = 0;

  open(path: string, text: string): string {
    const uri = `file:///ws/${path}`;
    this.docs.set(uri, { uri, path, languageId: 'typescript', text, firstOpened: 0, folderKey: 'file:///ws', relativePath: path });
    this.order.open(uri);
    return uri;
  }

  activate(uri: string): void {
    this.activeUri = uri;
    this.order.use(uri);
  }

  edit(uri: string, text: string): void {
    const doc = this.docs.get(uri);
    assert.ok(doc);
    this.docs.set(uri, { ...doc, text });
  }

  read(): TrackedContext {
    this.reads++;
    const documents = [...this.docs.values()].map((d) => ({ ...d, firstOpened: this.order.seqOf(d.uri) ?? this.order.open(d.uri), parked: this.order.isParked(d.uri) }));
    return {
      documents,
      excluded: [...this.excluded],
      activeUri: this.activeUri,
      cursor: this.cursor,
      recentEdits: this.recentEdits,
      workspace: { folders: ['ws'], files: [...this.docs.values()].map((d) => d.path) },
      projectInstructions: [{ path: 'AGENTS.md', text: 'Use tabs.\n' }],
      definitions: this.definitions,
      ignore: new IgnoreRules(),
      limits: DEFAULT_CONTENT_LIMITS,
    };
  }
}

function setup(context: Partial<ContextSettings> = {}, listed?: readonly ModelInfo[]): { ws: FakeWorkspace; builder: ContextBuilder; clock: { now: number }; compactions: string[]; settings: ContextBuilderSettings } {
  const ws = new FakeWorkspace();
  const clock = { now: 1_000_000 };
  const compactions: string[] = [];
  const log: Logger = { debug: () => undefined, info: (_c, m) => void compactions.push(m), warn: () => undefined, error: () => undefined };
  const settings: ContextBuilderSettings = { completionModel: 'kimi-k2.6', chatModel: 'kimi-k3', context: { ...DEFAULT_CONTEXT_SETTINGS, ...context } };
  const builder = new ContextBuilder({
    read: () => ws.read(),
    order: ws.order,
    settings: () => settings,
    completion: new CompletionContext(),
    log,
    onCompacted: () => void compactions.push('summary refreshed'),
    now: () => clock.now,
    listedModels: () => listed,
  });
  return { ws, builder, clock, compactions, settings };
}

const keys = (p: PackedContext): string[] => p.blocks.map((b) => `${b.kind}:${b.key}`);
/** The packed text before the active file's block. */
function beforeActive(p: PackedContext): string {
  const i = p.blocks.findIndex((b) => b.kind === 'activeFile');
  assert.ok(i > 0, 'the active file is packed');
  return p.blocks
    .slice(0, i)
    .map((b) => b.text)
    .join('');
}

describe('context builder (pure: purpose → budget → pack → compact)', () => {
  it('budgets each purpose with its own model, window and output reserve', () => {
    const { builder } = setup();
    // kimi-k2.6: 262,144-token window; completion: 1,024 reserved, capped by completionTokens (16,384).
    assert.deepEqual(builder.budgetFor('completion'), { model: 'kimi-k2.6', windowTokens: 262_144, outputReserveTokens: 1_024, budgetTokens: 16_384 });
    // kimi-k3: 1,048,576-token window; chat: 32,768 reserved, chatTokens 0 → the whole-window cap (131,072).
    assert.deepEqual(builder.budgetFor('chat'), { model: 'kimi-k3', windowTokens: 1_048_576, outputReserveTokens: 32_768, budgetTokens: 131_072 });
    // The caller's cap and the rest of the request count.
    assert.equal(builder.budgetFor('chat', { budgetTokens: 5_000 }).budgetTokens, 5_000);
    assert.equal(builder.budgetFor('completion', { otherPromptTokens: 16_000 }).budgetTokens, 16_384);
  });

  it('budgets with the served window once the model list is known, and never below zero', () => {
    const { builder, settings } = setup({ completionTokens: 100_000 }, [{ id: 'kimi-k2.6', contextLength: 8_192 }]);
    // floor((8,192 − 1,024) / 1.15) = 6,233.
    assert.deepEqual(builder.budgetFor('completion'), { model: 'kimi-k2.6', windowTokens: 8_192, outputReserveTokens: 1_024, budgetTokens: 6_233 });
    assert.equal(builder.budgetFor('completion', { otherPromptTokens: 1_000 }).budgetTokens, 5_233);
    settings.chatModel = 'kimi-k2.6';
    // Chat reserves 32,768 for the answer: nothing is left of an 8K window.
    assert.equal(builder.budgetFor('chat').budgetTokens, 0);
  });

  it('packs in a stable order: only the active file and what follows it change when only it changed', () => {
    const { ws, builder } = setup();
    ws.open('src/c.ts', code('gamma', 10));
    ws.open('src/a.ts', code('alpha', 10));
    ws.open('src/b.ts', code('beta', 10));
    const app = ws.open('src/app.ts', code('app', 12));
    ws.activate(app);

    const first = builder.pack('chat');
    assert.deepEqual(keys(first), [
      'instructions:instructions',
      'projectInstructions:projectInstructions',
      'workspaceSummary:workspaceSummary',
      'file:src/c.ts',
      'file:src/a.ts',
      'file:src/b.ts',
      'activeFile:src/app.ts',
      'cursorWindow:cursorWindow',
    ]);
    ws.edit(app, `// typed\n${code('app', 12)}`);
    ws.cursor = { line: 0, character: 8 };
    const second = builder.pack('chat');
    assert.deepEqual(keys(second), keys(first));
    const prefix = beforeActive(first);
    assert.equal(beforeActive(second), prefix);
    assert.ok(second.text.startsWith(prefix));
    assert.notEqual(second.text, first.text);
    assert.ok(prefix.includes('export function gamma0') && prefix.indexOf('gamma0') < prefix.indexOf('alpha0') && prefix.indexOf('alpha0') < prefix.indexOf('beta0'));
    // The project's instructions go with chat only.
    assert.ok(!keys(builder.pack('completion')).includes('projectInstructions:projectInstructions'));
  });

  it('hands the definitions only while the context carries the active file', () => {
    const { ws, builder } = setup();
    const app = ws.open('src/app.ts', 'import { shape } from "./shape";\nshape();\n');
    ws.activate(app);
    ws.definitions = [{ uri: 'file:///ws/src/shape.ts', path: 'src/shape.ts', range: { startLine: 0, endLine: 0 }, kind: 'function', name: 'shape', text: 'export function shape(): void', source: 'languageServer', reason: '`shape` used on line 2', rank: 0 }];
    const withActive = builder.pack('chat');
    assert.ok(keys(withActive).includes('definitions:definitions'));
    assert.deepEqual(withActive.report.definitions?.map((d) => `${d.name}:${String(d.included)}`), ['shape:true']);
    // The active file left out up front (e.g. waiting for its ignore rules): no definitions either.
    ws.activeUri = 'file:///ws/src/other.ts';
    const without = builder.pack('chat');
    assert.ok(!keys(without).includes('definitions:definitions'));
    assert.deepEqual(without.report.definitions ?? [], []);
  });

  it('reports what it left out: the tracker’s items, secrets and files over budget', () => {
    const { ws, builder } = setup();
    ws.open('.env', 'API_KEY=sk-canary-123456\n');
    ws.open('src/big.ts', code('big', 200));
    const app = ws.open('src/app.ts', code('app', 3));
    ws.activate(app);
    ws.excluded = [{ path: 'output:tasks', reason: 'not a file (output: scheme)', kind: 'scheme' }];
    const packed = builder.pack('chat', { budgetTokens: 2_000 });
    const excluded = packed.report.excluded.map((e) => `${e.kind ?? ''}:${e.path}`);
    assert.deepEqual(excluded.sort(), ['budget:src/big.ts', 'scheme:output:tasks', 'secret:.env'].sort());
    assert.ok(!packed.text.includes('sk-canary'));
    assert.ok(packed.tokens <= 2_000, `${packed.tokens} tokens within the budget`);
  });

  it('compacts under a small budget once idle: parks the least recently used files and lists the summary again', () => {
    const { ws, builder, clock, compactions } = setup();
    const a = ws.open('src/a.ts', code('alpha', 12));
    ws.open('src/b.ts', code('beta', 12));
    ws.open('src/c.ts', code('gamma', 12));
    const app = ws.open('src/app.ts', code('app', 2));
    ws.activate(app);
    ws.order.use(a); // a is the most recently used of the others
    // Room for one of the three files (about 300 tokens each) beside the fixed blocks.
    const budget = { budgetTokens: 1_000 };

    const first = builder.pack('chat', budget);
    assert.deepEqual(first.report.excluded.filter((e) => e.kind === 'budget').map((e) => e.path), ['src/b.ts', 'src/c.ts']);
    assert.deepEqual(compactions, [], 'no compaction while requests keep coming');

    clock.now += COMPACT_WHEN_IDLE_MS - 1;
    builder.pack('chat', budget);
    assert.deepEqual(compactions, [], 'not idle long enough');

    clock.now += COMPACT_WHEN_IDLE_MS;
    const readsBefore = ws.reads;
    const after = builder.pack('chat', budget);
    // The others beside the fixed blocks: a (used last) and c (opened after b) fit, b, the least recently used, is parked.
    assert.deepEqual(compactions, ['compacted the open-file order (3 files, 1 parked)', 'summary refreshed']);
    // Read to pack, to compact, and again to pack with the new order.
    assert.equal(ws.reads - readsBefore, 3);
    assert.deepEqual(after.report.excluded.map((e) => `${e.kind ?? ''}:${e.path}`), ['parked:src/b.ts', 'budget:src/c.ts']);
    assert.deepEqual(keys(after).filter((k) => k.startsWith('file:')), ['file:src/a.ts']);
    // Parked stays parked: no second compaction right after.
    clock.now += 1;
    builder.pack('chat', budget);
    assert.equal(compactions.length, 2);
  });

  it('does not let the small completion budget park files for chat', () => {
    const { ws, builder, clock, compactions } = setup();
    ws.open('src/a.ts', code('alpha', 40));
    ws.open('src/b.ts', code('beta', 40));
    const app = ws.open('src/app.ts', code('app', 2));
    ws.activate(app);
    const completion = builder.pack('completion', { budgetTokens: 300 });
    assert.ok(completion.report.excluded.some((e) => e.kind === 'budget'), 'completion drops files for its budget');
    clock.now += 2 * COMPACT_WHEN_IDLE_MS;
    const chat = builder.pack('chat');
    assert.deepEqual(compactions, []);
    assert.deepEqual(keys(chat).filter((k) => k.startsWith('file:')), ['file:src/a.ts', 'file:src/b.ts']);
  });
});
