/**
 * How many (estimated) tokens of workspace context a request may carry.
 *
 * The window is the model's context length (from `/models` when known, else the documented
 * value: 262,144 for kimi-k2.5). Out of it come the output reserve (the request's `max_tokens`,
 * which Kimi counts against the window) and the tokens of the rest of the request (system
 * prompt, history, the user's message, a completion's prefix and suffix), and every estimate is
 * inflated by the safety margin. What is left caps the purpose's setting:
 * `moonpilot.context.completionTokens` (default 16,384: completions are frequent, so fewer tokens
 * keep them fast and cheap) or `moonpilot.context.chatTokens` (0 = all that is left up to
 * `WHOLE_WINDOW_CAP_TOKENS`: on K3's 1M window "all" would make a chat's first request cost
 * about $3 of uncached input; chat). So a packed request never exceeds the window:
 * `(context + rest) × (1 + margin) + outputReserve ≤ window`.
 */
import type { ContextPurpose } from './contextTypes';
import { TOKEN_SAFETY_MARGIN } from './tokenEstimate';

export const DEFAULT_COMPLETION_CONTEXT_TOKENS = 16_384;

/**
 * What `moonpilot.context.chatTokens: 0` ("use the whole window") means at most: 131,072 tokens,
 * about $0.39 of uncached input on K3 ($3/M) and $0.12 on K2.6, where K3's whole 1M window would be
 * $3. A larger value in the setting is taken as asked.
 */
export const WHOLE_WINDOW_CAP_TOKENS = 131_072;

/** Default `max_tokens` reserved per purpose: a completion is short; chat may think at length. */
export const DEFAULT_OUTPUT_RESERVE: Readonly<Record<ContextPurpose, number>> = {
  completion: 1_024,
  chat: 32_768,
};

/** The `moonpilot.context.*` slice of the one `Settings` (parsed by core/config/settings.ts). */
export interface ContextSettings {
  /** `moonpilot.context.completionTokens`. */
  completionTokens: number;
  /** `moonpilot.context.chatTokens`; 0 means all that fits. */
  chatTokens: number;
  /** `moonpilot.context.exclude`. */
  exclude: string[];
  /** `moonpilot.context.maxFileBytes`. */
  maxFileBytes: number;
}

export const DEFAULT_CONTEXT_SETTINGS: ContextSettings = {
  completionTokens: DEFAULT_COMPLETION_CONTEXT_TOKENS,
  chatTokens: 0,
  exclude: [],
  maxFileBytes: 1_000_000,
};

export interface BudgetInput {
  purpose: ContextPurpose;
  /** The model's context length in tokens. */
  windowTokens: number;
  settings: Pick<ContextSettings, 'completionTokens' | 'chatTokens'>;
  /** `max_tokens` of the request; defaults per purpose. */
  outputReserveTokens?: number;
  /** Estimated tokens of everything else in the request. */
  otherPromptTokens?: number;
  /** A caller's own cap (e.g. a smaller budget for a quick request). */
  capTokens?: number;
}

/** The context budget in estimated tokens (≥ 0); see the file comment. */
export function contextBudget(input: BudgetInput): number {
  const reserve = input.outputReserveTokens ?? DEFAULT_OUTPUT_RESERVE[input.purpose];
  const fits = Math.floor((input.windowTokens - reserve) / (1 + TOKEN_SAFETY_MARGIN)) - (input.otherPromptTokens ?? 0);
  const configured = input.purpose === 'completion' ? input.settings.completionTokens : input.settings.chatTokens > 0 ? input.settings.chatTokens : WHOLE_WINDOW_CAP_TOKENS;
  const cap = input.capTokens ?? Infinity;
  return Math.max(0, Math.min(fits, configured, cap));
}
