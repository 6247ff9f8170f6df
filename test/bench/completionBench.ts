/**
 * `npm run bench -- completion`: inline completion replayed against the Kimi simulator.
 *
 * 1. Replay: a typist retypes segments of real source files from node_modules, keystroke by
 *    keystroke (≈ 5–6 characters a second, pauses after lines), and two clients see the same
 *    keystrokes in the same run, each against its own simulator (own prefix cache):
 *    - naive: one request per keystroke, no delay, no reuse, no cache, never aborts (reads every
 *      stream to the end; an answer counts as shown only if no newer keystroke came first);
 *    - Moonpilot: the real request manager, prompt, stream cutter and clean-up.
 *    Same prompt builder and packed context (the real completion context and packer, 16K-token
 *    completion budget; the files being edited are open, opened first) for both. Time runs `SPEED` times faster for everyone (typist, delays, server), so
 *    every ratio is as at human speed; latencies are reported in human (virtual) ms.
 *    The simulated model answers from the file itself: the real continuation at `ACCURACY` of
 *    positions, else a few right characters and then other code; first byte after 300–600 ms,
 *    then 4 characters (≈ 1 token) every 20 ms.
 * 2. Overhead: provider entry (cursor windows, cache look-up, context pack with the real packer,
 *    prompt, request body) until the HTTP request is handed to fetch, with a context filling
 *    kimi-k2.6's 256K window, in real time; the simulator runs in a worker thread so its work is
 *    not counted.
 * 3. The same replay with the completion model set to kimi-k3 (low effort, reasoning before the
 *    code, each model at its own prices), on fresh simulators: $ per 1,000 keystrokes side by side.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { cleanCompletion } from '../../src/core/completion/completionCleanup';
import { buildCompletionPrompt, completionMode } from '../../src/core/completion/completionPrompt';
import { CompletionService, type CompletionEditor } from '../../src/core/completion/completionService';
import type { CompletionStreamSource, StreamedCompletion } from '../../src/core/completion/completionStream';
import type { CursorSnapshot } from '../../src/core/completion/completionTypes';
import { cursorWindows, stringReader } from '../../src/core/completion/completionWindow';
import type { CompletionFetcher, FetchResult, Suggestion } from '../../src/core/completion/requestTypes';
import { StreamCutter } from '../../src/core/completion/streamCutter';
import { CompletionContext } from '../../src/core/completion/completionContext';
import type { PackedContext, TrackedDocument } from '../../src/core/context/contextTypes';
import { parseSettings, type Prices } from '../../src/core/config/settings';
import { declarationAt } from '../../src/core/context/declarationText';
import type { Definition } from '../../src/core/context/definitionTypes';
import { KimiClient } from '../../src/core/kimi/kimiClient';
import { resolveModelProfile } from '../../src/core/kimi/modelProfiles';
import { silentLogger } from '../../src/core/log/logger';
import type { Clock } from '../../src/core/platform/clock';
import { promptTokens } from '../simulator/tokenEstimate';
import { percentile, type BenchTable } from './benchTable';
import type { BilledRequest, WorkerConfig, WorkerMessage } from './completionSimWorker';
import { documentAt, loadSources, typingPlan, type SourceFile, type TypingPlan } from './completionTyping';
import type { Benchmark } from './registry';

const NODE_MODULES = path.resolve(__dirname, '../../../node_modules');
const SPEED = 2;
const ACCURACY = 0.6;
/**
 * Keystrokes replayed (`COMPLETION_KEYSTROKES` overrides). 1,400 (20 places in 5 files): at 700
 * Moonpilot generated only ~150 output tokens, so two tokens moved the wasted share by 1.4 points,
 * and the session's one cold request weighed a third of all uncached prompt tokens.
 */
const KEYSTROKES = Number(process.env.COMPLETION_KEYSTROKES ?? 1_400);
const OVERHEAD_SAMPLES = 170;
/** The default completion model, and the one compared with it. */
const BASELINE_MODEL = 'kimi-k2.6';
const REASONING_MODEL = 'kimi-k3';
/**
 * Reasoning tokens K3 writes before a completion at `low` effort: no public figure, so an
 * assumption (`COMPLETION_K3_REASONING_TOKENS` overrides), stated in the table's notes.
 */
const K3_REASONING_TOKENS = Number(process.env.COMPLETION_K3_REASONING_TOKENS ?? 200);
/** The model of the replay running now (the overhead run always uses the baseline). */
let MODEL = BASELINE_MODEL;
const WINDOW_TOKENS = 262_144;
const pricesOf = (model: string): Prices => resolveModelProfile(model).prices as Prices;
let PRICES = pricesOf(BASELINE_MODEL);

