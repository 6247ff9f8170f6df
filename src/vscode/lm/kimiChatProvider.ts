import * as vscode from 'vscode';
import { pricesFor } from '../../core/config/settings';
import { KimiError } from '../../core/kimi/kimiErrors';
import type { KimiClient } from '../../core/kimi/kimiClient';
import type { ModelInfo } from '../../core/kimi/kimiTypes';
import { resolveModelProfile } from '../../core/kimi/modelProfiles';
import { countLmTokens } from '../../core/lm/lmTokenCount';
import { buildLmRequest, lmModelInfo } from '../../core/lm/lmRequest';
import type { LmResponsePart } from '../../core/lm/lmTypes';
import { ReasoningStore } from '../../core/lm/reasoningStore';
import { ResponseAssembler } from '../../core/lm/responseAssembler';
import type { UsageMeter } from '../../core/lm/usageMeter';
import { hostOf } from '../../core/security/endpointTrust';
import type { ApiKeyStore } from '../apiKeyStore';
import type { EndpointGuard } from '../endpointGuard';
import type { KimiConnection } from '../kimiConnection';
import type { OutputLogger } from '../outputLogger';
import type { SettingsReader } from '../settingsReader';
import { toLmMessage, toLmMessages } from './requestMessages';

/** The vendor id in package.json's `languageModelChatProviders` (`vscode.lm.selectChatModels({ vendor })`). */
export const LM_VENDOR = 'moonpilot';

/** How the feature is named in logs and in the "needs a key" notification. */
const FEATURE = "VS Code's chat";

/** Where the reasoning store is saved (workspace state: VS Code keeps chat sessions per workspace). */
const REASONING_STATE_KEY = 'moonpilot.lm.reasoning';
/** Saves are batched: an agent session remembers a reply every few seconds. */
const SAVE_DELAY_MS = 2_000;

export interface KimiChatProviderDeps {
  connection: KimiConnection;
  keys: ApiKeyStore;
  guard: EndpointGuard;
  settings: SettingsReader;
  /** Keeps the reasoning store across window reloads (VS Code restores chat sessions). */
  storage: vscode.Memento;
  meter: UsageMeter;
  log: OutputLogger;
  /** Called after each request's usage was added to the meter. */
  onMetered(): void;
}

/**
 * Kimi models for VS Code's own chat and agent mode (the stable LanguageModelChatProvider API).
 * Same key, endpoint trust, client and rate limiter as Moonpilot's other features (through
 * `KimiConnection`); requests follow the model's profile; each response's reasoning is kept in a
 * {@link ReasoningStore} and replayed on later requests; usage goes to the meter.
 */
