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
import { percentile, type BenchTable } from './benchTable';
import type { Benchmark } from './registry';
import { NM } from './relevance/corpusFiles';
import { runPackage, type RelevancePackage, type RelevanceRun, type Scenario, type ScenarioTotals } from './relevance/relevancePackage';

/** The corpus: the TypeScript sources these npm packages ship (dev dependencies, never shipped). */
export const RELEVANCE_PACKAGES = [
  { name: 'rxjs', version: '7.8.2', licence: 'Apache-2.0' },
  { name: 'immer', version: '11.2.14', licence: 'MIT' },
  { name: 'mobx', version: '7.1.3', licence: 'MIT' },
] as const satisfies readonly RelevancePackage[];
const LINES_PER_PACKAGE = Number(process.env.RELEVANCE_LINES ?? 40);
const LINES_PER_FILE = 3;
const SEED = 17;
const BUDGETS = [16_384, 65_536];
const MODEL = 'kimi-k2.6';
const RUN: RelevanceRun = { seed: SEED, limits: { perPackage: LINES_PER_PACKAGE, perFile: LINES_PER_FILE }, budgets: BUDGETS, model: MODEL };

const SCENARIO_LABEL: Record<Scenario, string> = { a: '(a) open tabs only', b: '(b) imports packed whole', c: '(c) Moonpilot definitions' };

export const relevanceBenchmark: Benchmark = {
  name: 'relevance',
  async run(): Promise<BenchTable[]> {
    const missing = RELEVANCE_PACKAGES.filter((p) => !fs.existsSync(path.join(NM, p.name, 'src')));
    if (missing.length > 0) {
      throw new Error(`relevance: ${missing.map((p) => p.name).join(', ')} not installed with src/ (run npm install: they are dev dependencies)`);
    }
    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    const all = new Map<string, ScenarioTotals>();
    const defTokens: number[] = [];
    for (const pkg of RELEVANCE_PACKAGES) {
      const totals = new Map<string, ScenarioTotals>();
      const started = Date.now();
      const n = await runPackage(pkg, RUN, totals, defTokens);
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