export const completionBenchmark: Benchmark = { name: 'completion', run };

/** Which benchmark request an HTTP request belongs to (read by the fetch wrapper, sent as a header). */
const requestIds = new AsyncLocalStorage<number>();
let nextRequestId = 1;
/** performance.now() when each request was handed to fetch. */
const writtenAt = new Map<number, number>();
const onWritten = new Map<number, () => void>();

const benchFetch: typeof fetch = (input, init) => {
  const id = requestIds.getStore() ?? 0;
  writtenAt.set(id, performance.now());
  onWritten.get(id)?.();
  const headers = new Headers(init?.headers);
  headers.set('x-bench-id', String(id));
  return fetch(input, { ...init, headers });
};

/** Output tokens each request's client received (content chunks, as the simulator counts tokens). */
const received = new Map<number, number>();

/** A stream source that counts what arrives for the current benchmark request. */
function counting(client: KimiClient): CompletionStreamSource {
  return {
    async *stream(req, signal) {
      const id = requestIds.getStore() ?? 0;
      for await (const event of client.stream(req, signal)) {
        // Reasoning is generated (and billed) output too, though never shown.
        if (event.kind === 'content' || event.kind === 'thinking') {
          received.set(id, (received.get(id) ?? 0) + simTokens(event.text));
        }
        yield event;
      }
    },
  };
}

/** CPU time of this thread (ms); the simulator's worker thread is not counted. */
const threadCpuMs = (): number => {
  const usage = (process as unknown as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage?.();
  return usage ? (usage.user + usage.system) / 1000 : NaN;
};

/** Tokens as the simulator counts them (4 UTF-8 bytes each). */
const simTokens = (text: string): number => Math.ceil(Buffer.byteLength(text) / 4);

function scaledClock(speed: number): Clock {
  const t0 = performance.now();
  return {
    now: () => (performance.now() - t0) * speed,
    setTimeout: (fn, ms) => setTimeout(fn, ms / speed),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}

interface ClientResult {
  keystrokes: number;
  shown: number;
  used: Set<number>;
  /** Tokens of the text each used request kept (up to its cut). */
  kept: Map<number, number>;
  firstTokenToItem: number[];
  fromCache: number;
  reused: number;
  cacheLatency: number[];
  /** Output tokens generated after the request had gone stale, or past its stop point. */
  afterStale: number;
  /** Count `afterStale` from the billing records (clients that abort at once). */
  afterStaleFromBilling?: boolean;
}

const emptyResult = (): ClientResult => ({ keystrokes: 0, shown: 0, used: new Set(), kept: new Map(), firstTokenToItem: [], fromCache: 0, reused: 0, cacheLatency: [], afterStale: 0 });

/** The other files of the workspace, as the context builder's tracker would hold them. */
function otherDocuments(exclude: readonly string[], tokenGoal: number): TrackedDocument[] {
  const out: TrackedDocument[] = [];
  let tokens = 0;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (tokens > tokenGoal) {
        return;
      }
      const full = path.join(dir, entry.name);
      const rel = path.relative(NODE_MODULES, full).split(path.sep).join('/');
      if (entry.isDirectory()) {
        walk(full);
      } else if (full.endsWith('.ts') && !full.endsWith('.d.ts') && !exclude.includes(rel)) {
        const text = fs.readFileSync(full, 'utf8');
        out.push({ uri: `file:///nm/${rel}`, path: rel, relativePath: rel, folderKey: 'file:///nm', languageId: 'typescript', text, firstOpened: out.length });
        tokens += simTokens(text);
      }
    }
  };
  walk(path.join(NODE_MODULES, 'openai/src'));
  return out;
}

/**
 * A context source as the tracker does it for completion (the real CompletionContext and
 * packer, incremental): the files being edited are open, opened first, then the other files;
 * the active one is packed as a copy kept while the user types near the cursor.
 */
