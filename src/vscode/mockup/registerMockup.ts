import * as vscode from 'vscode';
import type { KimiConnection } from '../kimiConnection';
import type { Notifier } from '../notifier';
import type { OutputLogger } from '../outputLogger';
import { MOCKUP_COMMAND, runMockupToCode } from './mockupCommand';

/**
 * Registers "Moonpilot: Generate Code from Mockup Image" (palette and explorer context menu on
 * png/jpg/jpeg/webp/gif). Arguments `(uri, {target, instruction, cancellation})` skip the
 * pickers; the command resolves to a `MockupResult`.
 */
export function registerMockup(context: vscode.ExtensionContext, deps: { connection: KimiConnection; notifier: Notifier; log: OutputLogger }): void {
  const mockupDeps = { ...deps, workspaceState: context.workspaceState };
  context.subscriptions.push(vscode.commands.registerCommand(MOCKUP_COMMAND, (uri?: unknown, options?: unknown) => runMockupToCode(mockupDeps, uri, options)));
}
