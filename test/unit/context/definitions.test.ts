import * as assert from 'node:assert/strict';
import { contentSkipReason, scanContent } from '../../../src/core/context/contentFilters';
import { packContext } from '../../../src/core/context/contextPacker';
import { PackCache } from '../../../src/core/context/packCache';
import type { TrackedDocument } from '../../../src/core/context/contextTypes';
import { renderContextView } from '../../../src/core/context/contextReportView';
import { declarationAt, enclosingDeclarationLine } from '../../../src/core/context/declarationText';
import { selectDefinitions } from '../../../src/core/context/definitionBlock';
import { CombinedDefinitionResolver, definitionTargets, LocatorDefinitionResolver } from '../../../src/core/context/definitionResolver';
import type { Definition, DefinitionLocator } from '../../../src/core/context/definitionTypes';
import { ImportGraphResolver, importCandidates, parseImports } from '../../../src/core/context/importGraph';

const SHAPES = `import { Base } from './base';

/** A shape with an area. */
export interface Shape {
  /** Area in square units. */
  area(): number;
  readonly name: string;
}

export class Circle extends Base implements Shape {
  readonly name = 'circle';
  private cache = 0;
  constructor(private readonly radius: number) {
    super();
  }

  /** The area, computed once. */
  area(): number {
    if (this.cache === 0) {
      this.cache = Math.PI * this.radius * this.radius;
      for (let i = 0; i < 10; i++) {
        this.cache += 0;
        this.cache -= 0;
        this.cache *= 1;
        this.cache /= 1;
        this.cache += 0;
        this.cache -= 0;
        this.cache *= 1;
        this.cache /= 1;
        this.cache += 0;
        this.cache -= 0;
        this.cache *= 1;
        this.cache /= 1;
      }
    }
    return this.cache;
  }

  scale(by: number): Circle {
    const next = new Circle(this.radius * by);
    for (let i = 0; i < 10; i++) {
      void next.area();
      void next.area();
      void next.area();
      void next.area();
      void next.area();
      void next.area();
      void next.area();
      void next.area();
      void next.area();
    }
    return next;
  }
}

export type Unit = 'cm' | 'in';

export function describe(shape: Shape, unit: Unit = 'cm'): string {
  return \`\${shape.name}: \${shape.area()} \${unit}²\`;
}
`;

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));

