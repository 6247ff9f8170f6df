import * as vscode from 'vscode';
import { COMMANDS, INTERNAL_COMMANDS } from '../../core/config/commandIds';
import { CompletionBackoff } from '../../core/completion/completionBackoff';
import type { CompletionSettings } from '../../core/completion/completionSettings';
import { CompletionTotals, describeStats, reasoningCostNote, type CompletionStats } from '../../core/completion/completionStats';
import { createCompletionFetcher, type StreamedCompletion } from '../../core/completion/completionStream';
import type { CompletionContextSource, CursorSnapshot } from '../../core/completion/completionTypes';
import type { PackedContext } from '../../core/context/contextTypes';
import { RequestManager, type ManagerEvent } from '../../core/completion/requestManager';
import type { CompletionTarget } from '../../core/completion/completionPrompt';
import { pricesFor } from '../../core/config/settings';
import type { ModelInfo } from '../../core/kimi/kimiTypes';
import { resolveModelProfile } from '../../core/kimi/modelProfiles';
import type { KimiClient } from '../../core/kimi/kimiClient';
import { KimiError } from '../../core/kimi/kimiErrors';
import { realClock } from '../../core/platform/clock';
import { originOf } from '../../core/security/endpointTrust';
import type { Registrar } from '../../shell/shellHooks';
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
 * Inline completion: the provider for every language, the status bar item, the toggle command,
 * and the wiring between them (settings, key changes, failures).
 */
