import * as vscode from 'vscode';
import { contextMessageText, estimateMessagesTokens, estimateToolsTokens, formatUserMessage, promptForTurn, CHAT_SYSTEM_PROMPT } from '../../core/chat/chatPrompt';
import { formatCost, formatTokens } from '../../core/chat/format';
import type { AttachmentView, ChatViewState, HostToWebview, ReasoningChoice, SessionView, TurnView } from '../../core/chat/protocol';
import { attachmentView, newId, Transcript, turnView, type Attachment, type ChatTurn } from '../../core/chat/transcript';
import { noClientError, turnErrorView } from '../../core/chat/turnErrors';
import { runTurn, type TurnTools } from '../../core/chat/turnRunner';
import { pricesFor } from '../../core/config/settings';
import { KimiError } from '../../core/kimi/kimiErrors';
import type { ModelInfo } from '../../core/kimi/kimiTypes';
import { alwaysReasons, isEffortOf, resolveModelProfile, type ModelProfile, type ReasoningEffort } from '../../core/kimi/modelProfiles';
import type { KimiClient } from '../../core/kimi/kimiClient';
import type { KimiConnection } from '../kimiConnection';
import type { OutputLogger } from '../outputLogger';
import type { ChatContextSource } from './chatContextSource';

const STORAGE_KEY = 'moonpilot.chat.session.v1';
/** Output room per request: thinking needs ≥ 16K (reasoning counts toward max_tokens). */
const MAX_TOKENS_THINKING = 32_768;
const MAX_TOKENS_INSTANT = 8_192;
/** K3 at `max` effort reasons longest: more room, or the answer is cut after the reasoning. */
const MAX_TOKENS_MAX_EFFORT = 65_536;
const MAX_TOOL_ROUNDS = 6;
/** Longest wait a Retry honours for a rate limit before it sends anyway. */
const MAX_RETRY_WAIT_MS = 60_000;

interface StoredSession {
  transcript: unknown;
  attachments: Attachment[];
  thinking: boolean;
  /** Effort for the next new chat on an effort-controlled model (absent in older saves). */
  effort?: ReasoningEffort;
  draft: string;
}

export interface ChatSessionDeps {
  connection: KimiConnection;
  log: OutputLogger;
  context: ChatContextSource;
  tools: TurnTools;
  storage: vscode.Memento;
  /** Called as each turn starts (e.g. to refresh the tools' ignore rules). */
  beforeTurn?: () => void;
  /**
   * Asks the user before a change that re-sends the conversation uncached (model or effort
   * mid-chat); resolves true to go ahead. Default: a modal warning.
   */
  confirm?: (message: string, action: string) => Promise<boolean>;
}

/**
 * The chat as the host owns it: the transcript, pending attachments, the mode and the draft, all
 * persisted per workspace; it runs one turn at a time and describes every change as a protocol
 * message, which the view forwards to the webview when there is one.
 */
export class ChatSession implements vscode.Disposable {
  private transcript: Transcript;
  private attachments: Attachment[] = [];
  private thinking: boolean;
  private effort: ReasoningEffort;
  private listed: readonly ModelInfo[] | undefined;
  private draft = '';
  private running: { turnId: string; controller: AbortController; done: Promise<void> } | undefined;
  private conversationTokens = 0;
  private contextWindow: number;
  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly emitter = new vscode.EventEmitter<HostToWebview>();
  /** Every change, as the message the webview needs to show it. */
  readonly onMessage = this.emitter.event;