function contextSource(edited: readonly SourceFile[], others: readonly TrackedDocument[], budgetTokens: number): (snapshot: CursorSnapshot, activeText: string) => PackedContext {
  const context = new CompletionContext();
  const later = others.map((d, i) => ({ ...d, firstOpened: edited.length + i }));
  const definitions = new Map(edited.map((f, i) => [`file:///bench/${f.name}`, benchDefinitions(i)]));
  return (snapshot, activeText) => {
    // The cursor, as the tracker reads it from the editor. These files are shorter than the
    // prefix window, so the prefix is all the text before the cursor.
    let line = 0;
    for (let i = snapshot.prefix.indexOf('\n'); i >= 0; i = snapshot.prefix.indexOf('\n', i + 1)) {
      line++;
    }
    const cursor = { line, character: snapshot.prefix.length - (snapshot.prefix.lastIndexOf('\n') + 1) };
    const open = edited.map((f, i): TrackedDocument => {
      const uri = `file:///bench/${f.name}`;
      // A file the typist left is back to its original text: each segment is retyped whole.
      return { uri, path: f.name, relativePath: f.name, folderKey: 'file:///bench', languageId: f.languageId, text: uri === snapshot.docKey ? activeText : f.text, firstOpened: i };
    });
    return context.pack({ budgetTokens, documents: [...open, ...later], activeUri: snapshot.docKey, cursor, definitions: definitions.get(snapshot.docKey) ?? [] });
  };
}

/**
 * Definitions as the tracker hands them for one file (the same array while the set is
 * unchanged): a dozen exported declarations of a mobx source file (not open), so the keystroke
 * path packs a definitions block as it does in the extension. COMPLETION_BENCH_DEFINITIONS=0
 * leaves them out (to compare).
 */
function benchDefinitions(index: number): Definition[] {
  const dir = path.join(NODE_MODULES, 'mobx/src/core');
  if (!fs.existsSync(dir) || process.env.COMPLETION_BENCH_DEFINITIONS === '0') {
    return [];
  }
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
  const file = path.join(dir, files[index % files.length]);
  const text = fs.readFileSync(file, 'utf8');
  const out: Definition[] = [];
  text.split('\n').forEach((line, i) => {
    const decl = out.length < 12 && /^export (function|class|interface|const|type) /.test(line) ? declarationAt(text, i) : undefined;
    if (decl) {
      const rel = path.relative(NODE_MODULES, file).split(path.sep).join('/');
      out.push({ uri: `file:///nm/${rel}`, path: rel, range: { startLine: decl.startLine, endLine: decl.endLine }, kind: decl.kind, name: decl.name, text: decl.text, source: 'languageServer', reason: 'bench', rank: out.length });
    }
  });
  return out;
}

function snapshotFor(file: SourceFile, text: string, offset: number): CursorSnapshot {
  const w = cursorWindows(stringReader(text), offset);
  return { docKey: `file:///bench/${file.name}`, path: file.name, languageId: file.languageId, prefix: w.prefix, suffix: w.suffix, indent: { insertSpaces: true, tabSize: 2 }, explicit: false };
}

/**
 * The extension's completion service, minus VS Code: each request tagged with its benchmark id
 * (read by the fetch wrapper) and the stream it produced.
 */
function smartClient(baseUrl: string, apiKey: string, context: (s: CursorSnapshot, text: string) => PackedContext, clock: Clock, currentText: () => string, editor?: CompletionEditor) {
  const client = new KimiClient({ baseUrl, apiKey, dialect: 'moonshot', retry: false, fetch: benchFetch });
  const source = counting(client);
  const settings = parseSettings({ get: (key) => (key === 'completion.model' ? MODEL : undefined), userValue: () => undefined }, {});
  const instrument = (inner: CompletionFetcher): CompletionFetcher => (snapshot, signal, onText) => {
    const id = nextRequestId++;
    if (process.env.COMPLETION_BENCH_DEBUG) { console.error('START', id, JSON.stringify({ mode: completionMode(snapshot), before: snapshot.prefix.slice(-40) })); }
    const wrapped = (text: string, partial?: FetchResult): void => onText(text, partial && { ...partial, tag: { id, streamed: partial.tag as StreamedCompletion } });
    return requestIds.run(id, () => inner(snapshot, signal, wrapped)).then((r) => {
      if (process.env.COMPLETION_BENCH_DEBUG) { console.error('RESULT', id, JSON.stringify({ raw: (r.tag as StreamedCompletion).raw, text: r.completion?.text })); }
      return { ...r, tag: { id, streamed: r.tag as StreamedCompletion } };
    });
  };
  return new CompletionService({
    connection: { client: () => Promise.resolve(source) },
    settings: () => settings,
    completionSettings: parseSettings({ get: () => undefined, userValue: () => undefined }, {}).completion,
    context: (s) => context(s, currentText()),
    editor,
    log: silentLogger,
    clock,
    now: () => performance.now(),
    instrument,
  });
}

