/**
 * What one completion request cost and how long it took, for the status bar tooltip and the
 * benchmark. A stream cut early never receives the usage chunk: its tokens are then estimated
 * (prompt by the project's token estimator, output from the text received), and marked so.
 */
import { costOf, type Prices } from '../config/settings';
import { estimateTokens } from '../context/tokenEstimate';
import type { BilledUsage } from '../kimi/kimiErrors';
import type { Usage } from '../kimi/kimiTypes';
import { reasonsWhenAskedNotTo, resolveModelProfile } from '../kimi/modelProfiles';
import type { CompletionTarget } from './completionPrompt';

/** The model completion is measured against: the only official one that answers without reasoning. */
export const BASELINE_COMPLETION_MODEL = 'kimi-k2.6';

export interface CompletionStats {
  /** Request start → completion ready (ms). */
  latencyMs: number;
  /** Request start → first streamed character (ms). */
  firstTokenMs?: number;
  promptTokens: number;
  cachedTokens: number;
  outputTokens: number;
  /** Part of `outputTokens` spent reasoning, when the server reports it. */
  reasoningTokens?: number;
  /** What the same prompt and code would cost on K2.6 without reasoning (models that reason first). */
  baselineCost?: number;
  /** True when the stream was cut before the server reported usage. */
  estimated: boolean;
  /** US$ at the configured prices. */
  cost: number;
}

export function completionStats(input: {
  latencyMs: number;
  firstTokenMs?: number;
  usage?: Usage;
  /** The prompt's estimated tokens (asked only when `usage` is missing). */
  promptTokens: () => number;
  outputText: string;
  prices: Prices | undefined;
  /** Set when the model reasons first: K2.6's prices, to say what the reasoning costs. */
  baselinePrices?: Prices;
}): CompletionStats {
  const usage = input.usage ?? { promptTokens: input.promptTokens(), cachedTokens: 0, completionTokens: estimateTokens(input.outputText) };
  const stats: CompletionStats = {
    latencyMs: input.latencyMs,
    firstTokenMs: input.firstTokenMs,
    promptTokens: usage.promptTokens,
    cachedTokens: usage.cachedTokens,
    outputTokens: usage.completionTokens,
    estimated: input.usage === undefined,
    cost: costOf(usage, input.prices),
  };
  if (usage.reasoningTokens !== undefined) {
    stats.reasoningTokens = usage.reasoningTokens;
  }
  if (input.baselinePrices) {
    const code = input.usage ? usage.completionTokens - (usage.reasoningTokens ?? 0) : estimateTokens(input.outputText);
    stats.baselineCost = costOf({ ...usage, completionTokens: Math.max(0, code) }, input.baselinePrices);
  }
  return stats;
}

/**
 * For the status bar tooltip when the completion model reasons before it writes (K3, K2.7 Code,
 * a third-party model): what that costs in latency and money next to K2.6. Undefined otherwise.
 */
export function reasoningCostNote(target: CompletionTarget, prices: Prices | undefined): string | undefined {
  if (!reasonsWhenAskedNotTo(target.profile, target.dialect)) {
    return undefined;
  }
  const baseline = resolveModelProfile(BASELINE_COMPLETION_MODEL);
  const output = prices ? `$${prices.outputPerMillion}/M output` : 'an unknown price';
  return (
    `${target.profile.label} reasons before it writes code, even at its lowest effort: every suggestion waits for that reasoning ` +
    `(seconds, not the sub-second of ${baseline.label} with thinking off) and pays for it as output tokens (${output}, against $${baseline.prices?.outputPerMillion}/M on ${baseline.label}, which writes only the code). ` +
    `Some suggestions end after the reasoning with no code. Set moonpilot.completion.model to ${BASELINE_COMPLETION_MODEL} for fast, cheap completion.`
  );
}

/** One tooltip line per fact, e.g. for the status bar. */
export function describeStats(stats: CompletionStats): string[] {
  const approx = stats.estimated ? '≈' : '';
  const cachedPct = stats.promptTokens > 0 ? Math.round((100 * stats.cachedTokens) / stats.promptTokens) : 0;
  const lines = [`Latency: ${Math.round(stats.latencyMs)} ms${stats.firstTokenMs !== undefined ? ` (first token ${Math.round(stats.firstTokenMs)} ms)` : ''}`];
  lines.push(`Prompt: ${approx}${stats.promptTokens.toLocaleString('en-US')} tokens, ${stats.estimated ? 'cache unknown' : `${stats.cachedTokens.toLocaleString('en-US')} cached (${cachedPct} %)`}`);
  const reasoning = stats.reasoningTokens ? ` (${stats.reasoningTokens.toLocaleString('en-US')} reasoning)` : '';
  lines.push(`Output: ${approx}${stats.outputTokens.toLocaleString('en-US')} tokens${reasoning}`);
  const baseline = stats.baselineCost !== undefined ? ` (the same code on ${BASELINE_COMPLETION_MODEL} without reasoning: ${approx}$${stats.baselineCost.toFixed(stats.baselineCost < 0.01 ? 5 : 4)})` : '';
  lines.push(`Cost: ${approx}$${stats.cost.toFixed(stats.cost < 0.01 ? 5 : 4)}${baseline}`);
  return lines;
}

/** Running totals for the session. */
export class CompletionTotals {
  requests = 0;
  aborted = 0;
  errors = 0;
  servedFromCache = 0;
  servedFromNetwork = 0;
  cost = 0;
  /** Some of `cost` is estimated (requests stopped before Kimi reported usage). */
  estimated = false;

  /**
   * `billed`: what a request that failed or was aborted after it reached the server is billed
   * for (completions aborted as stale included); counted at `prices`.
   */
  addRequest(stats: CompletionStats | undefined, outcome: 'ok' | 'aborted' | 'error', billed?: BilledUsage, prices?: Prices): void {
    this.requests++;
    if (outcome === 'aborted') {
      this.aborted++;
    } else if (outcome === 'error') {
      this.errors++;
    }
    if (stats) {
      this.cost += stats.cost;
      this.estimated ||= stats.estimated;
    } else if (billed) {
      this.addBilled(billed, prices);
    }
  }

  /** The cost of a request counted before (aborted), known once its stream closed. */
  addBilled(billed: BilledUsage, prices: Prices | undefined): void {
    this.cost += costOf(billed.usage, prices);
    this.estimated ||= billed.estimated;
  }
}

/** What a request is billed for by its stats (usage as reported, or as estimated when the stream was cut). */
export function billedUsageOf(stats: CompletionStats): BilledUsage {
  return { usage: { promptTokens: stats.promptTokens, cachedTokens: stats.cachedTokens, completionTokens: stats.outputTokens }, estimated: stats.estimated };
}
