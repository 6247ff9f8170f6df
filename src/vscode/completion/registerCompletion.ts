import * as vscode from 'vscode';
import { COMMANDS, INTERNAL_COMMANDS } from '../../core/config/commandIds';
import { CompletionService } from '../../core/completion/completionService';
import type { CompletionContextSource } from '../../core/completion/completionTypes';
import type { KimiClient } from '../../core/kimi/kimiClient';
import type { KimiError } from '../../core/kimi/kimiErrors';
import { realClock } from '../../core/platform/clock';
import { originOf } from '../../core/security/endpointTrust';
import type { Registrar } from '../registrar';
import type { ApiKeyStore } from '../apiKeyStore';
import { SET_API_KEY_ACTION, type KimiConnection } from '../kimiConnection';
import type { Notifier } from '../notifier';
import type { OutputLogger } from '../outputLogger';
import type { WorkspaceExclusions } from '../context/workspaceExclusions';
import type { SettingsReader } from '../settingsReader';
import { CompletionStatusBar, type CompletionStatus } from './completionStatusBar';
import { KimiInlineProvider, snapshotAt, type ProvidedCompletion, type SkippedCompletion } from './inlineProvider';

export interface CompletionDeps {
  registrar: Registrar;
  connection: KimiConnection;
  settings: SettingsReader;
  keys: ApiKeyStore;
  notifier: Notifier;
  log: OutputLogger;
  /** What must never be sent (the extension's one exclusion service). */
  exclusions: WorkspaceExclusions;
  /** The context builder's tracker; without it completions carry no workspace context. */
  contextSource?: CompletionContextSource;
}

/** Read-only view for the diagnostics API and the integration tests. */
export interface CompletionDiagnostics {
  /** What the provider last returned as an item. */
  lastProvided(): ProvidedCompletion | undefined;
  /** The provider's last call that asked for nothing (read-only, binary, language off…), and why. */
  lastSkipped(): SkippedCompletion | undefined;
  /** The status bar's state. */
  status(): CompletionStatus & { text: string };
}

const DISABLE_ACTION = 'Disable Completion';
/** How long a completion waits for a document's ignore files to be read before giving up on this keystroke. */
const RULES_WAIT_MS = 2_000;
const OPEN_SETTINGS_ACTION = 'Open Settings';
const SHOW_LOG_ACTION = 'Show Log';

/**
 * Inline completion's VS Code face: the provider for every language, the status bar item, the
 * commands and notifications, around the pure `CompletionService` (client, requests, back-off,
 * totals, asking the editor again), which it feeds settings, key and approval changes.
 */
