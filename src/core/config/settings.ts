/**
 * All Moonpilot settings, parsed in one place into a typed object. Pure: the VS Code adapter
 * (`vscode/settingsReader.ts`) hands in the raw values; unit tests hand in plain objects.
 */
import type { ThinkingDialect } from '../kimi/kimiTypes';
import type { RateLimits } from '../kimi/rateLimiter';

export const DEFAULT_BASE_URL = 'https://api.moonshot.ai/v1';
export const DEFAULT_MODEL = 'kimi-k2.5';

export interface Prices {
  /** US$ per million uncached input tokens. */
  inputPerMillion: number;
  cachedInputPerMillion: number;
  outputPerMillion: number;
}

export interface Settings {
  baseUrl: string;
  /** Where `baseUrl` came from, for the status bar and logs. */
  baseUrlSource: 'user' | 'environment' | 'default';
  dialect: ThinkingDialect;
  requestTimeoutMs: number;
  completionModel: string;
  chatModel: string;
  chatThinking: boolean;
  visionModel: string;
  prices: Prices;
  rateLimits: RateLimits;
}

/** Raw values as read from configuration: `user` is the user/machine-level value only. */
export interface RawSettings {
  get(key: string): unknown;
  /** The user- or machine-level value of a setting that must not come from a workspace. */
  userValue(key: string): unknown;
}

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function num(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

/** Accepts `http(s)://host[:port][/path]` only; anything else falls back. */
export function normaliseBaseUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    return undefined;
  }
  try {
    const url = new URL(value.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return undefined;
    }
    url.hash = '';
    url.search = '';
    return url.toString().replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

export function parseSettings(raw: RawSettings, env: Readonly<Record<string, string | undefined>>): Settings {
  const fromUser = normaliseBaseUrl(raw.userValue('baseUrl'));
  const fromEnv = normaliseBaseUrl(env.MOONSHOT_BASE_URL);
  const dialectRaw = raw.userValue('apiDialect');
  const dialect: ThinkingDialect = dialectRaw === 'chatTemplateKwargs' || dialectRaw === 'omit' ? dialectRaw : 'moonshot';
  return {
    baseUrl: fromUser ?? fromEnv ?? DEFAULT_BASE_URL,
    baseUrlSource: fromUser ? 'user' : fromEnv ? 'environment' : 'default',
    dialect,
    requestTimeoutMs: num(raw.get('requestTimeoutSeconds'), 60, 5, 600) * 1000,
    completionModel: str(raw.get('completion.model'), DEFAULT_MODEL),
    chatModel: str(raw.get('chat.model'), DEFAULT_MODEL),
    chatThinking: bool(raw.get('chat.thinking'), true),
    visionModel: str(raw.get('vision.model'), DEFAULT_MODEL),
    prices: {
      inputPerMillion: num(raw.get('prices.inputPerMillion'), 0.6, 0, 1000),
      cachedInputPerMillion: num(raw.get('prices.cachedInputPerMillion'), 0.1, 0, 1000),
      outputPerMillion: num(raw.get('prices.outputPerMillion'), 3, 0, 1000),
    },
    // Defaults: Moonshot's Tier1 (the first tier past the $1 entry tier): 50 / 200 / 2M.
    rateLimits: {
      concurrency: Math.round(num(raw.get('rateLimit.concurrency'), 50, 1, 1000)),
      requestsPerMinute: Math.round(num(raw.get('rateLimit.requestsPerMinute'), 200, 1, 100_000)),
      tokensPerMinute: Math.round(num(raw.get('rateLimit.tokensPerMinute'), 2_000_000, 1_000, 1e9)),
    },
  };
}

/** Cost in US$ of one request's usage at the configured prices. */
export function costOf(usage: { promptTokens: number; cachedTokens: number; completionTokens: number }, prices: Prices): number {
  const uncached = Math.max(0, usage.promptTokens - usage.cachedTokens);
  return (uncached * prices.inputPerMillion + usage.cachedTokens * prices.cachedInputPerMillion + usage.completionTokens * prices.outputPerMillion) / 1_000_000;
}
