import * as path from 'node:path';
import { buildCompletionPrompt } from '../../../src/core/completion/completionPrompt';
import type { CursorSnapshot } from '../../../src/core/completion/completionTypes';
import { cursorWindows, stringReader } from '../../../src/core/completion/completionWindow';
import { CompletionContext } from '../../../src/core/completion/completionContext';
import type { TrackedDocument } from '../../../src/core/context/contextTypes';
import { CombinedDefinitionResolver, LocatorDefinitionResolver } from '../../../src/core/context/definitionResolver';
import type { Definition, DefinitionResolver } from '../../../src/core/context/definitionTypes';
import { ImportGraphResolver } from '../../../src/core/context/importGraph';
import { estimateTokens } from '../../../src/core/context/tokenEstimate';
import { fileUri, TsDefinitionLocator, TsProject } from '../tsDefinitionLocator';
import { NM, relPath, walk } from './corpusFiles';
import { importedFiles } from './importedFiles';
import { mulberry32, sampleLines, type SampleLimits } from './lineSampling';
import { judge } from './promptJudge';

/** A corpus package: its name under node_modules, and the version and licence the notes cite. */
export interface RelevancePackage {
  readonly name: string;
  readonly version: string;
  readonly licence: string;
}

/** How a run samples and prompts (the same for every package). */
export interface RelevanceRun {
  seed: number;
  limits: SampleLimits;
  budgets: readonly number[];
  model: string;
}

/** Sums over the sampled lines of one scenario at one budget. */
export interface ScenarioTotals {
  gold: number;
  found: number;
  goldFiles: number;
  files: number;
  lines: number;
  all: number;
  tokens: number[];
}

/** The three contexts compared (see the comment atop relevance.bench.ts). */
export type Scenario = 'a' | 'b' | 'c';

function trackedDoc(file: string, text: string, firstOpened: number): TrackedDocument {
  const rel = relPath(file);
  return { uri: fileUri(file), path: rel, relativePath: rel, folderKey: 'file:///nm', languageId: 'typescript', text, firstOpened };
}

function snapshotFor(file: string, text: string, offset: number): CursorSnapshot {
  const w = cursorWindows(stringReader(text), offset);
  return { docKey: fileUri(file), path: relPath(file), languageId: 'typescript', prefix: w.prefix, suffix: w.suffix, indent: { insertSpaces: true, tabSize: 2 }, explicit: false };
}

/**
 * Samples the package's lines, removes each in turn, and adds what each scenario's prompt shows
 * of its gold definitions to `totals` (keyed `scenario\u0000budget`); the definitions' tokens
 * (before packing) go to `defTokens`. Returns the number of lines sampled.
 */
export async function runPackage(pkg: RelevancePackage, run: RelevanceRun, totals: Map<string, ScenarioTotals>, defTokens: number[]): Promise<number> {
  const srcDir = path.join(NM, pkg.name, 'src');
  const files = walk(srcDir).filter((f) => !/\.(spec|test)\.tsx?$/.test(f));
  const project = new TsProject(files);
  const rand = mulberry32(run.seed);
  const samples = sampleLines(project, srcDir, files, rand, run.limits);
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
    for (const budget of run.budgets) {
      for (const scenario of ['a', 'b', 'c'] as Scenario[]) {
        const documents = scenario === 'b' ? [current, ...imports] : [current];
        const packed = new CompletionContext().pack({ budgetTokens: budget, documents, activeUri: current.uri, cursor, definitions: scenario === 'c' ? definitions : undefined });
        const prompt = buildCompletionPrompt(snapshot, packed, run.model);
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