export function registerCompletion(context: vscode.ExtensionContext, deps: CompletionDeps): CompletionDiagnostics {
  const { registrar, connection, settings, keys, notifier, log, exclusions, contextSource } = deps;
  const statusBar = new CompletionStatusBar();
  let lastProvided: ProvidedCompletion | undefined;
  let lastSkipped: SkippedCompletion | undefined;
  /** Why the active editor's document gets no completion, shown in the status bar. */
  let excludedHere: string | undefined;

  const service = new CompletionService<KimiClient>({
    connection: {
      client: () => connection.client('inline completion', { wait: false, priority: 'background' }),
      modelList: (c) => connection.modelList(c),
      checkModel: (c) => connection.migration.check('completion.model', c),
      modelNotFound: (c) => connection.migration.notFound('completion.model', c),
    },
    settings: () => settings.current,
    completionSettings: settings.current.completion,
    context: contextSource && (() => contextSource.pack('completion')),
    editor: {
      cursor: () => {
        const editor = vscode.window.activeTextEditor;
        return editor && editor.selection.isEmpty ? snapshotAt(editor.document, editor.selection.active, false) : undefined;
      },
      askAgain: () => void vscode.commands.executeCommand('editor.action.inlineSuggest.trigger'),
    },
    log,
    clock: realClock,
    onStatus: () => render(),
    onNotify: (error) => void notifyOnce(error),
  });

  const status = (): CompletionStatus => ({ ...service.status(), excluded: excludedHere, approval: awaitingApproval() });
  const awaitingApproval = (): string | undefined => {
    const origin = originOf(settings.current.baseUrl);
    return origin !== undefined && connection.approvals.awaiting.includes(origin) ? origin : undefined;
  };
  const render = (): void => statusBar.render(status());

  const actionsFor = (error: KimiError): string[] => {
    switch (error.kind) {
      case 'auth':
        return [SET_API_KEY_ACTION, SHOW_LOG_ACTION];
      case 'quotaExhausted':
        return [DISABLE_ACTION, SHOW_LOG_ACTION];
      case 'permission':
      case 'modelNotFound':
        return [OPEN_SETTINGS_ACTION, SHOW_LOG_ACTION];
      default:
        return [SHOW_LOG_ACTION];
    }
  };

  const runAction = async (choice: string | undefined): Promise<void> => {
    if (choice === SET_API_KEY_ACTION) {
      await vscode.commands.executeCommand(COMMANDS.setApiKey);
    } else if (choice === DISABLE_ACTION) {
      await setEnabled(false);
    } else if (choice === OPEN_SETTINGS_ACTION) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'moonpilot.completion');
    } else if (choice === SHOW_LOG_ACTION) {
      log.channel.show(true);
    }
  };

  const notifyOnce = async (error: KimiError): Promise<void> => {
    const choice = await notifier.show('warning', `Moonpilot completion paused: ${error.message}`, ...actionsFor(error));
    await runAction(choice);
  };

  const setEnabled = async (enabled: boolean): Promise<void> => {
    const inspect = settings.inspect('completion.enabled');
    // In Restricted Mode the folder's value is ignored (a restricted setting): write the user's.
    const target = !vscode.workspace.isTrusted
      ? vscode.ConfigurationTarget.Global
      : inspect?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspect?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
    await settings.update('completion.enabled', enabled, target);
  };

  const provider = new KimiInlineProvider({
    completions: service,
    settings: () => service.settings,
    log,
    exclusion: (uri) => {
      // A document in a folder whose ignore files are not read yet waits for them (a few small
      // reads, bounded), so its first keystroke is neither sent unchecked nor dropped.
      const verdict = exclusions.reasonFor(uri, 'completion');
      return verdict?.kind === 'pending' ? exclusions.whenLoaded(RULES_WAIT_MS).then(() => exclusions.reasonFor(uri, 'completion')) : verdict;
    },
    onProvided: (provided) => {
      lastProvided = provided;
    },
    onSkipped: (skipped) => {
      lastSkipped = skipped;
      log.debug('completion', `skipped ${skipped.uri}: ${skipped.reason}`);
    },
  });

  const checkActiveEditor = (): void => {
    const doc = vscode.window.activeTextEditor?.document;
    const verdict = doc ? exclusions.reasonFor(doc.uri, 'completion') : undefined;
    const next = verdict && verdict.kind !== 'pending' ? verdict.reason : undefined;
    if (next !== excludedHere) {
      excludedHere = next;
      render();
    }
  };

  context.subscriptions.push(
    statusBar,
    registrar.registerInlineCompletionItemProvider(provider),
    registrar.registerCommand(COMMANDS.toggleCompletion, async () => {
      await setEnabled(!service.settings.enabled);
    }),
    registrar.registerCommand(INTERNAL_COMMANDS.showCompletionError, async () => {
      if (excludedHere !== undefined) {
        await notifier.show('info', `Moonpilot completion is off in this file: ${excludedHere}. Nothing from it is sent.`);
        return;
      }
      const lastError = service.lastError;
      const problem = service.status().pause?.message ?? lastError?.message;
      if (problem === undefined) {
        log.channel.show(true);
        return;
      }
      const choice = await notifier.show('warning', `Moonpilot completion: ${problem}`, ...(lastError ? actionsFor(lastError) : [SHOW_LOG_ACTION]));
      await runAction(choice);
    }),
    keys.onDidChange(() => service.resume()),
    vscode.window.onDidChangeActiveTextEditor(() => checkActiveEditor()),
    exclusions.onDidChange(() => checkActiveEditor()),
    connection.approvals.onDidChange(() => service.resume()),
    settings.onDidChange((s) => service.settingsChanged(s.completion)),
    { dispose: () => service.dispose() },
  );
  checkActiveEditor();
  render();
  log.info('completion', `inline completion ${service.settings.enabled ? 'on' : 'off'}${contextSource ? '' : ' (no workspace context source)'}`);

  return {
    lastProvided: () => lastProvided,
    lastSkipped: () => lastSkipped,
    status: () => ({ ...status(), text: statusBar.text }),
  };
}
