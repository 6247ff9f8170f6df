/**
 * What Moonpilot knows about each Kimi model family, in one table: the window, the output limit,
 * how thinking is switched, partial mode, images, which parameters the wire body may carry, whether
 * earlier reasoning must be replayed, and prices. Facts: `shared/notes/kimi-api.md` ("Models on
 * the official API, December 2026"). `GET /models` always wins where it answers (window, images,
 * reasoning): the table only fills gaps. Every request builder takes its rules from here; nothing
 * else compares model ids.
 */
import { REASONING_EFFORTS, type ModelInfo, type ReasoningEffort, type ThinkingDialect } from './kimiTypes';

/** K3's `reasoning_effort` levels, lowest first. */

/**
 * How a model's reasoning is controlled on the wire.
 * - `switchable`: `thinking: {type: "enabled"|"disabled"}` (K2.6, K2.5 on other hosts).
 * - `effort`: always reasons; top-level `reasoning_effort` picks how much (K3, K3.1); no `thinking` field.
 * - `always`: always thinks and rejects `disabled`; nothing is sent (K2.7 Code, `*-thinking`).
 * - `none`: no reasoning (older instruct models); nothing is sent.
 * - `unknown`: an OpenAI-compatible model the table does not know; it may reason before it answers.
 */
export type ThinkingControl =
  | { kind: 'switchable'; defaultOn: boolean }
  | { kind: 'effort'; levels: readonly ReasoningEffort[]; default: ReasoningEffort }
  | { kind: 'always' }
  | { kind: 'none' }
  | { kind: 'unknown' };

/** `unconfirmed`: listed or reported, but no source settles it (try it; the server's answer decides). */
export type Support = 'yes' | 'unconfirmed' | 'no';

/** US$ per million tokens. */
export interface ModelPrices {
  inputPerMillion: number;
  cachedInputPerMillion: number;
  outputPerMillion: number;
  /** Reported for some hosts only (`usage.cache_write_tokens`). */
  cacheWritePerMillion?: number;
}

export type ModelFamily = 'k3' | 'k3.1-pro' | 'k2.7-code' | 'k2.6' | 'k2.5' | 'k2-thinking' | 'k2-instruct' | 'moonshot-v1' | 'kimi-latest' | 'unknown';

/** Retired on the official API: calls answer 404. */
export interface Retirement {
  /** ISO date. */
  since: string;
  /** The official model that replaces it. */
  replacement: string;
}

export interface ModelProfile {
  /** The id as configured (sent as is). */
  id: string;
  family: ModelFamily;
  /** Short name for the UI, e.g. "Kimi K3". */
  label: string;
  /** Context window in tokens (from `/models` when it says). */
  contextLength: number;
  /** Largest output limit worth asking for (reasoning counts against it). */
  maxOutputTokens: number;
  thinking: ThinkingControl;
  /** Kimi partial mode (`partial: true` on the final assistant message). */
  partialMode: Support;
  /** Image input: `true`/`false` when `/models` or the docs say, `undefined` when nothing does. */
  supportsImages: boolean | undefined;
  supportsVideo: boolean | undefined;
  /** Whether the model reasons at all (`/models`'s `supports_reasoning` when it says). */
  reasons: boolean | undefined;
  /** The name of the output-limit parameter. */
  outputLimitParam: 'max_completion_tokens' | 'max_tokens';
  /**
   * Which earlier assistant messages must carry their `reasoning_content` (and `tool_calls`):
   * `every` (K3: quality "may become highly unstable" otherwise), `toolTurns` (K2.x while thinking:
   * 400 otherwise), `none`.
   */
  replayReasoning: 'every' | 'toolTurns' | 'none';
  /** Sampling is fixed by the server (every `kimi-*`): never send temperature, top_p, n, penalties. */
  fixedSampling: boolean;
  /** `tool_choice: "required"` is accepted (K3 only). */
  toolChoiceRequired: boolean;
  /** Official prices; `undefined` for models the table cannot price (the user's settings may). */
  prices: ModelPrices | undefined;
  retired: Retirement | undefined;
  /** The table recognised the id (false: the unknown-model fallback). */
  known: boolean;
}

/** Used only when `/models` is missing or silent about the window of a model the table does not know. */
export const FALLBACK_CONTEXT_LENGTH = 131_072;

type Row = Omit<ModelProfile, 'id' | 'known' | 'reasons'> & { pattern: RegExp; reasons: boolean | undefined };

const K3_EFFORT: ThinkingControl = { kind: 'effort', levels: REASONING_EFFORTS, default: 'max' };
const K3_BASE = {
  contextLength: 1_048_576,
  // K3's default output limit; always sent explicitly (a runaway K3 answer costs about $2).
  maxOutputTokens: 131_072,
  thinking: K3_EFFORT,
  supportsVideo: true,
  reasons: true,
  outputLimitParam: 'max_completion_tokens',
  replayReasoning: 'every',
  fixedSampling: true,
  toolChoiceRequired: true,
  retired: undefined,
} as const;

