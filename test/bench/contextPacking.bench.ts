/**
 * `npm run bench -- context`: the context packer on real code nobody here wrote (the TypeScript
 * declarations of `@types/node` and the sources of `openai`, as installed in node_modules).
 *
 * - cold pack filling the default chat model's window (kimi-k2.6: 262,144 tokens) (a fresh cache: every document scanned,
 *   filtered, estimated and rendered) and the re-pack after each keystroke (p50/p99);
 * - a replayed typing session: a function of a real file deleted and typed back one character at
 *   a time, one request per keystroke; for each request the byte prefix shared with the previous
 *   request, in tokens, rounded down to 256-token chunks, is what Kimi's prefix cache would serve.
 *   Side by side in the same run: the packer's order, and a naive order (active file first, the
 *   other files shuffled anew for each request) within the same budget;
 * - the token estimate's error against real BPE tokenizers (`o200k_base`, `cl100k_base`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { countTokens as cl100k } from 'gpt-tokenizer/cjs/encoding/cl100k_base';
import { countTokens as o200k } from 'gpt-tokenizer/cjs/encoding/o200k_base';
import { contextBudget } from '../../src/core/context/contextBudget';
import { packContext, type PackInput } from '../../src/core/context/contextPacker';
import { PackCache } from '../../src/core/context/packCache';
import type { ContextBlock, TrackedDocument } from '../../src/core/context/contextTypes';
import { estimateTokens, TOKEN_SAFETY_MARGIN } from '../../src/core/context/tokenEstimate';
import { DEFAULT_CHAT_MODEL } from '../../src/core/config/settings';
import { resolveModelProfile } from '../../src/core/kimi/modelProfiles';
import { percentile, type BenchTable } from './benchTable';
import type { Benchmark } from './registry';

const ROOT = path.resolve(__dirname, '../../..');
const NM = path.join(ROOT, 'node_modules');
/** The default chat model's window, from its profile (kimi-k2.6: 262,144 tokens). */
const CHAT_PROFILE = resolveModelProfile(DEFAULT_CHAT_MODEL);
const WINDOW = CHAT_PROFILE.contextLength;
const CHUNK = 256;
const ACTIVE_FILE = 'openai/src/resources/images.ts';

function walk(dir: string, accept: (file: string) => boolean, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') {
        walk(full, accept, out);
      }
    } else if (accept(full)) {
      out.push(full);
    }
  }
  return out;
}

function trackedDoc(file: string, firstOpened: number, text = fs.readFileSync(file, 'utf8')): TrackedDocument {
  const rel = path.relative(NM, file).split(path.sep).join('/');
  return { uri: `file:///nm/${rel}`, path: rel, relativePath: rel, folderKey: 'file:///nm', languageId: 'typescript', text, firstOpened };
}

/** The other open files: `@types/node` then `openai` sources, until well past the window. */
function corpus(): TrackedDocument[] {
  const files = [...walk(path.join(NM, '@types/node'), (f) => f.endsWith('.d.ts')), ...walk(path.join(NM, 'openai/src'), (f) => f.endsWith('.ts'))].filter((f) => !f.endsWith(ACTIVE_FILE.split('/').join(path.sep)));
  const docs: TrackedDocument[] = [];
  let tokens = 0;
  for (const file of files) {
    const doc = trackedDoc(file, docs.length);
    docs.push(doc);
    tokens += estimateTokens(doc.text);
    if (tokens > 1.5 * WINDOW) {
      break;
    }
  }
  return docs;
}

/** A seeded PRNG (mulberry32), so the naive order is arbitrary but the run is repeatable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The naive order: the same blocks, active file first, the others shuffled, same budget. */
function naiveBlocks(packed: ContextBlock[], others: ContextBlock[], random: () => number, budget: number): ContextBlock[] {
  const fixed = packed.filter((b) => b.kind === 'instructions' || b.kind === 'workspaceSummary');
  const active = packed.filter((b) => b.kind === 'activeFile' || b.kind === 'cursorWindow');
  const shuffled = [...others];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  let left = budget - [...fixed, ...active].reduce((s, b) => s + b.tokens, 0);
  const chosen: ContextBlock[] = [];
  for (const b of shuffled) {
    if (b.tokens <= left) {
      chosen.push(b);
      left -= b.tokens;
    }
  }
  return [...fixed, ...active, ...chosen];
}

/** Tokens of the byte prefix two prompts share, from their blocks (whole blocks + an estimate of the partial one). */
function sharedPrefixTokens(prev: ContextBlock[], next: ContextBlock[]): number {
  let tokens = 0;
  for (let i = 0; i < Math.min(prev.length, next.length); i++) {
    const a = prev[i].text;
    const b = next[i].text;
    if (a === b) {
      tokens += next[i].tokens;
      continue;
    }
    const n = Math.min(a.length, b.length);
    let k = 0;
    while (k < n && a.charCodeAt(k) === b.charCodeAt(k)) {
      k++;
    }
    return tokens + (k > 0 ? estimateTokens(b.slice(0, k)) : 0);
  }
  return tokens;
}

