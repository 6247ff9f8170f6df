import type { Prices } from '../../../src/core/config/settings';
import { resolveModelProfile } from '../../../src/core/kimi/modelProfiles';
import type { BilledRequest } from '../completionSimWorker';
import { received } from './benchRequests';

/** A model's prices, as its profile states them. */
export const pricesOf = (model: string): Prices => resolveModelProfile(model).prices as Prices;

/** What one client (naive or Moonpilot) saw during a replay. */
export interface ClientResult {
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

/** A result with nothing counted yet. */
export const emptyResult = (): ClientResult => ({ keystrokes: 0, shown: 0, used: new Set(), kept: new Map(), firstTokenToItem: [], fromCache: 0, reused: 0, cacheLatency: [], afterStale: 0 });

/** One client's billing over a replay, from the simulator's records. */
export interface Totals {
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

/** Sums the billing records of one client's requests, at `prices` (each generated token as the simulator bills it). */
export function totals(billed: BilledRequest[], result: ClientResult, prices: Prices): Totals {
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
    t.cost += ((r.promptTokens - r.cachedTokens) * prices.inputPerMillion + r.cachedTokens * prices.cachedInputPerMillion + generated * prices.outputPerMillion) / 1e6;
  }
  return t;
}

/** Both clients' billing and what they saw, over one replay. */
export interface RunTotals {
  smart: Totals;
  naive: Totals;
  smartResult: ClientResult;
  naiveResult: ClientResult;
}
