import { formatUserMessage } from './chatPrompt';
import type { AttachmentView, ChatViewState, HostToWebview, SessionView, TurnView } from './protocol';
import { newId } from './newId';
import type { Attachment, ChatTurn } from './transcriptTypes';
import { attachmentView, turnView } from './turnViews';
import { abortableDelay } from '../kimi/abortable';
import type { ReasoningEffort } from '../kimi/kimiTypes';
import { isEffortOf } from '../kimi/modelProfiles';
import { realClock, type Clock } from '../platform/clock';
import type { ChatSessionDeps } from './chatSessionPorts';
import { ChatSessionState } from './chatSessionState';
import { runSessionTurn } from './sessionTurn';

/** Longest wait a Retry honours for a rate limit before it sends anyway. */
const MAX_RETRY_WAIT_MS = 60_000;

/**
 * The chat as the host owns it: its state (`ChatSessionState`: the transcript, pending
 * attachments, the mode and the draft, persisted through the storage port); it runs one turn at a
 * time and describes every change as a protocol message (the emit port), which the view forwards
 * to the webview when there is one.
 */
export class ChatSession {
  private readonly data: ChatSessionState;
  private running: { turnId: string; controller: AbortController; done: Promise<void> } | undefined;
  /** Aborted by Stop, New chat and dispose: ends a Retry's wait for a rate limit. */
  private retryWait: AbortController | undefined;
  private disposed = false;
  private readonly clock: Clock;

  constructor(private readonly deps: ChatSessionDeps) {
    this.clock = deps.clock ?? realClock;
    this.data = new ChatSessionState(deps, this.clock);
  }

  /** Everything a freshly loaded webview needs. */
  state(): ChatViewState {
    return this.data.view(this.busy);
  }

  turns(): TurnView[] {
    return this.data.transcript.views();
  }

  pendingAttachments(): AttachmentView[] {
    return this.data.attachments.map(attachmentView);
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  sessionView(): SessionView {
    return this.data.sessionView(this.busy);
  }

  /**
   * Sets the reasoning effort. A chat that has sent messages keeps its effort (changing it breaks
   * the cached prefix) unless the user agrees; a new chat just takes it.
   */
  async setEffort(effort: ReasoningEffort): Promise<void> {
    const profile = this.data.profile();
    if (!isEffortOf(profile, effort)) {
      return;
    }
    const pinned = this.data.transcript.model !== undefined ? this.data.effortFor(profile) : undefined;
    if (pinned !== undefined && pinned !== effort) {
      const ok = await this.deps.confirm(`Changing the reasoning effort of this chat from "${pinned}" to "${effort}" breaks its cache: ${this.data.resendCost(profile.id)}. A new chat starts fresh instead.`, `Use "${effort}"`);
      if (!ok) {
        this.emitSession(); // puts the picker back
        return;
      }
      this.data.transcript.pin(profile.id, effort);
    }
    this.data.effort = effort;
    this.emitSession();
    this.data.persistSoon();
  }

  /** Moves this chat to the configured `moonpilot.chat.model`, once the user agreed to the uncached re-send. */
  async switchModel(): Promise<void> {
    const configured = this.deps.connection.settingsNow.chatModel;
    const current = this.data.transcript.model;
    if (current === undefined || current === configured || this.running) {
      this.emitSession();
      return;
    }
    const ok = await this.deps.confirm(`Switch this chat from ${current} to ${configured}? A different model cannot use the cache: ${this.data.resendCost(configured)}. A new chat starts fresh instead.`, `Switch to ${configured}`);
    if (ok) {
      const next = this.data.profile(configured);
      this.data.transcript.pin(configured, next.thinking.kind === 'effort' ? (isEffortOf(next, this.data.effort) ? this.data.effort : next.thinking.default) : undefined);
      this.data.contextWindow = next.contextLength;
      this.data.persistNow();
    }
    this.emitSession();
  }

  /** Re-reads the settings' view of the model (the configured model changed: the header offers the switch). */
  refreshModel(): void {
    if (!this.running) {
      this.data.contextWindow = this.data.profile().contextLength;
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
    const attachments = options.attachments ?? this.data.attachments;
    if (!options.attachments) {
      this.data.attachments = [];
      this.emit({ type: 'attachments', attachments: [] });
    }
    const thinking = options.thinking ?? this.data.thinking;
    const turn = this.data.transcript.startTurn({ userText: text, attachments, thinking, userMessage: formatUserMessage(text, attachments) });
    this.data.draft = '';
    return this.run(turn);
  }

  /** Runs a failed or stopped turn again: in place when it is the last turn, else as a new turn. */
  async retry(turnId: string): Promise<TurnView | undefined> {
    const turn = this.data.transcript.get(turnId);
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
      if (this.running || this.data.transcript.get(turnId) !== turn || this.disposed) {
        return undefined; // Something else started, or a new chat replaced this one, meanwhile.
      }
    }
    if (this.data.transcript.last?.id === turn.id) {
      this.data.transcript.resetTurn(turn.id, turn.thinking);
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
    this.data.reset();
    this.emit({ type: 'init', state: this.state() });
    this.data.persistNow();
  }

  setThinking(thinking: boolean): void {
    this.data.thinking = thinking;
    this.emit({ type: 'thinkingMode', thinking });
    this.data.persistSoon();
  }

  setDraft(text: string): void {
    this.data.draft = text;
    this.data.persistSoon();
  }

  addAttachment(attachment: Attachment): void {
    this.data.attachments = [...this.data.attachments.filter((a) => !(a.path === attachment.path && a.startLine === attachment.startLine && a.endLine === attachment.endLine)), attachment];
    this.emit({ type: 'attachments', attachments: this.pendingAttachments() });
    this.data.persistSoon();
  }

  removeAttachment(id: string): void {
    this.data.attachments = this.data.attachments.filter((a) => a.id !== id);
    this.emit({ type: 'attachments', attachments: this.pendingAttachments() });
    this.data.persistSoon();
  }

  private emit(message: HostToWebview): void {
    this.deps.emit(message);
  }

  private emitTurn(turn: ChatTurn): void {
    if (this.data.isCurrent(turn)) {
      this.emit({ type: 'turn', turn: turnView(turn) });
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
    this.data.persistNow();
    try {
      await runSessionTurn({
        deps: this.deps,
        data: this.data,
        clock: this.clock,
        turn,
        signal: controller.signal,
        emit: (message) => this.emit(message),
        emitTurn: (t) => this.emitTurn(t),
        emitSession: () => this.emitSession(),
      });
    } finally {
      if (this.running?.controller === controller) {
        this.running = undefined;
      }
      this.data.conversationTokens = Math.max(this.data.conversationTokens, this.data.estimateConversation());
      this.emitTurn(turn);
      this.emitSession();
      this.data.settled(turn);
      this.data.persistNow();
      settle();
    }
    return turnView(turn);
  }

  /** A fresh attachment id. */
  static attachmentId(): string {
    return newId('att');
  }

  /** Stops the turn and any Retry wait, and writes the session (also clears the idle-write timer). */
  dispose(): void {
    this.disposed = true;
    this.stop();
    this.data.persistNow();
  }
}
