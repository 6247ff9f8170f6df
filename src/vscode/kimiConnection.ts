import * as vscode from 'vscode';
import { KimiClient, preloadKimiSdk } from '../core/kimi/kimiClient';
import { RateLimiter, type Priority } from '../core/kimi/rateLimiter';
import type { ModelInfo } from '../core/kimi/kimiTypes';
import type { Settings } from '../core/config/settings';
import type { ApiKeyStore } from './apiKeyStore';
import type { EndpointGuard } from './endpointGuard';
import { ModelMigration } from './modelMigration';
import type { Notifier } from './notifier';
import type { OutputLogger } from './outputLogger';
import type { SettingsReader } from './settingsReader';

export const SET_API_KEY_ACTION = 'Set API Key';

/** How long after activation the openai SDK is loaded if no request has loaded it yet. */
const SDK_PRELOAD_DELAY_MS = 3_000;

/**
 * Hands features a `KimiClient` for the current settings and key, rebuilt when either
 * changes. With no key it shows one "Set API Key" notification and returns undefined;
 * it never throws for a missing key.
 */
export class KimiConnection implements vscode.Disposable {
  private readonly clients = new Map<Priority, KimiClient>();
  private clientFor = '';
  /** One limiter for the account, shared by every feature. */
  readonly limiter: RateLimiter;
  private models: Promise<ModelInfo[] | undefined> | undefined;
  private warnedNoKey = false;
  private readonly subscriptions: vscode.Disposable[];
  /** Tells the user about configured models the endpoint does not serve (retired `kimi-k2.5`…). */
  readonly migration: ModelMigration;

  constructor(
    private readonly settings: SettingsReader,
    private readonly keys: ApiKeyStore,
    private readonly notifier: Notifier,
    private readonly log: OutputLogger,
    private readonly guard: EndpointGuard,
  ) {
    this.limiter = new RateLimiter(settings.current.rateLimits);
    this.migration = new ModelMigration(() => settings.current, (client) => this.modelList(client), notifier, log);
    const reset = (): void => {
      this.clients.clear();
      this.limiter.setLimits(settings.current.rateLimits);
      this.models = undefined;
      this.warnedNoKey = false;
    };
    // Off the activation path, before the first request needs it.
    const preload = setTimeout(() => preloadKimiSdk(), SDK_PRELOAD_DELAY_MS);
    this.subscriptions = [settings.onDidChange(reset), keys.onDidChange(reset), { dispose: () => clearTimeout(preload) }];
  }

  /**
   * The client, or undefined (after telling the user once) when no key is set or the user has
   * not allowed the endpoint's host. `wait: false` (the keystroke path) never waits for the
   * user's answer about a new host. `priority: 'background'` (completions) gets a client whose
   * requests are dropped rather than queued by the rate limiter, and never retried.
   */
  async acquire(feature: string, options: { wait?: boolean; priority?: Priority } = {}): Promise<KimiClient | undefined> {
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
    if (identity !== this.clientFor) {
      this.clients.clear();
      this.clientFor = identity;
      this.models = undefined;
      this.log.info('connection', `using ${s.baseUrl} (${s.baseUrlSource}), dialect ${s.dialect}`);
    }
    const priority = options.priority ?? 'interactive';
    let client = this.clients.get(priority);
    if (!client) {
      client = new KimiClient({
        baseUrl: s.baseUrl,
        apiKey: key,
        dialect: s.dialect,
        firstByteTimeoutMs: s.requestTimeoutMs,
        idleTimeoutMs: s.requestTimeoutMs,
        limiter: this.limiter,
        priority,
        retry: priority === 'background' ? false : undefined,
        onRetry: (error, delayMs) => this.log.warn('connection', `${error.kind}: retrying in ${delayMs} ms (${error.message})`),
      });
      this.clients.set(priority, client);
    }
    return client;
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
