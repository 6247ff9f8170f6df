/**
 * `npm run bench -- relevance`: does the completion prompt carry the definitions a line needs?
 *
 * Corpus: the TypeScript sources that ship in the npm packages rxjs 7.8.2 (Apache-2.0), immer
 * 11.2.14 (MIT) and mobx 7.1.3 (MIT), installed as dev dependencies (never shipped).
 * Labels: lines that use a symbol defined in another file of the package; gold = where the
 * TypeScript language service's go-to-definition puts each such symbol (the declaration's
 * name line), on the unedited file. Lines are sampled with a fixed seed.
 * Scenario, as a new user meets it: only the current file open, the cursor at the start of the
 * line's code, the line's text removed. The prompt is the real one (completion context, packer,
 * prompt builder) for:
 *   (a) open tabs only: the current file;
 *   (b) the files the current file imports opened as tabs too, packed whole by the packer (an
 *       imported name's own file, through barrel files, as a user would open them by hand);
 *   (c) Moonpilot: the current file and the definitions block, its definitions found by the
 *       resolver the extension uses (definitionResolver.ts) with the language service as the
 *       locator instead of VS Code's provider, plus the import graph.
 * A definition counts as present when the prompt, outside the current file's own text, shows its
 * declaration line under that file's path (a file block or a definitions section). Metrics:
 * definition recall, file recall (the file named with any of its text), share of lines with every
 * definition present, prompt tokens (estimate, all messages), at 16K and 64K budgets.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildCompletionPrompt } from '../../src/core/completion/completionPrompt';
import type { CursorSnapshot } from '../../src/core/completion/completionTypes';
import { cursorWindows, stringReader } from '../../src/core/completion/completionWindow';
import { CompletionContext } from '../../src/core/completion/completionContext';
import type { PackedContext, TrackedDocument } from '../../src/core/context/contextTypes';
import { codeMask } from '../../src/core/context/codeMask';
import { CombinedDefinitionResolver, LocatorDefinitionResolver } from '../../src/core/context/definitionResolver';
import type { Definition, DefinitionResolver } from '../../src/core/context/definitionTypes';
import { ImportGraphResolver, importCandidates, parseImports } from '../../src/core/context/importGraph';
import { estimateTokens } from '../../src/core/context/tokenEstimate';
import { percentile, type BenchTable } from './benchTable';
import type { Benchmark } from './registry';
import { fileUri, TsDefinitionLocator, TsProject, uriFile } from './tsDefinitionLocator';

const ROOT = path.resolve(__dirname, '../../..');
const NM = path.join(ROOT, 'node_modules');
export const RELEVANCE_PACKAGES = [
  { name: 'rxjs', version: '7.8.2', licence: 'Apache-2.0' },
  { name: 'immer', version: '11.2.14', licence: 'MIT' },
  { name: 'mobx', version: '7.1.3', licence: 'MIT' },
] as const;
const LINES_PER_PACKAGE = Number(process.env.RELEVANCE_LINES ?? 40);
const LINES_PER_FILE = 3;
const SEED = 17;
const BUDGETS = [16_384, 65_536];
const MODEL = 'kimi-k2.6';

interface Gold {
  file: string;
  /** Path relative to node_modules, as the context names it. */
  path: string;
  line: number;
  text: string;
}

interface Sample {
  file: string;
  line: number;
  gold: Gold[];
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      walk(full, out);
    } else if (/\.tsx?$/.test(e.name)) {
      out.push(full);
    }
  }
  return out;
}

const relPath = (file: string): string => path.relative(NM, file).split(path.sep).join('/');

