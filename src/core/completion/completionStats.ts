/**
 * What one completion request cost and how long it took, for the status bar tooltip and the
 * benchmark. A stream cut early never receives the usage chunk: its tokens are then estimated
 * from the characters sent and received, and marked so.
 */
import { costOf, type Prices } from '../config/settings';
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

/** About 3.5 characters a token for code and English (Kimi's tokenizer is not on npm). */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 3.5);
}

export function completionStats(input: {
  latencyMs: number;
  firstTokenMs?: number;
  usage?: Usage;
  promptChars: number;
  outputChars: number;
  prices: Prices | undefined;
}): CompletionStats {
  const usage = input.usage ?? { promptTokens: estimateTokens(input.promptChars), cachedTokens: 0, completionTokens: estimateTokens(input.outputChars) };
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

  addRequest(stats: CompletionStats | undefined, outcome: 'ok' | 'aborted' | 'error'): void {
    this.requests++;
    if (outcome === 'aborted') {
      this.aborted++;
    } else if (outcome === 'error') {
      this.errors++;
    }
    this.cost += stats?.cost ?? 0;
  }
}
