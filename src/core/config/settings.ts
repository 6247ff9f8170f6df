/**
 * All Moonpilot settings (`moonpilot.*`), parsed in one place into one typed object: `parseSettings`
 * is the only reader of their raw values. Pure: the VS Code adapter (`vscode/settingsReader.ts`,
 * the only `getConfiguration('moonpilot')` of the extension) hands in the raw values; unit tests
 * hand in plain objects. A feature declares the type of its slice next to its code
 * (`CompletionSettings`, `ContextSettings`) and takes the parsed slice. Settings of VS Code itself
 * (`files.exclude`) are read where they are used (`vscode/context/workspaceExclusions.ts`).
 */
import { DEFAULT_DISABLED_LANGUAGES, type CompletionSettings } from '../completion/completionSettings';
import { DEFAULT_COMPLETION_CONTEXT_TOKENS, DEFAULT_CONTEXT_SETTINGS, type ContextSettings } from '../context/contextBudget';
import { REASONING_EFFORTS, type ReasoningEffort, type ThinkingDialect } from '../kimi/kimiTypes';
import { baseModelId, resolveModelProfile, type ModelPrices } from '../kimi/modelProfiles';
import type { RateLimits } from '../kimi/rateLimiter';

/**
 * Every key below `moonpilot.` that package.json contributes, the one list
 * (test/unit/config/settingKeys.test.ts checks it against package.json and against what `parseSettings` reads).
 */
export const SETTING_KEYS = [
  'baseUrl',
  'apiDialect',
  'requestTimeoutSeconds',
  'completion.model',
  'completion.enabled',
  'completion.disabledLanguages',
  'chat.model',
  'chat.thinking',
  'chat.reasoningEffort',
  'vision.model',
  'prices',
  'rateLimit.concurrency',
  'rateLimit.requestsPerMinute',
  'rateLimit.tokensPerMinute',
  'context.completionTokens',
  'context.chatTokens',
  'context.exclude',
  'context.maxFileBytes',
] as const;

/** A setting's key below `moonpilot.`. */
export type SettingKey = (typeof SETTING_KEYS)[number];

export const DEFAULT_BASE_URL = 'https://api.moonshot.ai/v1';
/**
 * Defaults (README "Models"): K2.6 everywhere. It is the only official model that can switch
 * thinking off (sub-second completion), it takes images (mockup → code), and it costs a third of
 * K3; K3 is one setting (or the chat header's picker) away.
 */
export const DEFAULT_COMPLETION_MODEL = 'kimi-k2.6';
export const DEFAULT_CHAT_MODEL = 'kimi-k2.6';
export const DEFAULT_VISION_MODEL = 'kimi-k2.6';
/** Chat effort on effort-controlled models (K3): `high` (K3's own default `max` reasons longest and costs most). */
export const DEFAULT_CHAT_EFFORT: ReasoningEffort = 'high';

/** US$ per million tokens (input, cached input, output, cache write when reported). */
export type Prices = ModelPrices;

/** What a request costs when nothing prices its model (an unknown model with no `moonpilot.prices` entry). */
export const NO_PRICES: Prices = { inputPerMillion: 0, cachedInputPerMillion: 0, outputPerMillion: 0 };

export interface Settings {
  baseUrl: string;
  /** Where `baseUrl` came from, for the status bar and logs. */
  baseUrlSource: 'user' | 'environment' | 'default';
  dialect: ThinkingDialect;
  requestTimeoutMs: number;
  completionModel: string;
  chatModel: string;
  chatThinking: boolean;
  /** `moonpilot.chat.reasoningEffort`, for models that take an effort (K3). */
  chatEffort: ReasoningEffort;
  visionModel: string;
  /** `moonpilot.prices`: the user's prices by model id, over the profiles' (see `pricesFor`). */
  priceOverrides: Readonly<Record<string, Prices>>;
  rateLimits: RateLimits;
  /** `moonpilot.completion.enabled` and `.disabledLanguages` (the model is `completionModel`). */
  completion: CompletionSettings;
  /** `moonpilot.context.*`. `exclude` is resource-scoped: read it per folder (`SettingsReader.forResource`). */
  context: ContextSettings;
}