export class KimiChatProvider implements vscode.LanguageModelChatProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly store = new ReasoningStore();
  private readonly subscriptions: vscode.Disposable[];
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: KimiChatProviderDeps) {
    const fire = (): void => this.changed.fire();
    this.subscriptions = [this.changed, deps.settings.onDidChange(fire), deps.keys.onDidChange(fire)];
    this.store.restore(deps.storage.get(REASONING_STATE_KEY));
  }

  private remember(reply: Parameters<ReasoningStore['remember']>[0]): void {
    this.store.remember(reply);
    this.saveTimer ??= setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  private save(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    void Promise.resolve(this.deps.storage.update(REASONING_STATE_KEY, this.store.save())).catch((err: unknown) =>
      this.deps.log.warn('lm', `could not save the reasoning kept for replay: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  /** Replies whose reasoning is kept for replay (diagnostics). */
  get rememberedReplies(): number {
    return this.store.size;
  }

  /**
   * The endpoint's models (`/models`) with their profiles. Silently (as VS Code lists at startup)
   * it never prompts: with no key it lists nothing; for a host the user was not asked about yet it
   * lists the configured chat model without contacting the host (the first request asks).
   */
  async provideLanguageModelChatInformation(options: vscode.PrepareLanguageModelChatModelOptions, token: vscode.CancellationToken): Promise<vscode.LanguageModelChatInformation[]> {
    const s = this.deps.settings.current;
    const endpoint = hostOf(s.baseUrl) ?? s.baseUrl;
    if ((await this.deps.keys.get()) === undefined) {
      // No models without a key, and no notification: VS Code lists models on its own (after a key
      // change too), and the one "needs a key" warning belongs to something the user asked for. The
      // model picker's Manage action (managementCommand) is Set API Key.
      return [];
    }
    const decided = this.deps.guard.decided(s.baseUrl);
    if (decided === false) {
      return [];
    }
    let listed: ModelInfo[] | undefined;
    if (decided === true || !options.silent) {
      // Quiet: the key can go between the check above and here (a key change is what makes VS Code list again).
      const client = await untilCancelled(this.deps.connection.acquire(FEATURE, { quiet: true }), token);
      if (!client) {
        return [];
      }
      listed = await this.deps.connection.modelList(client);
    }
    const ids = listed && listed.length > 0 ? listed.map((m) => m.id) : [s.chatModel];
    return ids.map((id) => lmModelInfo(resolveModelProfile(id, listed), endpoint, pricesFor(s, id)));
  }

  async provideLanguageModelChatResponse(
    model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    // Cancelling aborts the HTTP request, which closes the connection.
    const controller = new AbortController();
    const cancelled = token.onCancellationRequested(() => controller.abort());
    try {
      const asked = this.deps.guard.decided(this.deps.settings.current.baseUrl) === undefined;
      const client = await untilCancelled(this.deps.connection.acquire(FEATURE), token);
      if (token.isCancellationRequested) {
        return;
      }
      if (!client) {
        throw await this.noClientError();
      }
      if (asked) {
        this.changed.fire(); // Allowed just now: the endpoint's own model list can be read.
      }
      await this.stream(client, model.id, messages, options, progress, controller.signal);
    } catch (err) {
      if (KimiError.is(err) && err.kind === 'cancelled') {
        return;
      }
      if (KimiError.is(err)) {
        this.deps.log.warn('lm', `${model.id}: ${err.kind}: ${err.message}`);
        throw new Error(err.message);
      }
      throw err;
    } finally {
      cancelled.dispose();
    }
  }

  private async stream(
    client: KimiClient,
    modelId: string,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    signal: AbortSignal,
  ): Promise<void> {
    const profile = resolveModelProfile(modelId, await this.deps.connection.modelList(client));
    const request = buildLmRequest({
      profile,
      messages: toLmMessages(messages),
      tools: (options.tools ?? []).map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
      toolMode: options.toolMode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto',
      effort: this.deps.settings.current.chatEffort,
      store: this.store,
    });
    const assembler = new ResponseAssembler();
    let complete = false;
    try {
      for await (const event of client.stream(request, signal)) {
        assembler.add(event).forEach((part) => progress.report(toVsCodePart(part)));
      }
      const { parts, reply } = assembler.finish();
      this.remember(reply);
      complete = true;
      parts.forEach((part) => progress.report(toVsCodePart(part)));
    } finally {
      const result = assembler.result;
      if (!complete && (result.content !== '' || result.reasoning !== '')) {
        // A stopped answer may stay in the conversation as text.
        this.remember({ content: result.content, reasoning: result.reasoning, toolCalls: [] });
      }
      if (result.usage) {
        const metered = this.deps.meter.add(modelId, result.usage, pricesFor(this.deps.settings.current, modelId));
        const u = result.usage;
        this.deps.log.info('lm', `${modelId}: ${u.promptTokens} prompt tokens (${u.cachedTokens} cached), ${u.completionTokens} output, $${metered.cost.toFixed(5)}`);
        this.deps.onMetered();
      }
    }
  }

  /** Why there is no client: no key, or the user has not allowed (or refused) the endpoint's host. */
  private async noClientError(): Promise<Error> {
    if ((await this.deps.keys.get()) === undefined) {
      return vscode.LanguageModelError.NoPermissions('Moonpilot needs a Kimi API key: run "Moonpilot: Set API Key".');
    }
    const host = hostOf(this.deps.settings.current.baseUrl) ?? this.deps.settings.current.baseUrl;
    return vscode.LanguageModelError.NoPermissions(`Moonpilot did not send the request: you have not allowed requests to ${host}.`);
  }

  async provideTokenCount(_model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    return countLmTokens(typeof text === 'string' ? text : toLmMessage(text));
  }

  dispose(): void {
    if (this.saveTimer !== undefined) {
      this.save();
    }
    for (const s of this.subscriptions) {
      s.dispose();
    }
  }
}

function toVsCodePart(part: LmResponsePart): vscode.LanguageModelResponsePart {
  return part.kind === 'text' ? new vscode.LanguageModelTextPart(part.text) : new vscode.LanguageModelToolCallPart(part.callId, part.name, part.input);
}

/** `promise`, or undefined as soon as the token is cancelled (the user may never answer a host prompt). */
function untilCancelled<T>(promise: Promise<T>, token: vscode.CancellationToken): Promise<T | undefined> {
  if (token.isCancellationRequested) {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const sub = token.onCancellationRequested(() => {
      sub.dispose();
      resolve(undefined);
    });
    promise.then(
      (value) => {
        sub.dispose();
        resolve(value);
      },
      (err: unknown) => {
        sub.dispose();
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
