import type { ChatApi } from './chat/chatApi';
import type { CompletionDiagnostics } from './completion/registerCompletion';
import type { NotificationRecord } from './notifier';

/**
 * What `activate()` returns (`vscode.extensions.getExtension(...).exports`): read-only
 * diagnostics used by the integration tests and by users' scripts. Never exposes the key.
 */
export interface MoonpilotApi {
  readonly notifications: () => readonly NotificationRecord[];
  /** Inline completion: what the provider last returned, and the status bar's state. */
  readonly completion?: CompletionDiagnostics;
  /** Drive and inspect the sidebar chat. */
  readonly chat: ChatApi;
}
