import * as vscode from 'vscode';
import { ApiKeyStore } from './vscode/apiKeyStore';
import { EndpointGuard } from './vscode/endpointGuard';
import { registerEndpointStatus } from './vscode/endpointStatus';
import { registerChat } from './vscode/chat/registerChat';
import { registerApiKeyCommands } from './vscode/commands/apiKeyCommands';
import { registerContext } from './vscode/context/registerContext';
import { registerCompletion } from './vscode/completion/registerCompletion';
import { KimiConnection } from './vscode/kimiConnection';
import { registerMockup } from './vscode/mockup/registerMockup';
import type { MoonpilotApi } from './vscode/moonpilotApi';
import { Notifier } from './vscode/notifier';
import { OutputLogger } from './vscode/outputLogger';
import { SettingsReader } from './vscode/settingsReader';

/** Composition root: builds the long-lived objects and registers each feature. */
export function activate(context: vscode.ExtensionContext): MoonpilotApi {
  const log = new OutputLogger();
  const settings = new SettingsReader();
  const keys = new ApiKeyStore(context.secrets);
  const notifier = new Notifier();
  const guard = new EndpointGuard(context.globalState, context.workspaceState, notifier, log);
  const connection = new KimiConnection(settings, keys, notifier, log, guard);
  context.subscriptions.push(log, settings, keys, connection, guard.watch());
  void guard.checkWorkspaceOverrides();

  registerApiKeyCommands(context, { keys, connection, notifier, log });
  const tracker = registerContext(context, { settings, log });
  const completion = registerCompletion(context, { connection, settings, keys, notifier, log, contextSource: tracker });
  const chat = registerChat(context, { connection, tracker, notifier, log });
  registerMockup(context, { connection, notifier, log });
  registerEndpointStatus(context, { settings, keys, connection, log });

  log.info('activate', `Moonpilot ${String(context.extension.packageJSON.version)} on VS Code ${vscode.version}`);
  return { notifications: () => notifier.history, completion, chat };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
