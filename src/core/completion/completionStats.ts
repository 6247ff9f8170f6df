/**
 * What one completion request cost and how long it took, for the status bar tooltip and the
 * benchmark. A stream cut early never receives the usage chunk: its tokens are then estimated
 * (prompt by the project's token estimator, output from the text received), and marked so.
 */
import { costOf, type Prices } from '../config/settings';
import { estimateTokens } from '../context/tokenEstimate';
import type { BilledUsage } from '../kimi/kimiErrors';
import type { Usage } from '../kimi/kimiTypes';

export interface CompletionStats {
  /** Request start → completion ready (ms). */
  latencyMs: number;
  /** Request start → first streamed character (ms). */
  firstTokenMs?: number;
  promptTokens: number;
  cachedTokens: number;
  outputTokens: number;
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
  prices: Prices;
}): CompletionStats {
  const usage = input.usage ?? { promptTokens: input.promptTokens(), cachedTokens: 0, completionTokens: estimateTokens(input.outputText) };
  return {
    latencyMs: input.latencyMs,
    firstTokenMs: input.firstTokenMs,
    promptTokens: usage.promptTokens,
    cachedTokens: usage.cachedTokens,
    outputTokens: usage.completionTokens,
    estimated: input.usage === undefined,
    cost: costOf(usage, input.prices),
  };
}

/** One tooltip line per fact, e.g. for the status bar. */
export function describeStats(stats: CompletionStats): string[] {
  const approx = stats.estimated ? '≈' : '';
  const cachedPct = stats.promptTokens > 0 ? Math.round((100 * stats.cachedTokens) / stats.promptTokens) : 0;
  const lines = [`Latency: ${Math.round(stats.latencyMs)} ms${stats.firstTokenMs !== undefined ? ` (first token ${Math.round(stats.firstTokenMs)} ms)` : ''}`];
  lines.push(`Prompt: ${approx}${stats.promptTokens.toLocaleString('en-US')} tokens, ${stats.estimated ? 'cache unknown' : `${stats.cachedTokens.toLocaleString('en-US')} cached (${cachedPct} %)`}`);
  lines.push(`Output: ${approx}${stats.outputTokens.toLocaleString('en-US')} tokens`);
  lines.push(`Cost: ${approx}$${stats.cost.toFixed(stats.cost < 0.01 ? 5 : 4)}`);
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
    } else if (billed && prices) {
      this.addBilled(billed, prices);
    }
  }

  /** The cost of a request counted before (aborted), known once its stream closed. */
  addBilled(billed: BilledUsage, prices: Prices): void {
    this.cost += costOf(billed.usage, prices);
    this.estimated ||= billed.estimated;
  }
}
