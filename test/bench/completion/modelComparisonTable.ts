import { percentile, type BenchTable } from '../benchTable';
import { pricesOf, type RunTotals } from './completionMetrics';
import { ms, pct } from './tableFormat';

/** The two replays compared: the default model and the reasoning one, each at its own prices. */
export interface ModelComparison {
  baselineModel: string;
  reasoningModel: string;
  /** Reasoning tokens the simulated reasoning model writes before the code (an assumption). */
  reasoningTokens: number;
  baseline: RunTotals;
  reasoning: RunTotals;
}

/** $ per 1,000 keystrokes and what drives it, the default completion model against the reasoning one. */
export function modelComparisonTable(c: ModelComparison): BenchTable {
  const { baselineModel, reasoningModel, reasoningTokens, baseline, reasoning: k3 } = c;
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
  return {
    title: `Inline completion: ${baselineModel} (thinking off) vs ${reasoningModel} (low effort), same replay`,
    columns: ['metric', baselineModel, `${reasoningModel} (low effort)`],
    rows,
    notes: [
      `Each model at its own prices: ${baselineModel} ${p(baselineModel)}; ${reasoningModel} ${p(reasoningModel)}. Each replay on fresh simulators (own prefix cache).`,
      `${reasoningModel} reasons before the code: the simulated model writes ${reasoningTokens} reasoning tokens first at the same ≈ 50 tokens/s (an assumption: Moonshot publishes no figure for K3's low effort; COMPLETION_K3_REASONING_TOKENS changes it). Its output limit is sized for reasoning plus code (completionPrompt.ts); the reasoning is billed as output and delays the first character of code, so fewer suggestions arrive before the next keystroke.`,
    ],
  };
}
