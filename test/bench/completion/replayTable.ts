import * as os from 'node:os';
import type { Prices } from '../../../src/core/config/settings';
import { percentile, type BenchTable } from '../benchTable';
import type { SourceFile, TypingPlan } from '../completionTyping';
import type { ClientResult, Totals } from './completionMetrics';
import type { OverheadResult } from './overhead';
import { ms, pct } from './tableFormat';

/** The baseline replay's figures and how it was run, for its table. */
export interface ReplayFigures {
  model: string;
  prices: Prices;
  /** Time ran this many times faster than human time. */
  speed: number;
  /** Share of positions where the simulated model is right. */
  accuracy: number;
  plan: TypingPlan;
  files: readonly SourceFile[];
  replaySeconds: number;
  naive: ClientResult;
  smart: ClientResult;
  n: Totals;
  s: Totals;
  over: OverheadResult;
}

/** The naive client against Moonpilot on the same replay: requests, tokens, cost, cache, latency, overhead. */
export function replayTable(f: ReplayFigures): BenchTable {
  const { plan, files, replaySeconds, naive, smart, n, s, over } = f;
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
  return {
    title: `Inline completion: naive client vs Moonpilot (${plan.segments.length} segments of ${files.map((file) => file.name).join(', ')})`,
    columns: ['metric', 'naive', 'Moonpilot', 'target'],
    rows,
    notes: [
      `Replay: ${smart.keystrokes} keystrokes at ≈ ${(smart.keystrokes / (plan.keystrokes[plan.keystrokes.length - 1].at / 1000)).toFixed(1)} keys/s (human time), run ${f.speed}× faster in ${replaySeconds.toFixed(0)} s; simulated model right at ${100 * f.accuracy} % of positions, first byte 300–600 ms, ≈ 50 tokens/s; context: the real completion context and packer, 16K-token budget, with the ${files.length} files being edited open (opened first, the active one as its copy) and then other files of the openai package.`,
      `Billing (${f.model}): every request that reached the server pays its prompt (cached at $${f.prices.cachedInputPerMillion}/M, uncached $${f.prices.inputPerMillion}/M), and the output tokens generated before the response ended ($${f.prices.outputPerMillion}/M): all of a finished reply, else those the client received plus one chunk in flight. Wasted output: tokens of requests whose result was never shown (wrong guesses the user typed past before they arrived, answers the clean-up dropped), plus tokens past the text the client kept; "after going stale" counts only what arrived once the request was already useless (naive: after a newer keystroke; Moonpilot: after it closed the stream).`,
      `Cached fraction: a session's first request finds nothing cached, not even the system prompt (here ${s.promptTokens - s.warmPromptTokens} prompt tokens, ${pct((s.promptTokens - s.warmPromptTokens) / Math.max(1, s.promptTokens - s.cachedTokens))} of Moonpilot's uncached tokens in this replay); a session pays that once per cache lifetime (5–30 min on Kimi), so the second row is what a longer session converges to. The rest of the misses are mostly the ${plan.segments.length - 1} moves to another file: the text around the cursor (the prompt's windows: a few KB when the file is in the context) is new there.`,
      `Overhead: ${over.smart.length} samples after 20 warm-up ones, real time, simulator in a worker thread; includes cursor windows, cache look-up, the real context packer (incremental), prompt and request body (the stable ${Math.round(over.contextTokens / 1000)}K-token part serialized and encoded once, then reused); the naive column serializes the same prompt anew each time. Wall-clock p99 includes time other processes held the CPU (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores at the end of the run); the CPU-time row does not.`,
    ],
  };
}
