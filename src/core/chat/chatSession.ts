import { formatUserMessage } from './chatPrompt';
import { formatCost, formatTokens } from './format';
import type { AttachmentView, ChatViewState, HostToWebview, ReasoningChoice, SessionView, TurnView } from './protocol';
import { attachmentView, newId, Transcript, turnView, type Attachment, type ChatTurn } from './transcript';
import { turnErrorView } from './turnErrors';
import { parseStoredTranscript, TranscriptSerializer } from './transcriptStore';
import { pricesFor } from '../config/settings';
import { abortableDelay } from '../kimi/abortable';
import { KimiError } from '../kimi/kimiErrors';
import type { ModelInfo } from '../kimi/kimiTypes';
import { alwaysReasons, isEffortOf, resolveModelProfile, type ModelProfile, type ReasoningEffort } from '../kimi/modelProfiles';
import type { KimiClient } from '../kimi/kimiClient';
import { realClock, type Clock } from '../platform/clock';
import type { ChatSessionDeps, StoredSession } from './chatSessionPorts';
import { captureWorkspaceContext, estimateConversation, runTurnLoop } from './chatTurnLoop';

/** Output room per request: thinking needs ≥ 16K (reasoning counts toward max_tokens). */
const MAX_TOKENS_THINKING = 32_768;
const MAX_TOKENS_INSTANT = 8_192;
/** K3 at `max` effort reasons longest: more room, or the answer is cut after the reasoning. */
const MAX_TOKENS_MAX_EFFORT = 65_536;
/** Longest wait a Retry honours for a rate limit before it sends anyway. */
const MAX_RETRY_WAIT_MS = 60_000;
/** A change to the draft, attachments or mode is written once nothing changed for this long. */
const IDLE_PERSIST_MS = 2_000;

/**
 * The chat as the host owns it: the transcript, pending attachments, the mode and the draft, all
 * persisted through the storage port; it runs one turn at a time and describes every change as a
 * protocol message (the emit port), which the view forwards to the webview when there is one.
 */
export class ChatSession {
  private transcript: Transcript;
  private attachments: Attachment[] = [];
  private thinking: boolean;
  private effort: ReasoningEffort;
  private listed: readonly ModelInfo[] | undefined;
  private draft = '';
  private running: { turnId: string; controller: AbortController; done: Promise<void> } | undefined;
  private conversationTokens = 0;
  private contextWindow: number;
  private persistTimer: unknown;
  /** Aborted by Stop, New chat and dispose: ends a Retry's wait for a rate limit. */
  private retryWait: AbortController | undefined;
  private disposed = false;
  private readonly serializer = new TranscriptSerializer();
  private readonly clock: Clock;

  constructor(private readonly deps: ChatSessionDeps) {
    this.clock = deps.clock ?? realClock;
    const settings = deps.connection.settingsNow;
    this.thinking = settings.chatThinking;
    this.effort = settings.chatEffort;
    this.contextWindow = resolveModelProfile(settings.chatModel, undefined).contextLength;
    const stored = deps.storage.get();
    const restored = stored ? Transcript.restore(parseStoredTranscript(stored.transcript)) : undefined;
    this.transcript = restored ?? Transcript.create();
    if (stored && restored) {
      this.attachments = Array.isArray(stored.attachments) ? stored.attachments.filter((a) => typeof a?.text === 'string') : [];
      this.thinking = typeof stored.thinking === 'boolean' ? stored.thinking : this.thinking;
      this.effort = this.transcript.effort ?? this.effort;
      this.draft = typeof stored.draft === 'string' ? stored.draft : '';
    }
    this.conversationTokens = this.estimateConversation();
    this.contextWindow = this.profile().contextLength;
  }

  /** The conversation's model: pinned at its first request, else `moonpilot.chat.model`. */
  private get model(): string {
    return this.transcript.model ?? this.deps.connection.settingsNow.chatModel;
  }

  private profile(model: string = this.model): ModelProfile {
    return resolveModelProfile(model, this.listed);
  }

  /** The effort sent to an effort-controlled model: the conversation's, else the session's choice. */
  private effortFor(profile: ModelProfile): ReasoningEffort | undefined {
    if (profile.thinking.kind !== 'effort') {
      return undefined;
    }
    const wanted = this.transcript.effort ?? this.effort;
    return isEffortOf(profile, wanted) ? wanted : profile.thinking.default;
  }