async function replay(plan: TypingPlan, urls: Record<string, string>, apiKey: string, others: TrackedDocument[]): Promise<{ smart: ClientResult; naive: ClientResult; ids: { smart: Set<number>; naive: Set<number> } }> {
  const clock = scaledClock(SPEED);
  let current = { text: '', file: plan.files[0], offset: 0 };
  const smartContext = contextSource(plan.files, others, 16_384);
  const naiveContext = contextSource(plan.files, others, 16_384);
  // The editor as the service's "ask again" sees it: VS Code calls the provider again a moment
  // later (a command), at the cursor as it is then; a keystroke in between has asked already.
  const cursorNow = (): CursorSnapshot => snapshotFor(current.file, current.text, current.offset);
  const editor: CompletionEditor = {
    cursor: cursorNow,
    askAgain: (asked) =>
      void setTimeout(() => {
        const snapshot = cursorNow();
        if (snapshot.docKey === asked.docKey && snapshot.prefix === asked.prefix && snapshot.suffix === asked.suffix) {
          ask(latestKey, snapshot);
        }
      }, 0),
  };
  const manager = smartClient(urls.smart, apiKey, smartContext, clock, () => current.text, editor);
  const naiveClient = new KimiClient({ baseUrl: urls.naive, apiKey, dialect: 'moonshot', retry: false, fetch: benchFetch });
  const smart: ClientResult = { ...emptyResult(), afterStaleFromBilling: true };
  const naive = emptyResult();
  const ids = { smart: new Set<number>(), naive: new Set<number>() };
  const pending: Promise<unknown>[] = [];
  let controller: AbortController | undefined;
  let latestKey = 0;
  const started = performance.now();
  const shownKeys = new Set<number>();
  /** A provider call for keystroke `k` (VS Code cancels the previous call and calls again). */
  const ask = (k: number, snapshot: CursorSnapshot): void => {
    controller?.abort();
    const c = new AbortController();
    controller = c;
    const t0 = performance.now();
    pending.push(
      manager.complete(snapshot, c.signal).then((s: Suggestion | undefined) => {
        if (!s || c.signal.aborted) {
          return;
        }
        shownKeys.add(k);
        const tag = s.tag as { id: number; streamed: StreamedCompletion };
        smart.used.add(tag.id);
        smart.kept.set(tag.id, Math.max(smart.kept.get(tag.id) ?? 0, simTokens(tag.streamed.raw)));
        if (s.source === 'cache') {
          smart.fromCache++;
          smart.cacheLatency.push(performance.now() - t0);
        } else {
          if (s.source === 'inflight') {
            smart.reused++;
          }
          if (tag.streamed.firstTokenAt !== undefined) {
            smart.firstTokenToItem.push((performance.now() - tag.streamed.firstTokenAt) * SPEED);
          }
        }
      }),
    );
  };

  for (let k = 0; k < plan.keystrokes.length; k++) {
    const key = plan.keystrokes[k];
    const wait = started + key.at / SPEED - performance.now();
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const file = plan.files[plan.segments[key.segment].file];
    const doc = documentAt(plan, key.segment, key.typed);
    current = { text: doc.text, file, offset: doc.offset };
    latestKey = k;
    smart.keystrokes++;
    ask(k, snapshotFor(file, doc.text, doc.offset));

    // Naive: a request per keystroke, read to the end, shown only if still current.
    naive.keystrokes++;
    const snapshot = snapshotFor(file, doc.text, doc.offset);
    const id = nextRequestId++;
    ids.naive.add(id);
    pending.push(
      requestIds.run(id, async () => {
        const prompt = buildCompletionPrompt(snapshot, naiveContext(snapshot, doc.text), MODEL);
        let raw = '';
        let first: number | undefined;
        for await (const event of counting(naiveClient).stream(prompt.request)) {
          if (event.kind === 'content') {
            first ??= performance.now();
            raw += event.text;
            if (latestKey !== k) {
              naive.afterStale += simTokens(event.text); // generated for a keystroke already superseded
            }
          }
        }
        if (latestKey !== k) {
          return;
        }
        const cutter = new StreamCutter(snapshot, prompt.mode);
        cutter.push(raw);
        const kept = cutter.stopped ? cutter.text : cutter.finish();
        naive.afterStale += simTokens(raw) - simTokens(kept); // past the point a cutter would have stopped
        if (cleanCompletion(kept, snapshot, prompt.mode)) {
          naive.shown++;
          naive.used.add(id);
          naive.kept.set(id, simTokens(kept));
          if (first !== undefined) {
            naive.firstTokenToItem.push((performance.now() - first) * SPEED);
          }
        }
      }).catch(() => undefined),
    );
  }
  controller?.abort();
  await Promise.all(pending);
  await new Promise((resolve) => setTimeout(resolve, 10));
  await Promise.all(pending);
  smart.shown = shownKeys.size;
  for (const id of writtenAt.keys()) {
    if (!ids.naive.has(id)) {
      ids.smart.add(id);
    }
  }
  return { smart, naive, ids };
}

