import * as vscode from 'vscode';
import { KimiClient } from '../core/kimi/kimiClient';
import type { ModelInfo } from '../core/kimi/kimiTypes';
import type { Settings } from '../core/config/settings';
import type { ApiKeyStore } from './apiKeyStore';
import type { EndpointGuard } from './endpointGuard';
import type { Notifier } from './notifier';
import type { OutputLogger } from './outputLogger';
import type { SettingsReader } from './settingsReader';

export const SET_API_KEY_ACTION = 'Set API Key';

/**
 * Hands features a `KimiClient` for the current settings and key, rebuilt when either
 * changes. With no key it shows one "Set API Key" notification and returns undefined;
 * it never throws for a missing key.
 */
export class KimiConnection implements vscode.Disposable {
  private client: KimiClient | undefined;
  private clientFor = '';
  private models: Promise<ModelInfo[] | undefined> | undefined;
  private warnedNoKey = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly settings: SettingsReader,
    private readonly keys: ApiKeyStore,
    private readonly notifier: Notifier,
    private readonly log: OutputLogger,
    private readonly guard: EndpointGuard,
  ) {
    const reset = (): void => {
      this.client = undefined;
      this.models = undefined;
      this.warnedNoKey = false;
    };
    this.subscriptions = [settings.onDidChange(reset), keys.onDidChange(reset)];
  }

  /**
   * The client, or undefined (after telling the user once) when no key is set or the user has
   * not allowed the endpoint's host. `wait: false` (the keystroke path) never waits for the
   * user's answer about a new host.
   */
  async acquire(feature: string, options: { wait?: boolean } = {}): Promise<KimiClient | undefined> {
    const key = await this.keys.get();
    if (!key) {
      this.log.warn('connection', `${feature}: no API key set`);
      if (!this.warnedNoKey) {
        this.warnedNoKey = true;
        void this.notifier
          .show('warning', `Moonpilot needs a Kimi API key for ${feature}.`, SET_API_KEY_ACTION)
          .then((choice) => (choice === SET_API_KEY_ACTION ? vscode.commands.executeCommand('moonpilot.setApiKey') : undefined));
      }
      return undefined;
    }
    this.log.setSecrets([key]);
    const s = this.settings.current;
    if (!(await this.guard.mayUse(s.baseUrl, { wait: options.wait ?? true }))) {
      this.log.warn('connection', `${feature}: requests to ${s.baseUrl} are not allowed (yet)`);
      return undefined;
    }
    const identity = JSON.stringify([s.baseUrl, s.dialect, s.requestTimeoutMs, key]);
    if (!this.client || identity !== this.clientFor) {
      this.client = new KimiClient({ baseUrl: s.baseUrl, apiKey: key, dialect: s.dialect, firstByteTimeoutMs: s.requestTimeoutMs, idleTimeoutMs: s.requestTimeoutMs });
      this.clientFor = identity;
      this.models = undefined;
      this.log.info('connection', `using ${s.baseUrl} (${s.baseUrlSource}), dialect ${s.dialect}`);
    }
    return this.client;
  }

  /** `/models` for the current endpoint, fetched once per client; undefined when unavailable. */
  async modelList(client: KimiClient): Promise<ModelInfo[] | undefined> {
    if (!this.models) {
      this.models = client.listModels().catch((err: unknown) => {
        this.log.warn('connection', `GET /models failed: ${err instanceof Error ? err.message : String(err)}`);
        this.models = undefined;
        return undefined;
      });
    }
    return this.models;
  }

  get settingsNow(): Settings {
    return this.settings.current;
  }

  dispose(): void {
    for (const s of this.subscriptions) {
      s.dispose();
    }
  }
}