const K2_BASE = {
  contextLength: 262_144,
  // Not documented for K2.x: a generous limit; reasoning counts against it.
  maxOutputTokens: 65_536,
  outputLimitParam: 'max_completion_tokens',
  replayReasoning: 'toolTurns',
  fixedSampling: true,
  toolChoiceRequired: false,
} as const;

const RETIRED_2026_08: Retirement = { since: '2026-08-31', replacement: 'kimi-k2.6' };
const RETIRED_2026_05: Retirement = { since: '2026-05-25', replacement: 'kimi-k2.6' };

/** Ordered: the first pattern that matches the id (lower-cased, without a `vendor/` prefix) wins. */
const TABLE: readonly Row[] = [
  { ...K3_BASE, pattern: /^kimi-k3\.1-pro-highspeed\b/, family: 'k3.1-pro', label: 'Kimi K3.1 Pro (highspeed)', partialMode: 'unconfirmed', supportsImages: true, supportsVideo: undefined, prices: { inputPerMillion: 4, cachedInputPerMillion: 0.2, outputPerMillion: 20 } },
  { ...K3_BASE, pattern: /^kimi-k3\.1-pro\b/, family: 'k3.1-pro', label: 'Kimi K3.1 Pro', partialMode: 'unconfirmed', supportsImages: true, supportsVideo: undefined, prices: { inputPerMillion: 2, cachedInputPerMillion: 0.2, outputPerMillion: 10 } },
  { ...K3_BASE, pattern: /^kimi-k3(?![.\d])/, family: 'k3', label: 'Kimi K3', partialMode: 'yes', supportsImages: true, prices: { inputPerMillion: 3, cachedInputPerMillion: 0.3, outputPerMillion: 15 } },
  { ...K2_BASE, pattern: /^kimi-k2\.7-code-highspeed\b/, family: 'k2.7-code', label: 'Kimi K2.7 Code (highspeed)', thinking: { kind: 'always' }, reasons: true, partialMode: 'unconfirmed', supportsImages: undefined, supportsVideo: undefined, prices: { inputPerMillion: 1.9, cachedInputPerMillion: 0.38, outputPerMillion: 8 }, retired: undefined },
  { ...K2_BASE, pattern: /^kimi-k2\.7-code\b/, family: 'k2.7-code', label: 'Kimi K2.7 Code', thinking: { kind: 'always' }, reasons: true, partialMode: 'unconfirmed', supportsImages: undefined, supportsVideo: undefined, prices: { inputPerMillion: 0.95, cachedInputPerMillion: 0.19, outputPerMillion: 4 }, retired: undefined },
  { ...K2_BASE, pattern: /^kimi-k2\.6\b/, family: 'k2.6', label: 'Kimi K2.6', thinking: { kind: 'switchable', defaultOn: true }, reasons: true, partialMode: 'yes', supportsImages: true, supportsVideo: true, prices: { inputPerMillion: 0.95, cachedInputPerMillion: 0.16, outputPerMillion: 4 }, retired: undefined },
  // Retired on the official API; still served under vendor-prefixed ids by some hosts (their prices, not Moonshot's).
  { ...K2_BASE, pattern: /^kimi-k2\.5\b/, family: 'k2.5', label: 'Kimi K2.5', thinking: { kind: 'switchable', defaultOn: true }, reasons: true, partialMode: 'yes', supportsImages: true, supportsVideo: true, prices: { inputPerMillion: 0.6, cachedInputPerMillion: 0.1, outputPerMillion: 3 }, retired: RETIRED_2026_08 },
  { ...K2_BASE, pattern: /^kimi-k2-thinking/, family: 'k2-thinking', label: 'Kimi K2 Thinking', thinking: { kind: 'always' }, reasons: true, partialMode: 'unconfirmed', supportsImages: false, supportsVideo: false, prices: undefined, retired: RETIRED_2026_05 },
  { ...K2_BASE, pattern: /^kimi-k2-.*preview$/, family: 'k2-instruct', label: 'Kimi K2 (preview)', thinking: { kind: 'none' }, reasons: false, partialMode: 'yes', supportsImages: false, supportsVideo: false, replayReasoning: 'none', prices: undefined, retired: RETIRED_2026_05 },
  { ...K2_BASE, pattern: /^kimi-k2\b/, family: 'k2-instruct', label: 'Kimi K2', thinking: { kind: 'none' }, reasons: false, partialMode: 'yes', supportsImages: false, supportsVideo: false, replayReasoning: 'none', prices: undefined, retired: undefined },
  { ...K2_BASE, pattern: /^moonshot-v1-8k\b/, family: 'moonshot-v1', label: 'Moonshot v1 8K', contextLength: 8_192, maxOutputTokens: 8_192, thinking: { kind: 'none' }, reasons: false, partialMode: 'yes', supportsImages: undefined, supportsVideo: false, replayReasoning: 'none', prices: undefined, retired: RETIRED_2026_08 },
  { ...K2_BASE, pattern: /^moonshot-v1-32k\b/, family: 'moonshot-v1', label: 'Moonshot v1 32K', contextLength: 32_768, maxOutputTokens: 32_768, thinking: { kind: 'none' }, reasons: false, partialMode: 'yes', supportsImages: undefined, supportsVideo: false, replayReasoning: 'none', prices: undefined, retired: RETIRED_2026_08 },
  { ...K2_BASE, pattern: /^moonshot-v1-/, family: 'moonshot-v1', label: 'Moonshot v1', contextLength: 131_072, maxOutputTokens: 32_768, thinking: { kind: 'none' }, reasons: false, partialMode: 'yes', supportsImages: undefined, supportsVideo: false, replayReasoning: 'none', prices: undefined, retired: RETIRED_2026_08 },
  { ...K2_BASE, pattern: /^kimi-latest\b/, family: 'kimi-latest', label: 'Kimi (latest)', contextLength: 131_072, thinking: { kind: 'none' }, reasons: false, partialMode: 'yes', supportsImages: true, supportsVideo: false, replayReasoning: 'none', prices: undefined, retired: { since: '2026-05-25', replacement: 'kimi-k2.6' } },
];