/** Raw values as read from configuration: `user` is the user/machine-level value only. */
export interface RawSettings {
  get(key: SettingKey): unknown;
  /** The user- or machine-level value of a setting that must not come from a workspace. */
  userValue(key: SettingKey): unknown;
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
    completionModel: str(raw.get('completion.model'), DEFAULT_COMPLETION_MODEL),
    chatModel: str(raw.get('chat.model'), DEFAULT_CHAT_MODEL),
    chatThinking: bool(raw.get('chat.thinking'), true),
    chatEffort: effort(raw.get('chat.reasoningEffort')),
    visionModel: str(raw.get('vision.model'), DEFAULT_VISION_MODEL),
    priceOverrides: parsePriceOverrides(raw.get('prices')),
    // Defaults: Moonshot's Tier1 (the first tier past the $1 entry tier): 50 / 200 / 2M.
    rateLimits: {
      concurrency: Math.round(num(raw.get('rateLimit.concurrency'), 50, 1, 1000)),
      requestsPerMinute: Math.round(num(raw.get('rateLimit.requestsPerMinute'), 200, 1, 100_000)),
      tokensPerMinute: Math.round(num(raw.get('rateLimit.tokensPerMinute'), 2_000_000, 1_000, 1e9)),
    },
    completion: completionSettings(raw),
    context: contextSettings(raw),
  };
}

function completionSettings(raw: RawSettings): CompletionSettings {
  const languages = raw.get('completion.disabledLanguages');
  const list = Array.isArray(languages) ? languages.filter((l): l is string => typeof l === 'string').map((l) => l.trim()) : [...DEFAULT_DISABLED_LANGUAGES];
  return {
    enabled: bool(raw.get('completion.enabled'), true),
    disabledLanguages: new Set(list.filter((l) => l !== '')),
  };
}

function contextSettings(raw: RawSettings): ContextSettings {
  const int = (value: unknown, fallback: number, min: number, max: number): number => Math.round(num(value, fallback, min, max));
  const exclude = raw.get('context.exclude');
  return {
    completionTokens: int(raw.get('context.completionTokens'), DEFAULT_COMPLETION_CONTEXT_TOKENS, 0, 10_000_000),
    chatTokens: int(raw.get('context.chatTokens'), DEFAULT_CONTEXT_SETTINGS.chatTokens, 0, 10_000_000),
    exclude: Array.isArray(exclude) ? exclude.filter((g): g is string => typeof g === 'string' && g.trim() !== '') : [],
    maxFileBytes: int(raw.get('context.maxFileBytes'), DEFAULT_CONTEXT_SETTINGS.maxFileBytes, 1_000, 100_000_000),
  };
}

function effort(value: unknown): ReasoningEffort {
  return (REASONING_EFFORTS as readonly unknown[]).includes(value) ? (value as ReasoningEffort) : DEFAULT_CHAT_EFFORT;
}

/**
 * `moonpilot.prices`: `{ "<model id>": { inputPerMillion, cachedInputPerMillion, outputPerMillion,
 * cacheWritePerMillion? } }`. An entry missing a price, or with a negative or absurd one, is left out.
 */
export function parsePriceOverrides(value: unknown): Record<string, Prices> {
  const out: Record<string, Prices> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return out;
  }
  const price = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1000 ? v : undefined);
  for (const [id, entry] of Object.entries(value as Record<string, unknown>)) {
    if (!entry || typeof entry !== 'object' || id.trim() === '') {
      continue;
    }
    const e = entry as Record<string, unknown>;
    const input = price(e.inputPerMillion);
    const output = price(e.outputPerMillion);
    if (input === undefined || output === undefined) {
      continue;
    }
    const prices: Prices = { inputPerMillion: input, cachedInputPerMillion: price(e.cachedInputPerMillion) ?? input, outputPerMillion: output };
    const write = price(e.cacheWritePerMillion);
    if (write !== undefined) {
      prices.cacheWritePerMillion = write;
    }
    out[id.trim()] = prices;
  }
  return out;
}

/**
 * The prices of one model: the user's `moonpilot.prices` entry (by exact id, else by the id
 * without its vendor prefix), else the model's profile; `undefined` when nothing prices it.
 */
export function pricesFor(settings: Pick<Settings, 'priceOverrides'>, model: string): Prices | undefined {
  const overrides = settings.priceOverrides;
  const base = baseModelId(model);
  const key = Object.keys(overrides).find((k) => k === model) ?? Object.keys(overrides).find((k) => baseModelId(k) === base);
  return key !== undefined ? overrides[key] : resolveModelProfile(model).prices;
}

/** Token counts of one request, as `Usage` reports them. */
export interface BilledUsage {
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  /** Reported by some hosts (`usage.cache_write_tokens`); part of the uncached prompt tokens. */
  cacheWriteTokens?: number;
}

/** Cost in US$ of one request's usage at these prices (reasoning tokens are output tokens). */
export function costOf(usage: BilledUsage, prices: Prices | undefined): number {
  const p = prices ?? NO_PRICES;
  const written = p.cacheWritePerMillion !== undefined ? Math.min(usage.cacheWriteTokens ?? 0, usage.promptTokens) : 0;
  const uncached = Math.max(0, usage.promptTokens - usage.cachedTokens - written);
  return (uncached * p.inputPerMillion + usage.cachedTokens * p.cachedInputPerMillion + written * (p.cacheWritePerMillion ?? 0) + usage.completionTokens * p.outputPerMillion) / 1_000_000;
}
