import { costOf, type Prices } from '../config/settings';
import type { Usage } from '../kimi/kimiTypes';

/** Totals of the requests VS Code's chat (and other extensions) made through the Moonpilot provider. */
export interface MeterTotals {
  requests: number;
  promptTokens: number;
  cachedTokens: number;
  outputTokens: number;
  /** US$ at the prices that applied to each request. */
  cost: number;
  /** US$ the prefix cache saved: cached tokens at the uncached price minus what they cost. */
  cacheSaved: number;
}

/** One request's tokens and cost, as recorded. */
export interface MeteredRequest {
  model: string;
  usage: Usage;
  cost: number;
  cacheSaved: number;
}

export const EMPTY_TOTALS: MeterTotals = { requests: 0, promptTokens: 0, cachedTokens: 0, outputTokens: 0, cost: 0, cacheSaved: 0 };

/** Adds up each request's usage and cost (the session's meter for the language model provider). */
export class UsageMeter {
  private sum: MeterTotals = { ...EMPTY_TOTALS };
  private latest: MeteredRequest | undefined;

  /** Records one request's usage at its model's prices (undefined: nothing prices the model, cost 0). */
  add(model: string, usage: Usage, prices: Prices | undefined): MeteredRequest {
    const cost = costOf(usage, prices);
    const cacheSaved = prices ? (usage.cachedTokens * Math.max(0, prices.inputPerMillion - prices.cachedInputPerMillion)) / 1_000_000 : 0;
    const s = this.sum;
    this.sum = {
      requests: s.requests + 1,
      promptTokens: s.promptTokens + usage.promptTokens,
      cachedTokens: s.cachedTokens + usage.cachedTokens,
      outputTokens: s.outputTokens + usage.completionTokens,
      cost: s.cost + cost,
      cacheSaved: s.cacheSaved + cacheSaved,
    };
    this.latest = { model, usage, cost, cacheSaved };
    return this.latest;
  }

  get totals(): MeterTotals {
    return { ...this.sum };
  }

  get last(): MeteredRequest | undefined {
    return this.latest;
  }
}
