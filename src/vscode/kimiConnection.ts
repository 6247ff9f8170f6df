import * as vscode from 'vscode';
import { COMMANDS } from '../core/config/commandIds';
import { KimiClient } from '../core/kimi/kimiClient';
import { KimiError } from '../core/kimi/kimiErrors';
import { untilAborted } from '../core/kimi/abortable';
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

export interface AcquireOptions {
  /** Ask about a new origin with a modal and wait for the answer (default true). */
  wait?: boolean;
  priority?: Priority;
  /** Cancels the wait for the user's answer (the chat's Stop). */
  signal?: AbortSignal;
  /**
   * Tell the user nothing when no key is set (work nobody asked for, such as VS Code listing models):
   * the one "needs a key" warning is kept for something the user did.
   */
  quiet?: boolean;
}

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
  private models: ModelLookup | undefined;
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
    this.migration = new ModelMigration(settings, (client) => this.modelList(client), notifier, log);
    const reset = (): void => {
      this.clients.clear();
      this.limiter.setLimits(settings.current.rateLimits);
      this.models = undefined;
      this.warnedNoKey = false;
    };
    this.subscriptions = [settings.onDidChange(reset), keys.onDidChange(reset)];
  }

  /**
   * The client, or undefined (after telling the user once) when no key is set or the endpoint's
   * origin is not approved; `client()` says which by throwing.
   */
  async acquire(feature: string, options: AcquireOptions = {}): Promise<KimiClient | undefined> {
    try {
      return await this.client(feature, options);
    } catch (err) {
      if (KimiError.is(err)) {
        return undefined;
      }
      throw err;
    }
  }

  /**
   * The client for the current settings and key. Throws a `KimiError`: `noApiKey` when no key is
   * set (the user is told once, with Set API Key), `endpointNotApproved` when the user has not
   * approved the endpoint's origin, `cancelled` when `signal` aborted the wait for that answer.
   * `wait: false` (the keystroke path) never waits for the user's answer about a new origin; it
   * shows the question once and leaves the status bar asking. `priority: 'background'`
   * (completions) gets a client whose requests are dropped rather than queued by the rate
   * limiter, and never retried.
   */
  async client(feature: string, options: AcquireOptions = {}): Promise<KimiClient> {
    const key = await this.keys.get();
    if (!key) {
      this.log.warn('connection', `${feature}: no API key set`);
      if (!this.warnedNoKey && !options.quiet) {
        this.warnedNoKey = true;
        void this.notifier
          .show('warning', `Moonpilot needs a Kimi API key for ${feature}.`, SET_API_KEY_ACTION)
          .then((choice) => (choice === SET_API_KEY_ACTION ? vscode.commands.executeCommand(COMMANDS.setApiKey) : undefined));
      }
      throw new KimiError('noApiKey', `Moonpilot needs a Kimi API key for ${feature} (Moonpilot: Set API Key).`);
    }
    this.log.setSecrets([key]);
    const s = this.settings.current;
    try {
      await this.guard.check(s.baseUrl, { interactive: options.wait ?? true, signal: options.signal });
    } catch (err) {
      if (KimiError.is(err) && err.kind !== 'cancelled') {
        this.log.warn('connection', `${feature}: ${err.message}`);
      }
      throw err;
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

  /**
   * `/models` for the current endpoint, fetched once per client; undefined when unavailable.
   * `signal` ends this caller's wait (rejecting as cancelled); when every caller waiting on a
   * look-up has stopped, the look-up itself is aborted (the next caller starts a new one).
   */
  async modelList(client: KimiClient, signal?: AbortSignal): Promise<ModelInfo[] | undefined> {
    let lookup = this.models;
    if (!lookup) {
      const controller = new AbortController();
      const created: ModelLookup = { controller, waiters: 0, settled: false, result: Promise.resolve(undefined) };
      created.result = client.listModels(controller.signal).then(
        (models) => {
          created.settled = true;
          created.value = models;
          return models;
        },
        (err: unknown) => {
          created.settled = true;
          if (!controller.signal.aborted) {
            this.log.warn('connection', `GET /models failed: ${err instanceof Error ? err.message : String(err)}`);
          }
          if (this.models === created) {
            this.models = undefined;
          }
          return undefined;
        },
      );
      this.models = lookup = created;
    }
    lookup.waiters++;
    try {
      return await untilAborted(lookup.result, signal);
    } finally {
      lookup.waiters--;
      if (lookup.waiters === 0 && !lookup.settled && signal?.aborted) {
        lookup.controller.abort();
        if (this.models === lookup) {
          this.models = undefined;
        }
      }
    }
  }

  /**
   * The current endpoint's `/models` answer if a look-up has already settled (no request made
   * here): for budgets that are computed synchronously, such as the context's.
   */
  listedModels(): readonly ModelInfo[] | undefined {
    return this.models?.value;
  }

  /** The user's answers about endpoint origins (the completion status bar shows what awaits one). */
  get approvals(): EndpointGuard['approvals'] {
    return this.guard.approvals;
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

/** One shared `GET /models`, aborted when everyone waiting on it stopped. */
interface ModelLookup {
  result: Promise<ModelInfo[] | undefined>;
  /** The answer, once settled. */
  value?: ModelInfo[];
  controller: AbortController;
  waiters: number;
  settled: boolean;
}
