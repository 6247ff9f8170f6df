import * as vscode from 'vscode';
import type { Logger } from '../../core/log/logger';
import type { SettingsReader } from '../settingsReader';
import { ContextTracker } from './contextTracker';
import { CONTEXT_SCHEME, ContextView } from './contextView';

export interface ContextDeps {
  settings: SettingsReader;
  log: Logger;
}

/**
 * The context builder: the tracker (handed to completion, chat and mockup) and the
 * `moonpilot.showContext` command with its read-only view.
 */
export function registerContext(context: vscode.ExtensionContext, deps: ContextDeps): ContextTracker {
  const tracker = new ContextTracker(deps.settings, deps.log);
  const view = new ContextView(tracker);
  context.subscriptions.push(
    tracker,
    view,
    vscode.workspace.registerTextDocumentContentProvider(CONTEXT_SCHEME, view),
    vscode.commands.registerCommand('moonpilot.showContext', () => view.show()),
  );
  return tracker;
}
