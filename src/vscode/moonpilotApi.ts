import type { ChatApi } from './chat/chatApi';
import type { CompletionDiagnostics } from './completion/registerCompletion';
import type { LanguageModelDiagnostics } from './lm/registerLanguageModels';
import type { NotificationRecord } from './notifier';

/** The live part of the API, once the features have loaded (`LoadedFeatures.api`). */
export interface MoonpilotFeatures {
  readonly notifications: () => readonly NotificationRecord[];
  /** Inline completion: what the provider last returned, and the status bar's state. */
  readonly completion?: CompletionDiagnostics;
  /** Drive and inspect the sidebar chat. */
  readonly chat: ChatApi;
  /** Kimi in VS Code's own chat: the meter and the reasoning kept for replay. */
  readonly languageModels?: LanguageModelDiagnostics;
}

/** What the features bundle's `activateFeatures()` returns to the activation shell. */
export interface LoadedFeatures {
  /** The live part of the API. */
  readonly api: MoonpilotFeatures;
  /**
   * The work kept off the activation path besides loading the features: the context tracker's
   * first scan and loading the openai SDK, so that a first completion pays for neither. The
   * shell calls it from its one idle timer (src/shell/extension.ts); calling it again does nothing.
   */
  warmUp(): void;
}

/** How the features were loaded (in the API and the log, for the activation benchmark). */
export interface FeatureLoadReport {
  /** What asked first: `idle preload`, `inline completion`, `command <id>`, `view <id>`, `api`. */
  readonly reason: string;
  /** When the load started, in ms after `activate()` began. */
  readonly startedAfterMs: number;
  /** Loading and evaluating dist/features.js. */
  readonly requireMs: number;
  /** The `activateFeatures()` call. */
  readonly activateMs: number;
  /** Why the load failed, when it did. */
  readonly error?: string;
}

/** How and when the features loaded, and what the lazy load cost the first completion. */
export interface LazyLoadReport extends FeatureLoadReport {
  /** Stand-ins the features left unbound (each would fail when called); empty when all is well. */
  readonly unbound: readonly string[];
  /** How long the first inline completion waited for the load, when it came before the idle preload. */
  readonly firstCompletionWaitMs?: number;
}

/**
 * What `activate()` returns (`vscode.extensions.getExtension(...).exports`): read-only
 * diagnostics used by the integration tests and by users' scripts. Never exposes the key.
 * Activation only registers stand-ins; the features load on first use or a few seconds later.
 * `notifications`, `completion` and `chat` are live once `ready()` has resolved (before that
 * `chat` throws and `completion` is undefined).
 */
export interface MoonpilotApi extends MoonpilotFeatures {
  /** Loads the features now if they have not loaded yet; rejects when they cannot load. */
  ready(): Promise<void>;
  /** Undefined until the features have loaded (or failed to). */
  lazyLoad(): LazyLoadReport | undefined;
}