/** Lines worth completing: code, not comments, lone brackets, or lines of import and re-export statements. */
function candidateLines(text: string): number[] {
  const masked = codeMask(text);
  const mask = masked.split('\n');
  const moduleLines = new Set<number>();
  for (const m of masked.matchAll(/^[ \t]*(?:import|export)\b[^;]*?\bfrom\s*['"][^\n]*|^[ \t]*import\s*['"][^\n]*/gm)) {
    const first = masked.slice(0, m.index).split('\n').length - 1;
    const count = m[0].split('\n').length;
    for (let k = 0; k < count; k++) {
      moduleLines.add(first + k);
    }
  }
  const out: number[] = [];
  mask.forEach((l, i) => {
    const t = l.trim();
    if (t.length >= 8 && /[A-Za-z_$]/.test(t) && !moduleLines.has(i)) {
      out.push(i);
    }
  });
  return out;
}

/** The definitions in other files of the package that the identifiers of `line` resolve to. */
function goldOf(project: TsProject, srcDir: string, file: string, text: string, line: number): Gold[] {
  const lines = text.split('\n');
  const masked = codeMask(text).split('\n')[line];
  const seen = new Set<string>();
  const out: Gold[] = [];
  for (const m of masked.matchAll(/[A-Za-z_$][\w$]*/g)) {
    const offset = project.offsetOf(file, { line, character: m.index ?? 0 });
    for (const d of project.definitions(file, offset)) {
      if (d.file === file || !d.file.startsWith(srcDir + path.sep) || d.file.endsWith('.d.ts')) {
        continue;
      }
      const key = `${d.file}:${d.line}`;
      if (seen.has(key)) {
        continue;
      }
      seen.add(key);
      const defText = (project.text(d.file) ?? '').split('\n')[d.line]?.trim() ?? '';
      if (defText.length >= 6) {
        out.push({ file: d.file, path: relPath(d.file), line: d.line, text: defText });
      }
    }
  }
  void lines;
  return out;
}

function sampleLines(project: TsProject, srcDir: string, files: readonly string[], rand: () => number): Sample[] {
  const samples: Sample[] = [];
  for (const file of shuffle(files.filter((f) => !f.endsWith('.d.ts')), rand)) {
    if (samples.length >= LINES_PER_PACKAGE) {
      break;
    }
    const text = project.text(file) ?? '';
    let taken = 0;
    for (const line of shuffle(candidateLines(text), rand)) {
      if (taken >= LINES_PER_FILE || samples.length >= LINES_PER_PACKAGE) {
        break;
      }
      const gold = goldOf(project, srcDir, file, text, line);
      if (gold.length > 0) {
        samples.push({ file, line, gold });
        taken++;
      }
    }
  }
  return samples;
}

function trackedDoc(file: string, text: string, firstOpened: number): TrackedDocument {
  const rel = relPath(file);
  return { uri: fileUri(file), path: rel, relativePath: rel, folderKey: 'file:///nm', languageId: 'typescript', text, firstOpened };
}

interface Outcome {
  found: number;
  files: number;
  all: boolean;
  tokens: number;
}

/** Which gold definitions the prompt shows outside the current file (see the file comment). */
function judge(packed: PackedContext, prompt: ReturnType<typeof buildCompletionPrompt>, sample: Sample, currentPath: string): Outcome {
  const byPath = new Map<string, string[]>();
  const add = (p: string, text: string): void => {
    byPath.set(p, [...(byPath.get(p) ?? []), text]);
  };
  for (const b of packed.blocks) {
    if (b.kind === 'file' && b.key !== currentPath) {
      add(b.key, b.text);
    } else if (b.kind === 'definitions') {
      for (const section of b.text.split('\n### ').slice(1)) {
        add(section.slice(0, section.indexOf(', line ')), section);
      }
    }
  }
  let found = 0;
  const files = new Set<string>();
  for (const g of sample.gold) {
    const texts = byPath.get(g.path);
    if (texts) {
      files.add(g.path);
    }
    if (texts?.some((t) => t.includes(g.text))) {
      found++;
    } else if (process.env.RELEVANCE_DEBUG && packed.report.definitions) {
      const offered = packed.report.definitions.filter((d) => d.path === g.path).map((d) => `${d.name}@${d.line}${d.included ? '' : `(${d.note})`}`);
      console.error(`MISS ${currentPath}:${sample.line + 1} -> ${g.path}:${g.line + 1} ${g.text} | offered: ${offered.join(', ')}`);
    }
  }
  const goldFiles = new Set(sample.gold.map((g) => g.path));
  const tokens = prompt.request.messages.reduce((n, m) => n + estimateTokens(typeof m.content === 'string' ? m.content : ''), 0);
  return { found, files: [...goldFiles].filter((f) => files.has(f)).length, all: found === sample.gold.length, tokens };
}

function snapshotFor(file: string, text: string, offset: number): CursorSnapshot {
  const w = cursorWindows(stringReader(text), offset);
  return { docKey: fileUri(file), path: relPath(file), languageId: 'typescript', prefix: w.prefix, suffix: w.suffix, indent: { insertSpaces: true, tabSize: 2 }, explicit: false };
}

/**
 * The files a file imports, as a user opening them by hand would: each imported name's file
 * through barrel files (`export * from`), by the language service; else the module imported.
 */
function importedFiles(project: TsProject, file: string, text: string): string[] {
  const out: string[] = [];
  const add = (f: string | undefined): void => {
    if (f && f !== file && project.has(f) && !out.includes(f)) {
      out.push(f);
    }
  };
  const lines = text.split('\n');
  for (const stmt of parseImports(text)) {
    const module = importCandidates(fileUri(file), stmt.specifier).map(uriFile).find((f) => project.has(f));
    if (!module) {
      continue;
    }
    let any = false;
    for (const n of stmt.names) {
      for (let k = stmt.line; k < Math.min(lines.length, stmt.line + 60); k++) {
        const at = new RegExp(`(^|[^\\w$])${n.local.replace(/\$/g, '\\$')}(?![\\w$])`).exec(lines[k]);
        if (at) {
          for (const d of project.definitions(file, project.offsetOf(file, { line: k, character: at.index + at[1].length }))) {
            add(d.file);
            any = true;
          }
          break;
        }
      }
    }
    if (!any) {
      add(module);
    }
  }
  return out;
}

type Scenario = 'a' | 'b' | 'c';
const SCENARIO_LABEL: Record<Scenario, string> = { a: '(a) open tabs only', b: '(b) imports packed whole', c: '(c) Moonpilot definitions' };

async function runPackage(pkg: (typeof RELEVANCE_PACKAGES)[number], totals: Map<string, { gold: number; found: number; goldFiles: number; files: number; lines: number; all: number; tokens: number[] }>, defTokens: number[]): Promise<number> {
  const srcDir = path.join(NM, pkg.name, 'src');
  const files = walk(srcDir).filter((f) => !/\.(spec|test)\.tsx?$/.test(f));
  const project = new TsProject(files);
  const rand = mulberry32(SEED);
  const samples = sampleLines(project, srcDir, files, rand);
  const locator = new TsDefinitionLocator(project, NM);
  const resolver: DefinitionResolver = new CombinedDefinitionResolver(new LocatorDefinitionResolver(locator), new ImportGraphResolver(locator));
  for (const sample of samples) {
    const original = project.text(sample.file) ?? '';
    const lines = original.split('\n');
    const indent = /^[ \t]*/.exec(lines[sample.line])?.[0] ?? '';
    lines[sample.line] = indent;
    const edited = lines.join('\n');
    project.setText(sample.file, edited);
    const cursor = { line: sample.line, character: indent.length };
    const offset = lines.slice(0, sample.line).reduce((n, l) => n + l.length + 1, 0) + indent.length;
    const current = trackedDoc(sample.file, edited, 0);
    const snapshot = snapshotFor(sample.file, edited, offset);
    const definitions: Definition[] = await resolver.resolve({ uri: current.uri, path: current.path, languageId: 'typescript', text: edited, cursor });
    defTokens.push(definitions.reduce((n, d) => n + estimateTokens(d.text), 0));
    const imports = importedFiles(project, sample.file, edited).map((f, i) => trackedDoc(f, project.text(f) ?? '', i + 1));
    for (const budget of BUDGETS) {
      for (const scenario of ['a', 'b', 'c'] as Scenario[]) {
        const documents = scenario === 'b' ? [current, ...imports] : [current];
        const packed = new CompletionContext().pack({ budgetTokens: budget, documents, activeUri: current.uri, cursor, definitions: scenario === 'c' ? definitions : undefined });
        const prompt = buildCompletionPrompt(snapshot, packed, MODEL);
        const o = judge(packed, prompt, sample, current.path);
        const key = `${scenario}\u0000${budget}`;
        const t = totals.get(key) ?? { gold: 0, found: 0, goldFiles: 0, files: 0, lines: 0, all: 0, tokens: [] };
        t.gold += sample.gold.length;
        t.found += o.found;
        t.goldFiles += new Set(sample.gold.map((g) => g.path)).size;
        t.files += o.files;
        t.lines++;
        t.all += o.all ? 1 : 0;
        t.tokens.push(o.tokens);
        totals.set(key, t);
      }
    }
    project.setText(sample.file, original);
  }
  return samples.length;
}

export const relevanceBenchmark: Benchmark = {
  name: 'relevance',
  async run(): Promise<BenchTable[]> {
    const missing = RELEVANCE_PACKAGES.filter((p) => !fs.existsSync(path.join(NM, p.name, 'src')));
    if (missing.length > 0) {
      throw new Error(`relevance: ${missing.map((p) => p.name).join(', ')} not installed with src/ (run npm install: they are dev dependencies)`);
    }
    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    const all = new Map<string, { gold: number; found: number; goldFiles: number; files: number; lines: number; all: number; tokens: number[] }>();
    const defTokens: number[] = [];
    for (const pkg of RELEVANCE_PACKAGES) {
      const totals = new Map<string, { gold: number; found: number; goldFiles: number; files: number; lines: number; all: number; tokens: number[] }>();
      const started = Date.now();
      const n = await runPackage(pkg, totals, defTokens);
      notes.push(`${pkg.name} ${pkg.version} (${pkg.licence}): ${n} lines, ${totals.get(`a\u0000${BUDGETS[0]}`)?.gold ?? 0} gold definitions, ${((Date.now() - started) / 1000).toFixed(1)} s`);
      for (const [key, t] of totals) {
        const [scenario, budget] = key.split('\u0000');
        rows.push([pkg.name, SCENARIO_LABEL[scenario as Scenario], `${Number(budget) / 1024}K`, t.found / t.gold, t.files / t.goldFiles, t.all / t.lines, Math.round(percentile(t.tokens, 50)), Math.round(percentile(t.tokens, 90))]);
        const sum = all.get(key) ?? { gold: 0, found: 0, goldFiles: 0, files: 0, lines: 0, all: 0, tokens: [] };
        sum.gold += t.gold;
        sum.found += t.found;
        sum.goldFiles += t.goldFiles;
        sum.files += t.files;
        sum.lines += t.lines;
        sum.all += t.all;
        sum.tokens.push(...t.tokens);
        all.set(key, sum);
      }
    }
    for (const [key, t] of all) {
      const [scenario, budget] = key.split('\u0000');
      rows.push(['all', SCENARIO_LABEL[scenario as Scenario], `${Number(budget) / 1024}K`, t.found / t.gold, t.files / t.goldFiles, t.all / t.lines, Math.round(percentile(t.tokens, 50)), Math.round(percentile(t.tokens, 90))]);
    }
    notes.push(`Definitions found per line (before packing): p50 ${Math.round(percentile(defTokens, 50))} tokens, p90 ${Math.round(percentile(defTokens, 90))}.`);
    notes.push(`Seed ${SEED}, ${LINES_PER_PACKAGE} lines per package (RELEVANCE_LINES), at most ${LINES_PER_FILE} per file.`);
    return [
      {
        title: 'Relevance: definitions a line needs, present in the completion prompt (only the current file open, line removed)',
        columns: ['package', 'context', 'budget', 'definition recall', 'file recall', 'lines with all', 'prompt tokens p50', 'p90'],
        rows,
        notes,
      },
    ];
  },
};
