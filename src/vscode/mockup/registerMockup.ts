import * as vscode from 'vscode';
import { COMMANDS } from '../../core/config/commandIds';
import type { Registrar } from '../registrar';
import type { KimiConnection } from '../kimiConnection';
import type { Notifier } from '../notifier';
import type { OutputLogger } from '../outputLogger';
import type { SettingsReader } from '../settingsReader';
import { runMockupToCode } from './mockupCommand';

/**
 * Registers "Moonpilot: Generate Code from Mockup Image" (palette and explorer context menu on
 * png/jpg/jpeg/webp/gif). Arguments `(uri, {target, instruction, cancellation})` skip the
 * pickers; the command resolves to a `MockupResult`.
 */
export function registerMockup(context: vscode.ExtensionContext, deps: { registrar: Registrar; connection: KimiConnection; settings: SettingsReader; notifier: Notifier; log: OutputLogger }): void {
  const { registrar, ...rest } = deps;
  const mockupDeps = { ...rest, workspaceState: context.workspaceState };
  context.subscriptions.push(registrar.registerCommand(COMMANDS.mockupToCode, (uri?: unknown, options?: unknown) => runMockupToCode(mockupDeps, uri, options)));
}
