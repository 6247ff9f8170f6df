/** Token counts and their cost, per turn and per session (what the chat's cost meter shows). */
import { costOf, type Prices } from '../config/settings';
import type { Usage } from '../kimi/kimiTypes';
import type { TokenCounts } from './protocol';

/** No tokens, no cost. */
export const EMPTY_COUNTS: TokenCounts = { prompt: 0, cached: 0, output: 0, cost: 0 };

/** The sum of two counts (estimated when either is). */
export function addCounts(a: TokenCounts, b: TokenCounts): TokenCounts {
  const sum: TokenCounts = { prompt: a.prompt + b.prompt, cached: a.cached + b.cached, output: a.output + b.output, cost: a.cost + b.cost };
  if (a.estimated || b.estimated) {
    sum.estimated = true;
  }
  return sum;
}

/** A request's usage as counts, priced by `prices` (no prices: cost 0). */
export function countsOf(usage: Usage, prices: Prices | undefined, estimated = false): TokenCounts {
  const counts: TokenCounts = { prompt: usage.promptTokens, cached: usage.cachedTokens, output: usage.completionTokens, cost: costOf(usage, prices) };
  if (estimated) {
    counts.estimated = true;
  }
  return counts;
}