  private reasoningChoice(profile: ModelProfile): ReasoningChoice {
    const control = profile.thinking;
    switch (control.kind) {
      case 'effort':
        return { kind: 'effort', effort: this.effortFor(profile) ?? control.default, levels: [...control.levels] };
      case 'switchable':
      case 'none':
        return { kind: control.kind };
      default:
        return alwaysReasons(profile) ? { kind: 'always' } : { kind: 'none' };
    }
  }

  /** Everything a freshly loaded webview needs. */
  state(): ChatViewState {
    return { turns: this.transcript.views(), session: this.sessionView(), attachments: this.attachments.map(attachmentView), thinking: this.thinking, draft: this.draft };
  }

  turns(): TurnView[] {
    return this.transcript.views();
  }

  pendingAttachments(): AttachmentView[] {
    return this.attachments.map(attachmentView);
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  sessionView(): SessionView {
    return {
      totals: this.transcript.totals(),
      conversationTokens: this.conversationTokens,
      contextWindow: this.contextWindow,
      ...this.modelView(),
      contextFiles: this.transcript.workspaceContext?.files.length ?? 0,
      busy: this.busy,
    };
  }

  private modelView(): Pick<SessionView, 'model' | 'modelLabel' | 'reasoning' | 'configuredModel' | 'priced'> {
    const settings = this.deps.connection.settingsNow;
    const profile = this.profile();
    const view: Pick<SessionView, 'model' | 'modelLabel' | 'reasoning' | 'configuredModel' | 'priced'> = {
      model: profile.id,
      modelLabel: profile.label,
      reasoning: this.reasoningChoice(profile),
      priced: pricesFor(settings, profile.id) !== undefined,
    };
    if (settings.chatModel !== profile.id) {
      view.configuredModel = settings.chatModel;
    }
    return view;
  }

  /** What re-sending the conversation uncached would cost on `model`, for the confirmation. */
  private resendCost(model: string): string {
    const prices = pricesFor(this.deps.connection.settingsNow, model);
    const tokens = this.estimateConversation();
    const cost = prices ? ` (about ${formatCost((tokens * prices.inputPerMillion) / 1_000_000)})` : '';
    return `the next message re-sends the whole conversation, ~${formatTokens(tokens)} tokens, without the cache${cost}`;
  }

  /**
   * Sets the reasoning effort. A chat that has sent messages keeps its effort (changing it breaks
   * the cached prefix) unless the user agrees; a new chat just takes it.
   */
  async setEffort(effort: ReasoningEffort): Promise<void> {
    const profile = this.profile();
    if (!isEffortOf(profile, effort)) {
      return;
    }
    const pinned = this.transcript.model !== undefined ? this.effortFor(profile) : undefined;
    if (pinned !== undefined && pinned !== effort) {
      const ok = await this.deps.confirm(`Changing the reasoning effort of this chat from "${pinned}" to "${effort}" breaks its cache: ${this.resendCost(profile.id)}. A new chat starts fresh instead.`, `Use "${effort}"`);
      if (!ok) {
        this.emitSession(); // puts the picker back
        return;
      }
      this.transcript.pin(profile.id, effort);
    }
    this.effort = effort;
    this.emitSession();
    this.persistSoon();
  }

  /** Moves this chat to the configured `moonpilot.chat.model`, once the user agreed to the uncached re-send. */
  async switchModel(): Promise<void> {
    const configured = this.deps.connection.settingsNow.chatModel;
    const current = this.transcript.model;
    if (current === undefined || current === configured || this.running) {
      this.emitSession();
      return;
    }
    const ok = await this.deps.confirm(`Switch this chat from ${current} to ${configured}? A different model cannot use the cache: ${this.resendCost(configured)}. A new chat starts fresh instead.`, `Switch to ${configured}`);
    if (ok) {
      const next = this.profile(configured);
      this.transcript.pin(configured, next.thinking.kind === 'effort' ? (isEffortOf(next, this.effort) ? this.effort : next.thinking.default) : undefined);
      this.contextWindow = next.contextLength;
      this.persistNow();
    }
    this.emitSession();
  }

  /** Re-reads the settings' view of the model (the configured model changed: the header offers the switch). */
  refreshModel(): void {
    if (!this.running) {
      this.contextWindow = this.profile().contextLength;
    }
    this.emitSession();
  }

  /**
   * Sends a message as a new turn with the pending attachments (or `options.attachments`).
   * Resolves with the finished turn; undefined when nothing was sent (empty, or still busy: then
   * the text goes back to the input).
   */
  async send(text: string, options: { thinking?: boolean; attachments?: Attachment[] } = {}): Promise<TurnView | undefined> {
    if (text.trim().length === 0) {
      return undefined;
    }
    if (this.running) {
      this.emit({ type: 'restoreInput', text });
      return undefined;
    }
    const attachments = options.attachments ?? this.attachments;
    if (!options.attachments) {
      this.attachments = [];
      this.emit({ type: 'attachments', attachments: [] });
    }
    const thinking = options.thinking ?? this.thinking;
    const turn = this.transcript.startTurn({ userText: text, attachments, thinking, userMessage: formatUserMessage(text, attachments) });
    this.draft = '';
    return this.run(turn);
  }

  /** Runs a failed or stopped turn again: in place when it is the last turn, else as a new turn. */
  async retry(turnId: string): Promise<TurnView | undefined> {
    const turn = this.transcript.get(turnId);
    if (!turn || this.running || turn.status === 'streaming' || turn.status === 'done') {
      return undefined;
    }
    const wait = Math.min(MAX_RETRY_WAIT_MS, (turn.error?.retryAt ?? 0) - this.clock.now());
    if (wait > 0) {
      this.retryWait?.abort();
      const waiting = new AbortController();
      this.retryWait = waiting;
      try {
        await abortableDelay(wait, waiting.signal);
      } catch {
        return undefined; // Stopped, a new chat, or the view went away while waiting.
      } finally {
        if (this.retryWait === waiting) {
          this.retryWait = undefined;
        }
      }
      if (this.running || this.transcript.get(turnId) !== turn || this.disposed) {
        return undefined; // Something else started, or a new chat replaced this one, meanwhile.
      }
    }
    if (this.transcript.last?.id === turn.id) {
      this.transcript.resetTurn(turn.id, turn.thinking);
      return this.run(turn);
    }
    return this.send(turn.userText, { thinking: turn.thinking, attachments: turn.attachments });
  }

  /**
   * Stops the streaming turn and everything it waits on (the context capture, the model list, the
   * host prompt's answer, a rate-limit wait): the request is aborted (its connection closed), the
   * partial answer kept. A Retry waiting out a rate limit is called off too.
   */
  stop(): void {
    this.retryWait?.abort();
    this.running?.controller.abort();
  }

  /** Stops the current turn, if any, and resolves when it has settled. */
  async stopAndSettle(): Promise<void> {
    const running = this.running;
    running?.controller.abort();
    await running?.done;
  }

  newChat(): void {
    // The old turn is aborted and forgotten: a message sent right away starts the new chat.
    this.stop();
    this.running = undefined;
    this.transcript = Transcript.create();
    this.attachments = [];
    this.thinking = this.deps.connection.settingsNow.chatThinking;
    this.contextWindow = this.profile().contextLength;
    this.conversationTokens = this.estimateConversation();
    this.emit({ type: 'init', state: this.state() });
    this.persistNow();
  }

  setThinking(thinking: boolean): void {
    this.thinking = thinking;
    this.emit({ type: 'thinkingMode', thinking });
    this.persistSoon();
  }

  setDraft(text: string): void {
    this.draft = text;
    this.persistSoon();
  }

  addAttachment(attachment: Attachment): void {
    this.attachments = [...this.attachments.filter((a) => !(a.path === attachment.path && a.startLine === attachment.startLine && a.endLine === attachment.endLine)), attachment];
    this.emit({ type: 'attachments', attachments: this.pendingAttachments() });
    this.persistSoon();
  }

  removeAttachment(id: string): void {
    this.attachments = this.attachments.filter((a) => a.id !== id);
    this.emit({ type: 'attachments', attachments: this.pendingAttachments() });
    this.persistSoon();
  }

  private emit(message: HostToWebview): void {
    this.deps.emit(message);
  }

  private emitTurn(turn: ChatTurn): void {
    if (this.isCurrent(turn)) {
      this.emit({ type: 'turn', turn: turnView(turn) });
    }
  }

  /** False once "New chat" replaced the conversation a turn belongs to. */
  private isCurrent(turn: ChatTurn): boolean {
    return this.transcript.get(turn.id) === turn;
  }

  private emitSession(): void {
    this.emit({ type: 'session', session: this.sessionView() });
  }

  private async run(turn: ChatTurn): Promise<TurnView> {
    const controller = new AbortController();
    let settle: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (settle = resolve));
    this.running = { turnId: turn.id, controller, done };
    this.emitTurn(turn);
    this.emitSession();
    this.persistNow();
    const { log, connection } = this.deps;
    let sent: { client: KimiClient; model: string } | undefined;
    const signal = controller.signal;
    try {
      this.deps.beforeTurn?.();
      // Throws why there is no client (no key, origin not approved); Stop cancels a pending question.
      const client = await connection.client('chat', { signal });
      this.listed = await connection.modelList(client, signal);
      const model = this.model;
      sent = { client, model };
      if (model === connection.settingsNow.chatModel) {
        // Never send a model the endpoint does not list (a retired kimi-k2.5 left in settings):
        // the user is told once what replaces it, with the one-click switch.
        const problem = await connection.migration.check('chat.model', client);
        if (problem) {
          sent = undefined; // already told
          throw new KimiError('modelNotFound', problem.message, 404);
        }
      }
      const profile = this.profile(model);
      const reasoningEffort = this.effortFor(profile);
      this.contextWindow = profile.contextLength;
      if (alwaysReasons(profile)) {
        turn.thinking = true; // it reasons whatever the switch says: show it as thinking
      }
      const maxTokens = reasoningEffort === 'max' ? MAX_TOKENS_MAX_EFFORT : turn.thinking ? MAX_TOKENS_THINKING : MAX_TOKENS_INSTANT;
      await captureWorkspaceContext(this.transcript, { ...this.deps, now: () => this.clock.now() }, maxTokens, signal);
      await runTurnLoop({
        transcript: () => this.transcript,
        turn,
        client,
        model,
        reasoningEffort,
        maxTokens,
        contextWindow: this.contextWindow,
        tools: this.deps.tools,
        log,
        signal,
        prices: () => pricesFor(connection.settingsNow, model),
        isCurrent: () => this.isCurrent(turn),
        conversationTokens: (tokens) => (this.conversationTokens = tokens),
        delta: (part, text) => {
          if (this.isCurrent(turn)) {
            // Not persisted per delta: the turn is written when it starts and when it settles.
            this.emit({ type: 'delta', turnId: turn.id, part, text });
          }
        },
        turnChanged: () => this.emitTurn(turn),
        sessionChanged: () => this.emitSession(),
      });
    } catch (err) {
      if (signal.aborted || KimiError.is(err, 'cancelled')) {
        turn.status = 'stopped';
      } else {
        turn.status = 'error';
        if (KimiError.is(err, 'modelNotFound') && sent) {
          // A 404 for the model: one message naming it and what replaces it, with the switch.
          const problem = await connection.migration.notFound('chat.model', sent.client, sent.model);
          err = new KimiError('modelNotFound', problem.message, 404);
        }
        turn.error = turnErrorView(err);
        log.warn('chat', `turn failed: ${turn.error.kind}: ${turn.error.message}`);
      }
    } finally {
      if (this.running?.controller === controller) {
        this.running = undefined;
      }
      this.conversationTokens = Math.max(this.conversationTokens, this.estimateConversation());
      this.emitTurn(turn);
      this.emitSession();
      this.serializer.forget(turn); // Settled now: its stored JSON is written afresh once, then reused.
      this.persistNow();
      settle();
    }
    return turnView(turn);
  }

  private estimateConversation(): number {
    return estimateConversation(this.transcript, this.deps.tools);
  }

  /** Debounced: written once the draft, attachments or mode stop changing for a moment. */
  private persistSoon(): void {
    this.clock.clearTimeout(this.persistTimer);
    this.persistTimer = this.clock.setTimeout(() => this.persistNow(), IDLE_PERSIST_MS);
  }

  private persistNow(): void {
    this.clock.clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    // The transcript goes as a string (nothing the live transcript does later can change it),
    // bounded and built from the settled turns' remembered JSON: no deep copy per write.
    const serialized = this.serializer.serialize(this.transcript);
    const stored: StoredSession = { transcript: serialized.json, attachments: [...this.attachments], thinking: this.thinking, effort: this.effort, draft: this.draft };
    void Promise.resolve(this.deps.storage.update(stored)).catch((err: unknown) => this.deps.log.warn('chat', `could not save the chat: ${String(err)}`));
  }

  /** A fresh attachment id. */
  static attachmentId(): string {
    return newId('att');
  }

  /** Stops the turn and any Retry wait, and writes the session (also clears the idle-write timer). */
  dispose(): void {
    this.disposed = true;
    this.stop();
    this.persistNow();
  }
}