export function registerCompletion(context: vscode.ExtensionContext, deps: CompletionDeps): CompletionDiagnostics {
  const { registrar, connection, settings, keys, notifier, log, exclusions } = deps;
  let config: CompletionSettings = settings.current.completion;
  const backoff = new CompletionBackoff(realClock);
  const totals = new CompletionTotals();
  const statusBar = new CompletionStatusBar();
  let inFlight = 0;
  let lastError: KimiError | undefined;
  let lastStats: CompletionStats | undefined;
  let lastProvided: ProvidedCompletion | undefined;
  let lastSkipped: SkippedCompletion | undefined;
  let repaint: ReturnType<typeof setTimeout> | undefined;
  /** Why the active editor's document gets no completion, shown in the status bar. */
  let excludedHere: string | undefined;

  const status = (): CompletionStatus => ({
    enabled: config.enabled,
    inFlight,
    pause: backoff.state,
    lastError: lastError?.message,
    lastStats,
    session: { requests: totals.requests, cost: totals.cost, estimated: totals.estimated },
    model: { label: target().profile.label, reasoningNote: reasoningCostNote(target(), pricesFor(settings.current, settings.current.completionModel)) },
    excluded: excludedHere,
    approval: awaitingApproval(),
  });
  const awaitingApproval = (): string | undefined => {
    const origin = originOf(settings.current.baseUrl);
    return origin !== undefined && connection.approvals.awaiting.includes(origin) ? origin : undefined;
  };
  const render = (): void => statusBar.render(status());

  // One client per key/settings generation; SecretStorage is not read on every keystroke.
  let client: Promise<KimiClient | undefined> | undefined;
  // The endpoint's `/models`, once known: it wins over the profile table (window, reasoning).
  let listed: readonly ModelInfo[] | undefined;
  const getClient = (): Promise<KimiClient | undefined> => {
    // Rejects with why there is none (no key, origin not approved), which the status bar shows.
    client ??= connection.client('inline completion', { wait: false, priority: 'background' }).then(
      (c) => {
        void connection.modelList(c).then((models) => (listed = models));
        // A model the endpoint does not list (a retired kimi-k2.5 left in settings): say so once,
        // offering the replacement, and pause instead of sending requests that would 404.
        void connection.migration.check('completion.model', c).then((problem) => {
          if (problem) {
            onFailure(new KimiError('modelNotFound', problem.message, 404));
          }
        });
        return c;
      },
      (err: unknown) => {
        client = undefined;
        throw err;
      },
    );
    return client;
  };
  const target = (): CompletionTarget => ({ profile: resolveModelProfile(settings.current.completionModel, listed), dialect: settings.current.dialect });

  const fetcher = createCompletionFetcher({
    client: getClient,
    context: (snapshot) => contextFor(snapshot),
    model: target,
    prices: () => pricesFor(settings.current, settings.current.completionModel),
    now: () => Date.now(),
    onStreamed: (result) => logStreamed(log, result),
  });
  const contextFor = (snapshot: CursorSnapshot): PackedContext | string => {
    if (!deps.contextSource) {
      return '';
    }
    try {
      return deps.contextSource.pack('completion');
    } catch (err) {
      log.warn('completion', `context for ${snapshot.path} failed, sending none: ${err instanceof Error ? err.message : String(err)}`);
      return '';
    }
  };

  const manager = new RequestManager({
    clock: realClock,
    fetch: fetcher,
    mayRequest: () => backoff.mayRequest(),
    onEvent: (event) => onEvent(event),
  });

  const onEvent = (event: ManagerEvent): void => {
    if (event.kind === 'resultReady') {
      askAgainIfStillAt(event.snapshot);
      return;
    }
    if (event.kind === 'billed') {
      totals.addBilled(event.billed, pricesFor(settings.current, settings.current.completionModel));
    }
    if (event.kind === 'started' || event.kind === 'ended') {
      inFlight = event.inFlight;
    }
    if (event.kind === 'ended') {
      totals.addRequest(event.stats, event.outcome, event.billed, pricesFor(settings.current, settings.current.completionModel));
      if (event.outcome === 'ok') {
        backoff.onSuccess();
        lastError = undefined;
        lastStats = event.stats ?? lastStats;
      } else if (event.outcome === 'error' && event.error) {
        onFailure(event.error);
      }
    }
    render();
  };

  /**
   * A result is in the cache that the editor is not showing (it stopped waiting, or showed only a
   * block's first lines): VS Code asks again only on the next keystroke, so ask now if the cache
   * has a suggestion for where the cursor is: the same place, or further on after the user typed
   * what the result begins with (the rest of a block still streaming while they typed into it).
   */
  const askAgainIfStillAt = (snapshot: CursorSnapshot): void => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.toString() !== snapshot.docKey || !editor.selection.isEmpty) {
      return;
    }
    if (manager.wouldServe(snapshotAt(editor.document, editor.selection.active, false))) {
      void vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    }
  };

  const onFailure = (error: KimiError): void => {
    const verdict = backoff.onError(error);
    if (verdict.silent) {
      log.debug('completion', `skipped: ${error.message}`);
      return;
    }
    lastError = error;
    const pause = verdict.pause;
    const until = pause?.until !== undefined ? `paused for ${Math.round((pause.until - Date.now()) / 1000)} s` : pause ? 'paused until the key or settings change' : 'not paused';
    log.warn('completion', `${error.kind}: ${error.message} (${until})`);
    clearTimeout(repaint);
    if (pause?.until !== undefined) {
      // Repaint when the pause ends, so the status bar does not keep showing a stale problem.
      repaint = setTimeout(render, Math.max(0, pause.until - Date.now()) + 50);
    }
    if (verdict.notify && error.kind === 'modelNotFound') {
      // One message for every feature: the model, what replaces it, and the one-click switch.
      void getClient().then((c) => connection.migration.notFound('completion.model', c));
    } else if (verdict.notify) {
      void notifyOnce(error);
    }
  };

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
    manager,
    settings: () => config,
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

  const resume = (): void => {
    client = undefined;
    backoff.resume();
    lastError = undefined;
    render();
  };

  context.subscriptions.push(
    statusBar,
    registrar.registerInlineCompletionItemProvider(provider),
    registrar.registerCommand(COMMANDS.toggleCompletion, async () => {
      await setEnabled(!config.enabled);
    }),
    registrar.registerCommand(INTERNAL_COMMANDS.showCompletionError, async () => {
      if (excludedHere !== undefined) {
        await notifier.show('info', `Moonpilot completion is off in this file: ${excludedHere}. Nothing from it is sent.`);
        return;
      }
      const problem = backoff.state?.message ?? lastError?.message;
      if (problem === undefined) {
        log.channel.show(true);
        return;
      }
      const choice = await notifier.show('warning', `Moonpilot completion: ${problem}`, ...(lastError ? actionsFor(lastError) : [SHOW_LOG_ACTION]));
      await runAction(choice);
    }),
    keys.onDidChange(() => resume()),
    vscode.window.onDidChangeActiveTextEditor(() => checkActiveEditor()),
    exclusions.onDidChange(() => checkActiveEditor()),
    connection.approvals.onDidChange(() => resume()),
    settings.onDidChange(() => {
      const next = settings.current.completion;
      if (!next.enabled && config.enabled) {
        manager.abortAll();
      }
      config = next;
      manager.clearCache();
      resume();
    }),
    { dispose: () => manager.abortAll() },
    { dispose: () => clearTimeout(repaint) },
  );
  checkActiveEditor();
  render();
  log.info('completion', `inline completion ${config.enabled ? 'on' : 'off'}${deps.contextSource ? '' : ' (no workspace context source)'}`);

  return {
    lastProvided: () => lastProvided,
    lastSkipped: () => lastSkipped,
    status: () => ({ ...status(), text: statusBar.text }),
  };
}

function logStreamed(log: OutputLogger, result: StreamedCompletion): void {
  const how = result.cutReason ? `cut (${result.cutReason})` : 'complete';
  const shown = result.completion ? `${result.completion.text.length} chars` : 'nothing usable';
  log.debug('completion', `${how}, ${shown}; ${describeStats(result.stats).join('; ')}`);
}
