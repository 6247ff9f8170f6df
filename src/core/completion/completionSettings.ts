/**
 * The completion feature's own settings (`moonpilot.completion.*`), parsed in one place.
 * The model and prices live in the shared `Settings`.
 */

export interface CompletionSettings {
  enabled: boolean;
  /** Language ids (`typescript`, `markdown`, …) where no completion is offered. */
  disabledLanguages: ReadonlySet<string>;
}

/** Never completed by default: `.env` files hold secrets, and the SCM input is not code. */
export const DEFAULT_DISABLED_LANGUAGES: readonly string[] = ['dotenv', 'scminput'];

export function parseCompletionSettings(get: (key: string) => unknown): CompletionSettings {
  const enabled = get('completion.enabled');
  const languages = get('completion.disabledLanguages');
  const list = Array.isArray(languages) ? languages.filter((l): l is string => typeof l === 'string').map((l) => l.trim()) : [...DEFAULT_DISABLED_LANGUAGES];
  return {
    enabled: typeof enabled === 'boolean' ? enabled : true,
    disabledLanguages: new Set(list.filter((l) => l !== '')),
  };
}

/** Whether a document of this language gets completions. */
export function completesLanguage(settings: CompletionSettings, languageId: string): boolean {
  return settings.enabled && !settings.disabledLanguages.has(languageId);
}