interface OverheadResult {
  smart: number[];
  /** CPU time of the extension's thread over the same interval (excludes time other processes had the core). The thread clock often advances by scheduler ticks (4 ms at 250 Hz), so only the mean over many samples is meaningful. */
  smartCpu: number[];
  naive: number[];
  contextTokens: number;
}

/** Provider entry → request handed to fetch, with a context that fills the 256K window. */
async function overhead(url: string, apiKey: string, files: SourceFile[]): Promise<OverheadResult> {
  const file = files.find((f) => f.name === 'commander/lib/help.js') ?? files[0];
  const others = otherDocuments([file.name], 400_000);
  // Fill the window as the simulator counts tokens: the largest budget that still fits.
  let budget = 240_000;
  const probe = (b: number): number => {
    const packed = contextSource([file], others, b)(snapshotFor(file, file.text, 1000), file.text);
    const prompt = buildCompletionPrompt(snapshotFor(file, file.text, 1000), packed, MODEL);
    return promptTokens(prompt.request.messages) + prompt.request.maxTokens;
  };
  while (probe(budget) > WINDOW_TOKENS - 2_000) {
    budget -= 10_000;
  }
  const context = contextSource([file], others, budget);
  const contextTokens = simTokens(context(snapshotFor(file, file.text, 1000), file.text).text);
  let text = file.text;
  const manager = smartClient(url, apiKey, context, { now: () => performance.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) }, () => text);
  const naiveClient = new KimiClient({ baseUrl: url, apiKey, dialect: 'moonshot', retry: false, fetch: benchFetch });
  const result: OverheadResult = { smart: [], smartCpu: [], naive: [], contextTokens };
  // Retype a stretch in the middle of the file, one character per sample (every state new).
  const at = file.text.indexOf('\n', Math.floor(file.text.length / 2)) + 1;
  const stretch = file.text.slice(at, at + OVERHEAD_SAMPLES + 1);
  for (let i = 0; i < OVERHEAD_SAMPLES; i++) {
    const typed = stretch.slice(0, i + 1);
    text = file.text.slice(0, at) + typed + file.text.slice(at + stretch.length);
    const offset = at + typed.length;
    // Moonpilot (explicit: no deliberate delay; every state new, so every keystroke needs a request).
    const id = nextRequestId;
    const written = new Promise<void>((resolve) => onWritten.set(id, () => {
      cpuAtWrite = threadCpuMs();
      resolve();
    }));
    let cpuAtWrite = NaN;
    const cpu0 = threadCpuMs();
    const t0 = performance.now();
    const done = manager.complete({ ...snapshotFor(file, text, offset), explicit: true }, new AbortController().signal);
    await Promise.race([written, done, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    onWritten.delete(id);
    const t1 = writtenAt.get(id) ?? NaN;
    await done;
    if (i >= 20) {
      result.smartCpu.push(cpuAtWrite - cpu0);
    }
    if (i % 3 !== 0) {
      if (i >= 20) {
        result.smart.push(t1 - t0);
      }
      continue;
    }
    // Naive (every third sample, to keep the run short): same prompt, straight to the client.
    const nid = nextRequestId++;
    const n0 = performance.now();
    await requestIds.run(nid, async () => {
      const snapshot = snapshotFor(file, text, offset);
      const prompt = buildCompletionPrompt(snapshot, context(snapshot, text), MODEL);
      for await (const event of naiveClient.stream(prompt.request)) {
        void event;
      }
    });
    if (i >= 20) {
      result.smart.push(t1 - t0);
      result.naive.push((writtenAt.get(nid) ?? NaN) - n0);
    }
    void n0;
  }
  return result;
}

interface Totals {
  requests: number;
  closedByClient: number;
  promptTokens: number;
  cachedTokens: number;
  /** Prompt and cached tokens without the session's cold start: requests that found nothing at all cached. */
  warmPromptTokens: number;
  warmCachedTokens: number;
  sentTokens: number;
  wastedTokens: number;
  afterStale: number;
  cost: number;
}

function totals(billed: BilledRequest[], result: ClientResult): Totals {
  const t: Totals = { requests: 0, closedByClient: 0, promptTokens: 0, cachedTokens: 0, warmPromptTokens: 0, warmCachedTokens: 0, sentTokens: 0, wastedTokens: 0, afterStale: result.afterStaleFromBilling ? 0 : result.afterStale, cost: 0 };
  for (const r of billed) {
    t.requests++;
    t.closedByClient += r.closedByClient ? 1 : 0;
    t.promptTokens += r.promptTokens;
    t.cachedTokens += r.cachedTokens;
    if (r.cachedTokens > 0) {
      t.warmPromptTokens += r.promptTokens;
      t.warmCachedTokens += r.cachedTokens;
    }
    // Generated: all of it for a finished response; else what arrived, plus one chunk in flight.
    const got = received.get(r.benchId) ?? 0;
    const generated = r.completed ? r.plannedTokens : Math.min(r.plannedTokens, got > 0 ? got + 1 : 0);
    t.sentTokens += generated;
    if (result.afterStaleFromBilling) {
      // Moonpilot aborts at once: what arrived after that is the chunk in flight when it closed.
      t.afterStale += r.closedByClient && got > 0 ? generated - got : 0;
    }
    t.wastedTokens += result.used.has(r.benchId) ? Math.max(0, generated - (result.kept.get(r.benchId) ?? 0)) : generated;
    t.cost += ((r.promptTokens - r.cachedTokens) * PRICES.inputPerMillion + r.cachedTokens * PRICES.cachedInputPerMillion + generated * PRICES.outputPerMillion) / 1e6;
  }
  return t;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
const ms = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 2 : 0)} ms` : '—');

async function run(): Promise<BenchTable[]> {
  const tables = await runWith(BASELINE_MODEL, true);
  const baseline = lastTotals;
  const reasoning = await runWith(REASONING_MODEL, false);
  const k3 = lastTotals;
  if (!baseline || !k3) {
    return [...tables, ...reasoning];
  }
  const per1000 = (t: RunTotals): string => `$${((1000 * t.smart.cost) / t.smartResult.keystrokes).toFixed(4)}`;
  const perRequest = (t: RunTotals): string => (t.smart.sentTokens / Math.max(1, t.smart.requests)).toFixed(1);
  const rows: (string | number)[][] = [
    ['$ per 1,000 keystrokes (Moonpilot)', per1000(baseline), per1000(k3)],
    ['  ratio to kimi-k2.6', '1', ((k3.smart.cost / k3.smartResult.keystrokes) / (baseline.smart.cost / baseline.smartResult.keystrokes)).toFixed(2)],
    ['$ per 1,000 keystrokes (naive client)', `$${((1000 * baseline.naive.cost) / baseline.naiveResult.keystrokes).toFixed(4)}`, `$${((1000 * k3.naive.cost) / k3.naiveResult.keystrokes).toFixed(4)}`],
    ['requests per 100 keystrokes (Moonpilot)', ((100 * baseline.smart.requests) / baseline.smartResult.keystrokes).toFixed(1), ((100 * k3.smart.requests) / k3.smartResult.keystrokes).toFixed(1)],
    ['output tokens per request, reasoning included (Moonpilot)', perRequest(baseline), perRequest(k3)],
    ['keystrokes with a suggestion shown (Moonpilot)', pct(baseline.smartResult.shown / baseline.smartResult.keystrokes), pct(k3.smartResult.shown / k3.smartResult.keystrokes)],
    ['first token → item p50 (human ms)', ms(percentile(baseline.smartResult.firstTokenToItem, 50)), ms(percentile(k3.smartResult.firstTokenToItem, 50))],
  ];
  const p = (m: string): string => {
    const x = pricesOf(m);
    return `$${x.inputPerMillion} in · $${x.cachedInputPerMillion} cached · $${x.outputPerMillion} out per 1M`;
  };
  return [
    ...tables,
    {
      title: `Inline completion: ${BASELINE_MODEL} (thinking off) vs ${REASONING_MODEL} (low effort), same replay`,
      columns: ['metric', BASELINE_MODEL, `${REASONING_MODEL} (low effort)`],
      rows,
      notes: [
        `Each model at its own prices: ${BASELINE_MODEL} ${p(BASELINE_MODEL)}; ${REASONING_MODEL} ${p(REASONING_MODEL)}. Each replay on fresh simulators (own prefix cache).`,
        `${REASONING_MODEL} reasons before the code: the simulated model writes ${K3_REASONING_TOKENS} reasoning tokens first at the same ≈ 50 tokens/s (an assumption: Moonshot publishes no figure for K3's low effort; COMPLETION_K3_REASONING_TOKENS changes it). Its output limit is sized for reasoning plus code (completionPrompt.ts); the reasoning is billed as output and delays the first character of code, so fewer suggestions arrive before the next keystroke.`,
      ],
    },
  ];
}