describe('declarationAt', () => {
  it('keeps a small declaration whole, with its doc comment', () => {
    const d = declarationAt(SHAPES, lineOf(SHAPES, 'export interface Shape'));
    assert.ok(d);
    assert.equal(d.kind, 'interface');
    assert.equal(d.name, 'Shape');
    assert.match(d.text, /^\/\*\* A shape with an area\. \*\/\nexport interface Shape \{/);
    assert.match(d.text, /readonly name: string;\n\}$/);
  });

  it('lists a large class as member signatures, bodies and private members left out', () => {
    const d = declarationAt(SHAPES, lineOf(SHAPES, 'export class Circle'));
    assert.ok(d);
    assert.equal(d.kind, 'class');
    assert.equal(d.name, 'Circle');
    assert.match(d.text, /^export class Circle extends Base implements Shape \{\n/);
    assert.match(d.text, /\n {2}area\(\): number \{ … \}\n/);
    assert.match(d.text, /\n {2}scale\(by: number\): Circle \{ … \}\n/);
    assert.match(d.text, /\n {2}readonly name = 'circle';\n/);
    assert.doesNotMatch(d.text, /private cache|Math\.PI|void next/);
    assert.equal(d.endLine, lineOf(SHAPES, 'export type Unit') - 2);
  });

  it('ends a one-line declaration at its line and a function at its closing brace', () => {
    const unit = declarationAt(SHAPES, lineOf(SHAPES, 'export type Unit'));
    assert.equal(unit?.text, "export type Unit = 'cm' | 'in';");
    const fn = declarationAt(SHAPES, lineOf(SHAPES, 'export function describe'));
    assert.equal(fn?.kind, 'function');
    assert.equal(fn?.endLine, lineOf(SHAPES, 'export function describe') + 2);
  });

  it('finds the class around a member', () => {
    assert.equal(enclosingDeclarationLine(SHAPES, lineOf(SHAPES, 'scale(by')), lineOf(SHAPES, 'export class Circle'));
    assert.equal(enclosingDeclarationLine(SHAPES, lineOf(SHAPES, 'export type Unit')), undefined);
  });
});

describe('import graph', () => {
  it('parses named, default, namespace and require imports', () => {
    const imports = parseImports("import a, { b as c, type D } from './x';\nimport * as ns from \"../y.js\";\nconst { e } = require('./z');\n");
    assert.deepEqual(imports.map((i) => [i.specifier, i.names.map((n) => `${n.imported}>${n.local}`), i.namespace ?? '', i.line]), [
      ['./x', ['b>c', 'D>D', 'default>a'], '', 0],
      ['../y.js', [], 'ns', 1],
      ['./z', ['e>e'], '', 2],
    ]);
  });

  it('resolves relative specifiers like a TypeScript resolver, and not package ones', () => {
    const c = importCandidates('file:///ws/src/a/b.ts', '../util.js');
    assert.equal(c[0], 'file:///ws/src/util.ts');
    assert.ok(c.includes('file:///ws/src/util.js/index.ts'));
    assert.deepEqual(importCandidates('file:///ws/src/a.ts', 'rxjs'), []);
  });

  it('finds an imported declaration through a barrel file', async () => {
    const files = new Map([
      ['file:///ws/src/shapes.ts', SHAPES],
      ['file:///ws/src/index.ts', "export * from './other';\nexport { Circle as Round } from './shapes';\n"],
      ['file:///ws/src/other.ts', 'export const other = 1;\n'],
    ]);
    const resolver = new ImportGraphResolver({ readText: (uri) => Promise.resolve(files.get(uri)), pathOf: (uri) => uri.replace('file:///ws/', '') });
    const defs = await resolver.resolve({ uri: 'file:///ws/src/app.ts', path: 'src/app.ts', languageId: 'typescript', text: "import { Round, other } from './index';\n", cursor: { line: 1, character: 0 } });
    assert.deepEqual(defs.map((d) => [d.path, d.name, d.kind, d.range.startLine, d.source]), [
      ['src/shapes.ts', 'Circle', 'class', 9, 'importGraph'],
      ['src/other.ts', 'other', 'variable', 0, 'importGraph'],
    ]);
  });
});

const APP = "import { describe as show } from './shapes';\n\nconst c = make();\nconst text = show(c, 'cm');\n";

function locator(answers: Record<string, { uri: string; line: number }[]>): DefinitionLocator {
  return {
    definitionsAt: (_uri, positions) => Promise.resolve(positions.map((p) => answers[`${p.line}:${p.character}`] ?? [])),
    readText: (uri) => Promise.resolve(uri === 'file:///ws/src/shapes.ts' ? SHAPES : undefined),
    pathOf: (uri) => uri.replace('file:///ws/', ''),
  };
}

describe('definition resolver', () => {
  it('asks about identifiers near the cursor first, then imported names', () => {
    const targets = definitionTargets(APP, { line: 3, character: 0 });
    assert.deepEqual(targets.map((t) => t.name), ['text', 'show', 'make']);
    assert.equal(targets[1].position.line, 3);
  });

  it('looks up a selection far from the cursor as if it were next to it', () => {
    const text = `${'const filler = 1;\n'.repeat(100)}const far = selectedThing();\n`;
    assert.ok(!definitionTargets(text, { line: 0, character: 0 }).some((t) => t.name === 'selectedThing'));
    const target = definitionTargets(text, { line: 0, character: 0 }, { startLine: 100, endLine: 100 }).find((t) => t.name === 'selectedThing');
    assert.deepEqual([target?.rank, target?.position.line], [0, 100]);
  });

  it('cuts out the declarations the locator points at, and adds the class of a member', async () => {
    const line = lineOf(SHAPES, 'scale(by');
    const resolver = new LocatorDefinitionResolver(locator({ '3:13': [{ uri: 'file:///ws/src/shapes.ts', line }] }));
    const defs = await resolver.resolve({ uri: 'file:///ws/src/app.ts', path: 'src/app.ts', languageId: 'typescript', text: APP, cursor: { line: 3, character: 0 } });
    assert.deepEqual(defs.map((d) => [d.kind, d.name, d.source]), [
      ['method', 'scale', 'languageServer'],
      ['class', 'Circle', 'languageServer'],
    ]);
    assert.match(defs[1].reason, /^declares scale/);
  });

  it('falls back to the import graph for names the language server does not answer', async () => {
    const files = { readText: (uri: string) => Promise.resolve(uri === 'file:///ws/src/shapes.ts' ? SHAPES : undefined), pathOf: (uri: string) => uri.replace('file:///ws/', '') };
    const resolver = new CombinedDefinitionResolver(new LocatorDefinitionResolver(locator({})), new ImportGraphResolver(files));
    const defs = await resolver.resolve({ uri: 'file:///ws/src/app.ts', path: 'src/app.ts', languageId: 'typescript', text: APP, cursor: { line: 3, character: 0 } });
    assert.deepEqual(defs.map((d) => [d.name, d.source]), [['describe', 'importGraph']]);
  });
});

function def(name: string, line: number, rank: number, text = `export function ${name}(): void;`, uri = 'file:///ws/src/lib.ts'): Definition {
  return { uri, path: uri.replace('file:///ws/', ''), range: { startLine: line, endLine: line }, kind: 'function', name, text, source: 'languageServer', reason: `\`${name}\` used`, rank };
}

describe('definitions block', () => {
  it('renders by path and line whatever the rank, and leaves out what the context carries', () => {
    const sel = selectDefinitions([def('b', 9, 0), def('a', 2, 5), def('c', 1, 1, undefined, 'file:///ws/src/open.ts')], 10_000, (uri) => (uri.endsWith('open.ts') ? 'src/open.ts' : undefined), undefined);
    assert.ok(sel.block);
    assert.ok(sel.block.text.indexOf('function a') < sel.block.text.indexOf('function b'));
    assert.doesNotMatch(sel.block.text, /function c/);
    assert.deepEqual(sel.report.map((r) => [r.name, r.included, r.note ?? '']).sort(), [
      ['a', true, ''],
      ['b', true, ''],
      ['c', false, 'already in the context (file src/open.ts)'],
    ]);
  });

  it('keeps the nearest within the budget, and the same set renders the same bytes', () => {
    const long = `export function far(): void;\n${'// filler line of text\n'.repeat(200)}`;
    const defs = [def('near', 5, 0), def('far', 50, 10, long)];
    const sel = selectDefinitions(defs, 200, () => undefined, undefined);
    assert.deepEqual(sel.report.map((r) => [r.name, r.included]), [
      ['near', true],
      ['far', false],
    ]);
    assert.match(sel.report[1].note ?? '', /^over budget/);
    const again = selectDefinitions([{ ...defs[0], reason: 'moved', rank: 3 }, defs[1]], 200, () => undefined, undefined);
    assert.equal(again.block?.text, sel.block?.text);
  });
});

function doc(path: string, text: string, firstOpened: number): TrackedDocument {
  return { uri: `file:///ws/${path}`, path, languageId: 'typescript', text, firstOpened, folderKey: 'file:///ws', relativePath: path };
}

const filler = (name: string, n: number): string => Array.from({ length: n }, (_, i) => `export const ${name}${i} = ${i} + ${i * 7};`).join('\n') + '\n';

describe('packer with definitions', () => {
  it('packs the definitions after the files, skips a file that does not fit and still packs smaller ones after it', () => {
    const docs = [doc('src/small1.ts', filler('s', 20), 0), doc('src/big.ts', filler('b', 300), 1), doc('src/small2.ts', filler('t', 20), 2), doc('src/app.ts', 'const x = 1;\n', 3)];
    const packed = packContext({ purpose: 'chat', budgetTokens: 4_000, documents: docs, activeUri: 'file:///ws/src/app.ts', cursor: { line: 0, character: 0 }, instructions: '', definitions: [def('used', 3, 0)] });
    assert.deepEqual(packed.blocks.map((b) => `${b.kind}:${b.key}`), ['file:src/small1.ts', 'file:src/small2.ts', 'definitions:definitions', 'activeFile:src/app.ts', 'cursorWindow:cursorWindow']);
    assert.match(packed.report.excluded.find((e) => e.path === 'src/big.ts')?.reason ?? '', /larger than half the context budget .*declarations used from it go in the definitions block/);
    const view = renderContextView(packed, { model: 'kimi-k2.6', windowTokens: 262_144, outputReserveTokens: 1_024 });
    assert.match(view, /\| function used \| src\/lib\.ts:4 \| language server \| `used` used \| \d+ \| yes \|/);
  });

  it('keeps the definitions block the same object while the active file is typed in', () => {
    const cache = new PackCache();
    const defs = [def('used', 3, 0)];
    const first = packContext({ purpose: 'chat', budgetTokens: 4_000, documents: [doc('src/app.ts', 'const x = 1;\n', 0)], activeUri: 'file:///ws/src/app.ts', definitions: defs, cache });
    const second = packContext({ purpose: 'chat', budgetTokens: 4_000, documents: [doc('src/app.ts', 'const x = 12;\n', 0)], activeUri: 'file:///ws/src/app.ts', definitions: defs, cache });
    const block = (p: typeof first) => p.blocks.find((b) => b.kind === 'definitions');
    assert.ok(block(first));
    assert.equal(block(second), block(first));
  });

  it('sends the project instructions for chat after the fixed instructions', () => {
    const packed = packContext({ purpose: 'chat', budgetTokens: 4_000, documents: [doc('src/app.ts', 'x\n', 0)], activeUri: 'file:///ws/src/app.ts', projectInstructions: [{ path: 'AGENTS.md', text: 'Use tabs.\n' }] });
    assert.deepEqual(packed.blocks.slice(0, 2).map((b) => b.kind), ['instructions', 'projectInstructions']);
    assert.match(packed.blocks[1].text, /### AGENTS\.md\n```markdown\nUse tabs\.\n```/);
  });
});

describe('minified judgement', () => {
  it('keeps a hand-written file with one long comment line, leaves out two long lines or one that is most of the file', () => {
    const handWritten = `// ${'x'.repeat(1_083)}\n${'const a = 1;\n'.repeat(200)}`;
    assert.equal(contentSkipReason('a.ts', scanContent(handWritten)), undefined);
    const twoLong = `${'a=1;'.repeat(300)}\n${'b=2;'.repeat(300)}\n${'const a = 1;\n'.repeat(200)}`;
    assert.match(contentSkipReason('b.js', scanContent(twoLong)) ?? '', /generated or minified/);
    const oneHuge = `${'a=1;'.repeat(2_000)}\n${'const a = 1;\n'.repeat(20)}`;
    assert.match(contentSkipReason('c.js', scanContent(oneHuge)) ?? '', /generated or minified/);
  });
});