/** An OpenAI-compatible model the table does not know: send only what every such server accepts. */
const UNKNOWN: Omit<Row, 'pattern'> = {
  family: 'unknown',
  label: '',
  contextLength: FALLBACK_CONTEXT_LENGTH,
  maxOutputTokens: 32_768,
  thinking: { kind: 'unknown' },
  partialMode: 'unconfirmed',
  supportsImages: undefined,
  supportsVideo: undefined,
  reasons: undefined,
  outputLimitParam: 'max_tokens',
  replayReasoning: 'toolTurns',
  fixedSampling: false,
  toolChoiceRequired: false,
  prices: undefined,
  retired: undefined,
};

/** The part of an id the table matches: lower case, without any `vendor/` prefix (`moonshotai/Kimi-K2.5`). */
export function baseModelId(id: string): string {
  const trimmed = id.trim().toLowerCase();
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Whether an id is Moonshot's own spelling (no `vendor/` prefix): retirement applies to those. */
function isOfficialSpelling(id: string): boolean {
  return !id.includes('/');
}

/**
 * The profile of one model: `/models` first (window, images, reasoning), then the table, then
 * the unknown-model fallback. `listed` is the endpoint's `/models` answer (undefined when it has none).
 */
export function resolveModelProfile(id: string, listed?: readonly ModelInfo[]): ModelProfile {
  const base = baseModelId(id);
  const row = TABLE.find((r) => r.pattern.test(base));
  const { pattern: _pattern, ...known } = row ?? { ...UNKNOWN, pattern: /$^/ };
  const fromServer = listed?.find((m) => m.id === id);
  const reasons = fromServer?.supportsReasoning ?? known.reasons;
  let thinking = known.thinking;
  if (thinking.kind === 'unknown' && reasons === false) {
    thinking = { kind: 'none' };
  }
  return {
    ...known,
    id,
    label: known.label || id,
    known: row !== undefined,
    contextLength: fromServer?.contextLength ?? known.contextLength,
    supportsImages: fromServer?.supportsImages ?? known.supportsImages,
    supportsVideo: fromServer?.supportsVideo ?? known.supportsVideo,
    reasons,
    thinking,
    retired: isOfficialSpelling(id) ? known.retired : undefined,
  };
}

/** True when the model reasons before it answers whatever the request says (no way to switch it off). */
export function alwaysReasons(profile: ModelProfile): boolean {
  return profile.thinking.kind === 'effort' || profile.thinking.kind === 'always' || (profile.thinking.kind === 'unknown' && profile.reasons !== false);
}

/** The lowest reasoning effort the model offers (for completion), or undefined when it has no levels. */
export function lowestEffort(profile: ModelProfile): ReasoningEffort | undefined {
  return profile.thinking.kind === 'effort' ? profile.thinking.levels[0] : undefined;
}

/** Whether `value` is one of the model's effort levels. */
export function isEffortOf(profile: ModelProfile, value: unknown): value is ReasoningEffort {
  return profile.thinking.kind === 'effort' && (profile.thinking.levels as readonly unknown[]).includes(value);
}

/**
 * Whether a request that asks for no thinking still gets reasoning first on this endpoint: models
 * that always reason (K3 at its lowest effort, K2.7 Code, unknown models unless `/models` says they
 * do not reason), and a switchable model whose switch the dialect cannot send (`omit`).
 */
export function reasonsWhenAskedNotTo(profile: ModelProfile, dialect: ThinkingDialect): boolean {
  switch (profile.thinking.kind) {
    case 'effort':
    case 'always':
    case 'unknown':
      return profile.reasons !== false;
    case 'switchable':
      return dialect === 'omit' && profile.thinking.defaultOn;
    case 'none':
      return false;
  }
}
