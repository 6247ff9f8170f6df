import * as vscode from 'vscode';
import type { ShellHooks } from './vscode/registrar';
import { ApiKeyStore } from './vscode/apiKeyStore';
import { EndpointGuard } from './vscode/endpointGuard';
import { registerEndpointStatus } from './vscode/endpointStatus';
import { registerChat } from './vscode/chat/registerChat';
import { registerApiKeyCommands } from './vscode/commands/apiKeyCommands';
import { registerContext } from './vscode/context/registerContext';
import { WorkspaceExclusions } from './vscode/context/workspaceExclusions';
import { registerCompletion } from './vscode/completion/registerCompletion';
import { preloadKimiSdk } from './core/kimi/kimiClient';
import { KimiConnection } from './vscode/kimiConnection';
import { registerLanguageModels } from './vscode/lm/registerLanguageModels';
import { registerMockup } from './vscode/mockup/registerMockup';
import { tellRestrictedMode } from './vscode/restrictedMode';
import type { LoadedFeatures } from './vscode/moonpilotApi';
import { Notifier } from './vscode/notifier';
import { OutputLogger } from './vscode/outputLogger';
import { SettingsReader } from './vscode/settingsReader';

/**
 * Composition root (dist/features.js, loaded by the activation shell on first need): builds the
 * long-lived objects and registers each feature through the shell's registrar, which binds the
 * stand-ins the shell registered at activation. What is left to do off the activation path
 * (`warmUp`) the shell runs from its idle timer.
 */
export function activateFeatures(context: vscode.ExtensionContext, shell: ShellHooks): LoadedFeatures {
  const { registrar } = shell;
  const log = new OutputLogger(shell.channel);
  const settings = new SettingsReader();
  const keys = new ApiKeyStore(context.secrets);
  const notifier = new Notifier();
  const guard = new EndpointGuard(context.globalState, context.workspaceState, notifier, log, settings);
  const connection = new KimiConnection(settings, keys, notifier, log, guard);
  context.subscriptions.push(settings, keys, connection, guard.watch(), guard.registerCommands((id, handler) => registrar.registerCommand(id, handler), () => settings.current.baseUrl));
  void guard.checkWorkspaceOverrides();
  void tellRestrictedMode(context, { keys, notifier, log });

  registerApiKeyCommands(context, { registrar, keys, connection, notifier, log });
  // One exclusion service (one set of ignore-file watchers) for completion, context and chat.
  const exclusions = new WorkspaceExclusions(settings, context.globalStorageUri);
  context.subscriptions.push(exclusions);
  const tracker = registerContext(context, { registrar, settings, log, exclusions, listedModels: () => connection.listedModels() });
  const completion = registerCompletion(context, { registrar, connection, settings, keys, notifier, log, exclusions, contextSource: tracker });
  const chat = registerChat(context, { registrar, connection, tracker, exclusions, notifier, log });
  registerMockup(context, { registrar, connection, settings, notifier, log });
  registerEndpointStatus(context, { settings, keys, connection, log });
  const languageModels = registerLanguageModels(context, { registrar, connection, keys, guard, settings, log });

  log.info('activate', `Moonpilot ${String(context.extension.packageJSON.version)} on VS Code ${vscode.version}`);
  return {
    api: { notifications: () => notifier.history, completion, chat, languageModels },
    warmUp: () => {
      tracker.start();
      preloadKimiSdk();
    },
  };
}
