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
import { performance } from 'node:perf_hooks';
import { resolveModelProfile } from '../../src/core/kimi/modelProfiles';
import type { BenchTable } from './benchTable';
import { writtenAt } from './completion/benchRequests';
import { NODE_MODULES, otherDocuments } from './completion/benchWorkspace';
import { pricesOf, totals, type RunTotals } from './completion/completionMetrics';
import { startCompletionSimulators } from './completion/completionSimulators';
import { modelComparisonTable } from './completion/modelComparisonTable';
import { overhead } from './completion/overhead';
import { replayTable } from './completion/replayTable';
import { replay } from './completion/typingReplay';
import type { WorkerConfig } from './completionSimWorker';
import { loadSources, typingPlan } from './completionTyping';
import type { Benchmark } from './registry';

const SPEED = 2;
const ACCURACY = 0.6;
/**
 * Keystrokes replayed (`COMPLETION_KEYSTROKES` overrides). 1,400 (20 places in 5 files): at 700
 * Moonpilot generated only ~150 output tokens, so two tokens moved the wasted share by 1.4 points,
 * and the session's one cold request weighed a third of all uncached prompt tokens.
 */
const KEYSTROKES = Number(process.env.COMPLETION_KEYSTROKES ?? 1_400);
/** The default completion model, and the one compared with it. */
const BASELINE_MODEL = 'kimi-k2.6';
const REASONING_MODEL = 'kimi-k3';
/**
 * Reasoning tokens K3 writes before a completion at `low` effort: no public figure, so an
 * assumption (`COMPLETION_K3_REASONING_TOKENS` overrides), stated in the table's notes.
 */
const K3_REASONING_TOKENS = Number(process.env.COMPLETION_K3_REASONING_TOKENS ?? 200);

export const completionBenchmark: Benchmark = { name: 'completion', run };

async function run(): Promise<BenchTable[]> {
  const baseline = await runWith(BASELINE_MODEL, true);
  const reasoning = await runWith(REASONING_MODEL, false);
  return [
    ...baseline.tables,
    ...reasoning.tables,
    modelComparisonTable({ baselineModel: BASELINE_MODEL, reasoningModel: REASONING_MODEL, reasoningTokens: K3_REASONING_TOKENS, baseline: baseline.totals, reasoning: reasoning.totals }),
  ];
}

/** One replay with `model` as the completion model; `full` adds the overhead run and the replay's table. */
async function runWith(model: string, full: boolean): Promise<{ tables: BenchTable[]; totals: RunTotals }> {
  const prices = pricesOf(model);
  const files = loadSources(NODE_MODULES);
  const plan = typingPlan(files, { maxKeystrokes: KEYSTROKES, linesPerSegment: 3, seed: 20_261_122 });
  const reasoningTokens = resolveModelProfile(model).thinking.kind === 'effort' ? K3_REASONING_TOKENS : 0;
  const config: WorkerConfig = { files: files.map((f) => f.text), speed: SPEED, accuracy: ACCURACY, firstByteMs: [300, 600], chunkDelayMs: 20, reasoningTokens };
  const sims = await startCompletionSimulators(config);
  const { urls, apiKey, billed } = sims;
  try {
    const replayStarted = performance.now();
    const others = otherDocuments(files.map((f) => f.name), 60_000);
    const { smart, naive, ids } = await replay(plan, urls, apiKey, others, model, SPEED);
    const replaySeconds = (performance.now() - replayStarted) / 1000;
    // Every request the clients sent has closed at the server (reports arrive as they close).
    const sent = new Set([...ids.smart, ...ids.naive].filter((id) => writtenAt.has(id)));
    const deadline = Date.now() + 15_000;
    while (billed.filter((b) => b.sim !== 'overhead' && sent.has(b.benchId)).length < sent.size && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const n = totals(billed.filter((b) => b.sim === 'naive'), naive, prices);
    const s = totals(billed.filter((b) => b.sim === 'smart'), smart, prices);
    const runTotals: RunTotals = { smart: s, naive: n, smartResult: smart, naiveResult: naive };
    if (!full) {
      return { tables: [], totals: runTotals };
    }
    const over = await overhead(model, urls.overhead, apiKey, files);
    return { tables: [replayTable({ model, prices, speed: SPEED, accuracy: ACCURACY, plan, files, replaySeconds, naive, smart, n, s, over })], totals: runTotals };
  } finally {
    await sims.close();
  }
}