interface Session {
  cachedFraction: number;
  promptTokens: number;
  requests: number;
}

function errorRow(label: string, texts: string[]): (string | number)[] {
  const row: (string | number)[] = [label, texts.length];
  for (const count of [o200k, cl100k]) {
    const errs = texts.map((t) => {
      const truth = count(t, { disallowedSpecial: new Set() });
      return (estimateTokens(t) - truth) / truth;
    });
    const abs = errs.map(Math.abs);
    const total = texts.reduce((s, t) => s + estimateTokens(t), 0);
    const truth = texts.reduce((s, t) => s + count(t, { disallowedSpecial: new Set() }), 0);
    row.push(`${pct(abs.reduce((s, e) => s + e, 0) / abs.length)} / ${pct(percentile(abs, 90))} / ${pct(Math.min(...errs))} / ${pct((total - truth) / truth)}`);
  }
  return row;
}

function pct(x: number): string {
  return `${x >= 0 ? '' : '−'}${Math.abs(x * 100).toFixed(1)} %`;
}

export const contextPackingBenchmark: Benchmark = {
  name: 'context',
  async run(): Promise<BenchTable[]> {
    const others = corpus();
    const activeFull = fs.readFileSync(path.join(NM, ACTIVE_FILE), 'utf8');
    const totalInput = others.reduce((s, d) => s + estimateTokens(d.text), 0) + estimateTokens(activeFull);
    const budget = contextBudget({ purpose: 'chat', windowTokens: WINDOW, settings: { completionTokens: 16_384, chatTokens: 0 } });
    const workspace = { folders: ['node_modules'], files: [...others.map((d) => d.path), ACTIVE_FILE] };
    const input = (activeText: string, cursor: { line: number; character: number }, cache: PackCache): PackInput => ({
      purpose: 'chat',
      budgetTokens: budget,
      documents: [...others, trackedDoc(path.join(NM, ACTIVE_FILE), others.length, activeText)],
      activeUri: `file:///nm/${ACTIVE_FILE}`,
      cursor,
      recentEdits: [{ uri: `file:///nm/${ACTIVE_FILE}`, startLine: cursor.line, endLine: cursor.line }],
      workspace,
      cache,
    });

    // Cold packs: a fresh cache each time.
    const cold: number[] = [];
    let coldPacked = packContext(input(activeFull, { line: 0, character: 0 }, new PackCache()));
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      coldPacked = packContext(input(activeFull, { line: 0, character: 0 }, new PackCache()));
      cold.push(performance.now() - t0);
    }

    // The typing session: delete a region of the active file and type it back.
    const start = activeFull.indexOf('\n', Math.floor(activeFull.length * 0.45)) + 1;
    const typed = activeFull.slice(start, Math.min(activeFull.length, start + 1_500));
    const cache = new PackCache();
    const lineAt = (text: string, offset: number): { line: number; character: number } => {
      let line = 0;
      let last = -1;
      for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
        line++;
        last = i;
      }
      return { line, character: offset - last - 1 };
    };
    const random = rng(42);
    const timings: number[] = [];
    const withText: number[] = [];
    const ours: Session = { cachedFraction: 0, promptTokens: 0, requests: 0 };
    const naive: Session = { cachedFraction: 0, promptTokens: 0, requests: 0 };
    let cachedOurs = 0;
    let cachedNaive = 0;
    let prevOurs: ContextBlock[] | undefined;
    let prevNaive: ContextBlock[] | undefined;
    const prefix = activeFull.slice(0, start);
    const suffix = activeFull.slice(start + typed.length);
    // Other files' blocks for the naive order, rendered by the packer itself.
    const otherBlocks = packContext({ ...input(activeFull, { line: 0, character: 0 }, new PackCache()), budgetTokens: Number.MAX_SAFE_INTEGER, includeActiveFile: false }).blocks.filter((b) => b.kind === 'file');
    for (let k = 0; k <= typed.length; k++) {
      const text = prefix + typed.slice(0, k) + suffix;
      const cursor = lineAt(text, start + k);
      const t0 = performance.now();
      const packed = packContext(input(text, cursor, cache));
      const elapsed = performance.now() - t0;
      const joined = packed.text.length > 0 ? performance.now() - t0 : 0;
      if (k > 0) {
        timings.push(elapsed);
        withText.push(joined);
      }
      const naiveNow = naiveBlocks(packed.blocks, otherBlocks, random, budget);
      if (prevOurs && prevNaive) {
        cachedOurs += Math.floor(sharedPrefixTokens(prevOurs, packed.blocks) / CHUNK) * CHUNK;
        cachedNaive += Math.floor(sharedPrefixTokens(prevNaive, naiveNow) / CHUNK) * CHUNK;
        ours.promptTokens += packed.tokens;
        naive.promptTokens += naiveNow.reduce((s, b) => s + b.tokens, 0);
        ours.requests++;
        naive.requests++;
      }
      prevOurs = packed.blocks;
      prevNaive = naiveNow;
    }
    ours.cachedFraction = cachedOurs / ours.promptTokens;
    naive.cachedFraction = cachedNaive / naive.promptTokens;

    // Estimate error vs real BPE tokenizers: code (TypeScript sources and declarations), prose (READMEs), and the packed prompt.
    const code = [...others.slice(0, 60).map((d) => d.text), activeFull, ...walk(path.join(NM, 'typescript/lib'), (f) => /lib\.es20\d\d\.[a-z]+\.d\.ts$/.test(f)).map((f) => fs.readFileSync(f, 'utf8'))];
    const prose = fs
      .readdirSync(NM)
      .map((p) => path.join(NM, p, 'README.md'))
      .filter((f) => fs.existsSync(f) && fs.statSync(f).size > 2_000)
      .map((f) => fs.readFileSync(f, 'utf8'));
    const bpeO = o200k(coldPacked.text, { disallowedSpecial: new Set() });
    const bpeC = cl100k(coldPacked.text, { disallowedSpecial: new Set() });

    const ms = (x: number): string => `${x.toFixed(2)} ms`;
    const perf: BenchTable = {
      title: `Context packing (${CHAT_PROFILE.id} window, real code from node_modules)`,
      columns: ['measure', 'result', 'target'],
      rows: [
        ['input: open files / estimated tokens', `${others.length + 1} files / ${totalInput}`, '> window'],
        [`context budget (chat: 262,144 − 32,768 output reserve, ÷ ${1 + TOKEN_SAFETY_MARGIN} margin)`, budget, ''],
        ['packed: blocks / estimated tokens / bytes', `${coldPacked.blocks.length} / ${coldPacked.tokens} / ${coldPacked.text.length}`, '≤ budget'],
        ['packed prompt in real BPE tokens (o200k / cl100k)', `${bpeO} / ${bpeC}`, `≤ ${WINDOW - 32_768}`],
        ['cold pack, median of 7 (min / max)', `${ms(percentile(cold, 50))} (${ms(Math.min(...cold))} / ${ms(Math.max(...cold))})`, '≤ 100 ms'],
        [`re-pack after one keystroke, p50 / p99 (${timings.length} keystrokes)`, `${ms(percentile(timings, 50))} / ${ms(percentile(timings, 99))}`, '≤ 2 ms p50'],
        ['… and joining the prompt text (done once per request sent), p50 / p99', `${ms(percentile(withText, 50))} / ${ms(percentile(withText, 99))}`, ''],
      ],
      notes: [
        'Other files fill the budget in first-opened order and stop at the first that does not fit (never a hole in the stable prefix), so part of the budget can stay unused.',
      ],
    };
    const cacheTable: BenchTable = {
      title: `Prefix cache while typing (${typed.length} keystrokes into ${ACTIVE_FILE}, one request each, 256-token chunks)`,
      columns: ['order', 'prompt tokens (sum)', 'served from cache', 'cached fraction', 'target'],
      rows: [
        ['Moonpilot: stable → volatile', ours.promptTokens, cachedOurs, pct(ours.cachedFraction), '≥ 95 %'],
        ['naive: active first, others shuffled', naive.promptTokens, cachedNaive, pct(naive.cachedFraction), ''],
      ],
      notes: ['Each request is compared with the one before it (the first request of the session is not counted).'],
    };
    const errorTable: BenchTable = {
      title: 'Token estimate vs real BPE (mean |error| / p90 |error| / worst under-count / all together)',
      columns: ['text', 'files', 'vs o200k_base', 'vs cl100k_base'],
      rows: [
        errorRow('code (@types/node, openai, typescript/lib)', code),
        errorRow('prose (node_modules READMEs)', prose),
        errorRow('the packed prompt (the 256K window\'s context)', [coldPacked.text]),
      ],
      notes: [
        `Negative = the estimate counts fewer tokens than the BPE. The ${Math.round(TOKEN_SAFETY_MARGIN * 100)} % safety margin absorbs an under-count of up to ${(100 * (1 - 1 / (1 + TOKEN_SAFETY_MARGIN))).toFixed(0)} %.`,
      ],
    };
    return [perf, cacheTable, errorTable];
  },
};