interface RunTotals {
  smart: Totals;
  naive: Totals;
  smartResult: ClientResult;
  naiveResult: ClientResult;
}

/** The totals of the last `runWith` (read by `run` for the side-by-side table). */
let lastTotals: RunTotals | undefined;

async function runWith(model: string, full: boolean): Promise<BenchTable[]> {
  MODEL = model;
  PRICES = pricesOf(model);
  lastTotals = undefined;
  const files = loadSources(NODE_MODULES);
  const plan = typingPlan(files, { maxKeystrokes: KEYSTROKES, linesPerSegment: 3, seed: 20_261_122 });
  const reasoningTokens = resolveModelProfile(model).thinking.kind === 'effort' ? K3_REASONING_TOKENS : 0;
  const config: WorkerConfig = { files: files.map((f) => f.text), speed: SPEED, accuracy: ACCURACY, firstByteMs: [300, 600], chunkDelayMs: 20, reasoningTokens };
  const worker = new Worker(path.join(__dirname, 'completionSimWorker.js'), { workerData: config });
  const billed: BilledRequest[] = [];
  const ready = new Promise<Extract<WorkerMessage, { type: 'ready' }>>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') {
        resolve(m);
      } else if (m.type === 'request') {
        billed.push(m.request);
      }
    });
    worker.once('error', reject);
  });
  const { urls, apiKey } = await ready;
  try {
    const replayStarted = performance.now();
    const others = otherDocuments(files.map((f) => f.name), 60_000);
    const { smart, naive, ids } = await replay(plan, urls, apiKey, others);
    const replaySeconds = (performance.now() - replayStarted) / 1000;
    // Every request the clients sent has closed at the server (reports arrive as they close).
    const sent = new Set([...ids.smart, ...ids.naive].filter((id) => writtenAt.has(id)));
    const deadline = Date.now() + 15_000;
    while (billed.filter((b) => b.sim !== 'overhead' && sent.has(b.benchId)).length < sent.size && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (process.env.COMPLETION_BENCH_DEBUG) {
      for (const b of billed.filter((x) => x.sim === 'smart')) {
        console.error(JSON.stringify({ ...b, received: received.get(b.benchId), used: smart.used.has(b.benchId), kept: smart.kept.get(b.benchId) }));
      }
      return [];
    }
    const n = totals(billed.filter((b) => b.sim === 'naive'), naive);
    const s = totals(billed.filter((b) => b.sim === 'smart'), smart);
    lastTotals = { smart: s, naive: n, smartResult: smart, naiveResult: naive };
    if (!full) {
      return [];
    }
    const over = await overhead(urls.overhead, apiKey, files);
    const per100 = (x: number, r: ClientResult): number => (100 * x) / r.keystrokes;
    const per1000Cost = (t: Totals, r: ClientResult): string => `$${((1000 * t.cost) / r.keystrokes).toFixed(4)}`;
    const rows: (string | number)[][] = [
      ['keystrokes replayed', naive.keystrokes, smart.keystrokes, ''],
      ['requests per 100 keystrokes', per100(n.requests, naive).toFixed(1), per100(s.requests, smart).toFixed(1), '≤ 1/3 of naive'],
      ['  ratio to naive', '1', (s.requests / n.requests).toFixed(3), '≤ 0.333'],
      ['aborted requests (closed by the client)', n.closedByClient, s.closedByClient, ''],
      ['output tokens generated', n.sentTokens, s.sentTokens, ''],
      ['output tokens wasted', `${n.wastedTokens} (${pct(n.wastedTokens / Math.max(1, n.sentTokens))})`, `${s.wastedTokens} (${pct(s.wastedTokens / Math.max(1, s.sentTokens))})`, '≤ 10 %'],
      ['  of which generated after going stale or past the stop', `${n.afterStale} (${pct(n.afterStale / Math.max(1, n.sentTokens))})`, `${s.afterStale} (${pct(s.afterStale / Math.max(1, s.sentTokens))})`, ''],
      ['cached fraction of prompt tokens, whole replay', pct(n.cachedTokens / n.promptTokens), pct(s.cachedTokens / s.promptTokens), '≥ 95 %'],
      ['  without the cold start (requests that found nothing cached)', pct(n.warmCachedTokens / n.warmPromptTokens), pct(s.warmCachedTokens / s.warmPromptTokens), ''],
      ['prompt tokens per request (mean)', Math.round(n.promptTokens / n.requests), Math.round(s.promptTokens / s.requests), ''],
      ['$ per 1,000 keystrokes', per1000Cost(n, naive), per1000Cost(s, smart), '≤ 1/5 of naive'],
      ['  ratio to naive', '1', ((s.cost / smart.keystrokes) / (n.cost / naive.keystrokes)).toFixed(3), '≤ 0.2'],
      ['keystrokes with a suggestion shown', pct(naive.shown / naive.keystrokes), pct(smart.shown / smart.keystrokes), ''],
      ['  of which from the cache / a reused request', '—', `${smart.fromCache} / ${smart.reused}`, ''],
      [`overhead p50 (entry → request written, ${Math.round(over.contextTokens / 1000)}K-token context)`, ms(percentile(over.naive, 50)), ms(percentile(over.smart, 50)), '≤ 3 ms'],
      ['overhead p99', ms(percentile(over.naive, 99)), ms(percentile(over.smart, 99)), '≤ 15 ms'],
      ['  same interval, CPU time of the thread, mean (its clock is too coarse for per-sample percentiles)', '—', ms(over.smartCpu.reduce((a, b) => a + b, 0) / Math.max(1, over.smartCpu.length)), ''],
      ['first token → item p50 (human ms)', ms(percentile(naive.firstTokenToItem, 50)), ms(percentile(smart.firstTokenToItem, 50)), ''],
      ['first token → item p99 (human ms)', ms(percentile(naive.firstTokenToItem, 99)), ms(percentile(smart.firstTokenToItem, 99)), ''],
      ['cache answer p50 / p99 (entry → item)', '—', `${ms(percentile(smart.cacheLatency, 50))} / ${ms(percentile(smart.cacheLatency, 99))}`, ''],
    ];
    return [
      {
        title: `Inline completion: naive client vs Moonpilot (${plan.segments.length} segments of ${files.map((f) => f.name).join(', ')})`,
        columns: ['metric', 'naive', 'Moonpilot', 'target'],
        rows,
        notes: [
          `Replay: ${smart.keystrokes} keystrokes at ≈ ${(smart.keystrokes / (plan.keystrokes[plan.keystrokes.length - 1].at / 1000)).toFixed(1)} keys/s (human time), run ${SPEED}× faster in ${replaySeconds.toFixed(0)} s; simulated model right at ${100 * ACCURACY} % of positions, first byte 300–600 ms, ≈ 50 tokens/s; context: the real completion context and packer, 16K-token budget, with the ${files.length} files being edited open (opened first, the active one as its copy) and then other files of the openai package.`,
          `Billing (${MODEL}): every request that reached the server pays its prompt (cached at $${PRICES.cachedInputPerMillion}/M, uncached $${PRICES.inputPerMillion}/M), and the output tokens generated before the response ended ($${PRICES.outputPerMillion}/M): all of a finished reply, else those the client received plus one chunk in flight. Wasted output: tokens of requests whose result was never shown (wrong guesses the user typed past before they arrived, answers the clean-up dropped), plus tokens past the text the client kept; "after going stale" counts only what arrived once the request was already useless (naive: after a newer keystroke; Moonpilot: after it closed the stream).`,
          `Cached fraction: a session's first request finds nothing cached, not even the system prompt (here ${s.promptTokens - s.warmPromptTokens} prompt tokens, ${pct((s.promptTokens - s.warmPromptTokens) / Math.max(1, s.promptTokens - s.cachedTokens))} of Moonpilot's uncached tokens in this replay); a session pays that once per cache lifetime (5–30 min on Kimi), so the second row is what a longer session converges to. The rest of the misses are mostly the ${plan.segments.length - 1} moves to another file: the text around the cursor (the prompt's windows: a few KB when the file is in the context) is new there.`,
          `Overhead: ${over.smart.length} samples after 20 warm-up ones, real time, simulator in a worker thread; includes cursor windows, cache look-up, the real context packer (incremental), prompt and request body (the stable ${Math.round(over.contextTokens / 1000)}K-token part serialized and encoded once, then reused); the naive column serializes the same prompt anew each time. Wall-clock p99 includes time other processes held the CPU (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores at the end of the run); the CPU-time row does not.`,
        ],
      },
    ];
  } finally {
    const closed = new Promise<void>((resolve) => worker.on('message', (m: WorkerMessage) => m.type === 'closed' && resolve()));
    worker.postMessage({ type: 'close' });
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    await worker.terminate();
  }
}
