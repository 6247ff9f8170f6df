import * as vscode from 'vscode';
import { COMMANDS } from '../../core/config/commandIds';
import type { ModelInfo } from '../../core/kimi/kimiTypes';
import type { Logger } from '../../core/log/logger';
import type { Registrar } from '../registrar';
import type { SettingsReader } from '../settingsReader';
import { ContextTracker } from './contextTracker';
import type { WorkspaceExclusions } from './workspaceExclusions';
import { CONTEXT_SCHEME, ContextView } from './contextView';

export interface ContextDeps {
  registrar: Registrar;
  settings: SettingsReader;
  log: Logger;
  /** The extension's one exclusion service (ignore files, settings, secrets, schemes). */
  exclusions: WorkspaceExclusions;
  /** The endpoint's model list once `GET /models` has answered (the served context lengths). */
  listedModels(): readonly ModelInfo[] | undefined;
}

/**
 * The context builder: the tracker (handed to completion, chat and mockup) and the
 * `moonpilot.showContext` command with its read-only view.
 */
export function registerContext(context: vscode.ExtensionContext, deps: ContextDeps): ContextTracker {
  const tracker = new ContextTracker(deps.settings, deps.log, deps.exclusions, () => deps.listedModels());
  const view = new ContextView(tracker);
  context.subscriptions.push(
    tracker,
    view,
    deps.registrar.registerTextDocumentContentProvider(CONTEXT_SCHEME, view),
    deps.registrar.registerCommand(COMMANDS.showContext, () => view.show()),
  );
  return tracker;
}
