import * as vscode from 'vscode';
import { COMMANDS } from '../core/config/commandIds';
import { settingKeysInSettingsText } from '../core/security/endpointTrust';
import { MANAGE_TRUST, restrictedModeNotice, SET_API_KEY } from '../core/security/restrictedMode';
import type { ApiKeyStore } from './apiKeyStore';
import type { Notifier } from './notifier';
import type { OutputLogger } from './outputLogger';
import { readWorkspaceSettingsFiles } from './workspaceSettingsFiles';

const TOLD_KEY = 'moonpilot.toldRestrictedMode';

/** The settings package.json declares restricted (full ids), the one list of them. */
export function restrictedSettings(packageJSON: unknown): string[] {
  const manifest = packageJSON as { capabilities?: { untrustedWorkspaces?: { restrictedConfigurations?: string[] } } };
  return manifest.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? [];
}

/**
 * In Restricted Mode, tells the user once per workspace what Moonpilot ignores and why, and offers
 * Set API Key when no key is set. VS Code itself ignores the restricted settings' workspace values.
 */
export async function tellRestrictedMode(context: vscode.ExtensionContext, deps: { keys: ApiKeyStore; notifier: Notifier; log: OutputLogger }): Promise<void> {
  if (vscode.workspace.isTrusted) {
    return;
  }
  const keys = restrictedSettings(context.extension.packageJSON).map((id) => id.replace(/^moonpilot\./, ''));
  const ignored = new Set<string>();
  for (const file of await readWorkspaceSettingsFiles()) {
    settingKeysInSettingsText(file.text, keys, file.workspaceFile).forEach((k) => ignored.add(`moonpilot.${k}`));
  }
  const names = [...ignored];
  deps.log.warn('security', `Restricted Mode: workspace values of restricted settings are ignored${names.length ? ` (${names.join(', ')})` : ''}`);
  if (context.workspaceState.get<boolean>(TOLD_KEY)) {
    return;
  }
  await context.workspaceState.update(TOLD_KEY, true);
  const notice = restrictedModeNotice(names, (await deps.keys.get()) !== undefined);
  const choice = await deps.notifier.show('info', notice.message, ...notice.actions);
  if (choice === SET_API_KEY) {
    await vscode.commands.executeCommand(COMMANDS.setApiKey);
  } else if (choice === MANAGE_TRUST) {
    await vscode.commands.executeCommand('workbench.trust.manage');
  }
}
