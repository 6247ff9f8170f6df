/**
 * The completion feature's own settings (`moonpilot.completion.*`), a slice of the one `Settings`
 * (parsed by core/config/settings.ts). The model and prices live in the shared `Settings`.
 */

export interface CompletionSettings {
  enabled: boolean;
  /** Language ids (`typescript`, `markdown`, …) where no completion is offered. */
  disabledLanguages: ReadonlySet<string>;
}

/** Never completed by default: `.env` files hold secrets, and the SCM input is not code. */
export const DEFAULT_DISABLED_LANGUAGES: readonly string[] = ['dotenv', 'scminput'];

/** Whether a document of this language gets completions. */
export function completesLanguage(settings: CompletionSettings, languageId: string): boolean {
  return settings.enabled && !settings.disabledLanguages.has(languageId);
}