  constructor(private readonly deps: ChatSessionDeps) {
    const settings = deps.connection.settingsNow;
    this.thinking = settings.chatThinking;
    this.effort = settings.chatEffort;
    this.contextWindow = resolveModelProfile(settings.chatModel, undefined).contextLength;
    const stored = deps.storage.get<StoredSession>(STORAGE_KEY);
    const restored = stored ? Transcript.restore(stored.transcript) : undefined;
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

  private async confirm(message: string, action: string): Promise<boolean> {
    if (this.deps.confirm) {
      return this.deps.confirm(message, action);
    }
    const choice = await vscode.window.showWarningMessage(message, { modal: true }, action);
    return choice === action;
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
      const ok = await this.confirm(`Changing the reasoning effort of this chat from "${pinned}" to "${effort}" breaks its cache: ${this.resendCost(profile.id)}. A new chat starts fresh instead.`, `Use "${effort}"`);
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
    const ok = await this.confirm(`Switch this chat from ${current} to ${configured}? A different model cannot use the cache: ${this.resendCost(configured)}. A new chat starts fresh instead.`, `Switch to ${configured}`);
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
    const wait = Math.min(MAX_RETRY_WAIT_MS, (turn.error?.retryAt ?? 0) - Date.now());
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (this.running || this.transcript.get(turnId) !== turn) {
        return undefined; // Something else started, or a new chat replaced this one, meanwhile.
      }
    }
    if (this.transcript.last?.id === turn.id) {
      this.transcript.resetTurn(turn.id, turn.thinking);
      return this.run(turn);
    }
    return this.send(turn.userText, { thinking: turn.thinking, attachments: turn.attachments });
  }

