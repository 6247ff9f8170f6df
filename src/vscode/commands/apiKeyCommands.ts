import * as vscode from 'vscode';
import { COMMANDS } from '../../core/config/commandIds';
import { resolveModelProfile } from '../../core/kimi/modelProfiles';
import { KimiError } from '../../core/kimi/kimiErrors';
import type { Registrar } from '../registrar';
import type { ApiKeyStore } from '../apiKeyStore';
import type { KimiConnection } from '../kimiConnection';
import type { Notifier } from '../notifier';
import type { OutputLogger } from '../outputLogger';

export interface ConnectionReport {
  ok: boolean;
  host: string;
  message: string;
  models?: string[];
}

/** Registers Set API Key, Clear API Key and Test Connection. */
export function registerApiKeyCommands(
  context: vscode.ExtensionContext,
  deps: { registrar: Registrar; keys: ApiKeyStore; connection: KimiConnection; notifier: Notifier; log: OutputLogger },
): void {
  const { registrar, keys, connection, notifier, log } = deps;
  context.subscriptions.push(
    registrar.registerCommand(COMMANDS.setApiKey, async (value?: unknown): Promise<boolean> => {
      // A string argument lets scripts and tests set the key without the input box.
      const key =
        typeof value === 'string'
          ? value
          : await vscode.window.showInputBox({
              title: 'Moonpilot: Kimi API key',
              prompt: 'Stored in VS Code Secret Storage, never in settings.',
              password: true,
              ignoreFocusOut: true,
              validateInput: (v) => (v.trim().length < 8 ? 'That does not look like an API key.' : undefined),
            });
      if (!key || key.trim() === '') {
        return false;
      }
      await keys.set(key);
      log.info('keys', 'API key stored in SecretStorage');
      void notifier.show('info', 'Moonpilot: API key saved in Secret Storage.');
      return true;
    }),
    registrar.registerCommand(COMMANDS.clearApiKey, async (): Promise<void> => {
      await keys.clear();
      log.info('keys', 'API key removed from SecretStorage');
      const fallback = (await keys.source()) === 'environment' ? ' MOONSHOT_API_KEY from the environment is still used.' : '';
      void notifier.show('info', `Moonpilot: API key removed.${fallback}`);
    }),
    registrar.registerCommand(COMMANDS.testConnection, async (): Promise<ConnectionReport> => {
      const settings = connection.settingsNow;
      const host = new URL(settings.baseUrl).host;
      try {
        const client = await connection.client('Test Connection');
        const models = await client.listModels();
        const chat = resolveModelProfile(settings.chatModel, models);
        const message = models
          ? `Connected to ${host}: ${models.length} models; ${chat.id} has a ${Math.round(chat.contextLength / 1024)}K context${chat.supportsImages ? ' and takes images' : ''}.`
          : `Connected to ${host} (it does not list models; assuming ${Math.round(chat.contextLength / 1024)}K for ${chat.id}).`;
        void notifier.show('info', `Moonpilot: ${message}`);
        return { ok: true, host, message, models: models?.map((m) => m.id) };
      } catch (err) {
        const message = KimiError.is(err) ? err.message : 'Unexpected failure.';
        log.error('connection', `test failed: ${message}`);
        if (KimiError.is(err, 'noApiKey')) {
          return { ok: false, host, message }; // The connection has offered Set API Key already.
        }
        void notifier.show('error', `Moonpilot: ${message}`, ...(KimiError.is(err, 'auth') ? ['Set API Key'] : []));
        return { ok: false, host, message };
      }
    }),
  );
}
