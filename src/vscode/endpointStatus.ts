import * as vscode from 'vscode';
import { endpointLabel } from '../core/kimi/endpointLabel';
import type { ModelInfo } from '../core/kimi/kimiTypes';
import { trustFor } from '../core/security/endpointTrust';
import type { ApiKeyStore } from './apiKeyStore';
import type { KimiConnection } from './kimiConnection';
import type { OutputLogger } from './outputLogger';
import type { SettingsReader } from './settingsReader';

export interface EndpointStatusDeps {
  settings: SettingsReader;
  keys: ApiKeyStore;
  connection: KimiConnection;
  log: OutputLogger;
}

/**
 * A status bar item next to the completion item naming the endpoint when it is not Moonshot's
 * own API; "Kimi (simulator)" when the local simulator answers `/models`. It reads `/models` only for origins trusted without asking
 * (Moonshot's, or the one in `MOONSHOT_BASE_URL`), so it never prompts on its own.
 */
export function registerEndpointStatus(context: vscode.ExtensionContext, deps: EndpointStatusDeps): void {
  const { settings, keys, connection, log } = deps;
  const item = vscode.window.createStatusBarItem('moonpilot.endpoint', vscode.StatusBarAlignment.Right, 99);
  item.name = 'Moonpilot Endpoint';
  let generation = 0;

  const modelsIfTrusted = async (baseUrl: string): Promise<readonly ModelInfo[] | undefined> => {
    if (trustFor(baseUrl, {}, process.env.MOONSHOT_BASE_URL) !== 'trusted') {
      return undefined;
    }
    const client = await connection.acquire('the endpoint status', { wait: false, priority: 'background' });
    return client ? connection.modelList(client) : undefined;
  };

  const refresh = async (): Promise<void> => {
    const mine = ++generation;
    const s = settings.current;
    const hasKey = (await keys.get()) !== undefined;
    const show = (models: readonly ModelInfo[] | undefined): void => {
      if (mine !== generation) {
        return; // A newer refresh owns the item.
      }
      const label = endpointLabel({ baseUrl: s.baseUrl, baseUrlSource: s.baseUrlSource, hasKey, models });
      item.text = label.text;
      item.tooltip = label.tooltip;
      item.command = label.command;
      item.backgroundColor = label.warn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      if (label.visible) {
        item.show();
      } else {
        item.hide();
      }
    };
    show(undefined);
    if (hasKey) {
      const models = await modelsIfTrusted(s.baseUrl);
      show(models);
      if (mine === generation) {
        log.info('status', `endpoint ${s.baseUrl}: ${item.text.replace(/\$\([^)]*\)\s*/g, '')}`);
      }
    }
  };

  const refreshLater = (): void => void refresh();
  context.subscriptions.push(item, settings.onDidChange(refreshLater), keys.onDidChange(refreshLater));
  refreshLater();
}