  /** Stops the streaming turn: the request is aborted (its connection closed), the partial answer kept. */
  stop(): void {
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
    this.emitter.fire(message);
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

  private emitDelta(turn: ChatTurn, part: 'reasoning' | 'answer', text: string): void {
    if (this.isCurrent(turn)) {
      this.emit({ type: 'delta', turnId: turn.id, part, text });
      this.persistSoon();
    }
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
    const { log } = this.deps;
    let sent: { client: KimiClient; model: string } | undefined;
    try {
      this.deps.beforeTurn?.();
      const client = await this.deps.connection.acquire('chat');
      if (!client) {
        throw noClientError();
      }
      this.listed = await this.deps.connection.modelList(client);
      const model = this.model;
      sent = { client, model };
      if (model === this.deps.connection.settingsNow.chatModel) {
        // Never send a model the endpoint does not list (a retired kimi-k2.5 left in settings):
        // the user is told once what replaces it, with the one-click switch.
        const problem = await this.deps.connection.migration.check('chat.model', client);
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
      await this.captureWorkspaceContext(maxTokens);
      let window = this.contextWindow;
      for (let attempt = 0; ; attempt++) {
        const build = promptForTurn(this.transcript, turn.id, { tools: this.deps.tools.specs, contextWindow: window, maxTokens });
        let estimated = 0;
        try {
          const result = await runTurn({
            model,
            thinking: turn.thinking,
            ...(reasoningEffort ? { reasoningEffort } : {}),
            maxTokens,
            maxToolRounds: MAX_TOOL_ROUNDS,
            promptCacheKey: this.transcript.id,
            userMessage: turn.userMessage,
            buildMessages: (current) => {
              const prompt = build(current);
              estimated = prompt.estimatedTokens;
              this.conversationTokens = prompt.estimatedTokens;
              if (prompt.droppedTurns > 0 || prompt.droppedContext) {
                turn.notice = `To fit the ${Math.round(this.contextWindow / 1024)}K window, ${prompt.droppedTurns} earlier turn(s)${prompt.droppedContext ? ' and the workspace context' : ''} were left out.`;
              }
              return prompt.messages;
            },
            stream: (request, signal) => client.stream(request, signal),
            tools: this.deps.tools,
            signal: controller.signal,
            sink: {
              reasoning: (text) => {
                turn.reasoning += text;
                this.emitDelta(turn, 'reasoning', text);
              },
              answer: (text) => {
                turn.answer += text;
                this.emitDelta(turn, 'answer', text);
              },
              reasoningDone: (ms) => {
                turn.reasoningMs = ms;
                this.emitTurn(turn);
              },
              toolStarted: (view) => {
                turn.tools.push(view);
                log.info('chat', `tool ${view.label}`);
                this.emitTurn(turn);
              },
              toolFinished: (view) => {
                turn.tools = turn.tools.map((t) => (t.id === view.id ? view : t));
                log.info('chat', `tool ${view.label}: ${view.status}${view.detail ? ` (${view.detail})` : ''}`);
                this.emitTurn(turn);
              },
              usage: (usage) => {
                if (this.transcript.model === undefined && this.isCurrent(turn)) {
                  // The first answered request pins the conversation's model and effort (the cache depends on both).
                  this.transcript.pin(model, reasoningEffort);
                }
                this.transcript.addUsage(turn.id, usage, pricesFor(this.deps.connection.settingsNow, model));
                this.conversationTokens = usage.promptTokens + usage.completionTokens;
                this.emitTurn(turn);
                this.emitSession();
              },
            },
          });
          turn.replies = result.replies;
          turn.status = 'done';
          if (result.finishReason === 'length') {
            turn.notice = 'The answer reached the output limit and was cut; ask to continue.';
          } else if (result.finishReason === 'content_filter') {
            turn.notice = "Kimi's content filter stopped the answer.";
          }
          break;
        } catch (err) {
          // Context too long: leave out more of the oldest history and try once more.
          const nothingShown = turn.answer === '' && turn.reasoning === '' && turn.tools.length === 0;
          if (KimiError.is(err, 'contextTooLong') && attempt === 0 && nothingShown && estimated > 0) {
            log.warn('chat', `context too long at ~${estimated} tokens; retrying once with less history`);
            window = Math.floor(estimated * 0.6) + maxTokens;
            continue;
          }
          throw err;
        }
      }
    } catch (err) {
      if (controller.signal.aborted || KimiError.is(err, 'cancelled')) {
        turn.status = 'stopped';
      } else {
        turn.status = 'error';
        if (KimiError.is(err, 'modelNotFound') && sent) {
          // A 404 for the model: one message naming it and what replaces it, with the switch.
          const problem = await this.deps.connection.migration.notFound('chat.model', sent.client, sent.model);
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
      this.persistNow();
      settle();
    }
    return turnView(turn);
  }

  /** Freezes the workspace context when the conversation's first message goes out. */
  private async captureWorkspaceContext(outputReserveTokens: number): Promise<void> {
    if (this.transcript.workspaceContext || this.transcript.turns.length > 1) {
      return;
    }
    try {
      const otherPromptTokens = estimateMessagesTokens([{ role: 'system', content: CHAT_SYSTEM_PROMPT }]) + estimateToolsTokens(this.deps.tools.specs);
      const started = Date.now();
      const packed = await this.deps.context.packForChat({ otherPromptTokens, outputReserveTokens });
      if (packed && packed.text.trim().length > 0) {
        this.transcript.setWorkspaceContext({ text: contextMessageText(packed.text), tokens: packed.tokens, files: packed.report.included.filter((b) => b.kind === 'file' || b.kind === 'activeFile').map((b) => b.key) });
        this.deps.log.info('chat', `workspace context: ${packed.report.included.length} blocks, ~${packed.tokens} tokens, ${packed.report.excluded.length} files left out (${Date.now() - started} ms)`);
      }
    } catch (err) {
      this.deps.log.warn('chat', `could not pack the workspace context: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Size of the conversation as the next request would send it (before the new message). */
  private estimateConversation(): number {
    const ctx = this.transcript.workspaceContext?.text;
    const messages = [{ role: 'system' as const, content: CHAT_SYSTEM_PROMPT }, ...(ctx ? [{ role: 'user' as const, content: ctx }] : []), ...this.transcript.historyBefore()];
    return estimateMessagesTokens(messages) + estimateToolsTokens(this.deps.tools.specs);
  }

  private persistSoon(): void {
    if (this.persistTimer === undefined) {
      this.persistTimer = setTimeout(() => this.persistNow(), 2_000);
    }
  }

  private persistNow(): void {
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    // A copy: the live transcript keeps changing after this call.
    const stored = JSON.parse(JSON.stringify({ transcript: this.transcript.toJSON(), attachments: this.attachments, thinking: this.thinking, effort: this.effort, draft: this.draft })) as StoredSession;
    void Promise.resolve(this.deps.storage.update(STORAGE_KEY, stored)).catch((err: unknown) => this.deps.log.warn('chat', `could not save the chat: ${String(err)}`));
  }

  /** A fresh attachment id. */
  static attachmentId(): string {
    return newId('att');
  }

  dispose(): void {
    this.stop();
    this.persistNow();
    this.emitter.dispose();
  }
}
