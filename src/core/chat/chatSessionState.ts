import { formatCost, formatTokens } from './format';
import type { ChatViewState, ReasoningChoice, SessionView } from './protocol';
import { Transcript } from './transcript';
import type { Attachment, ChatTurn } from './transcriptTypes';
import { attachmentView } from './turnViews';
import { parseStoredTranscript, TranscriptSerializer } from './transcriptStore';
import { pricesFor } from '../config/settings';
import type { ModelInfo, ReasoningEffort } from '../kimi/kimiTypes';
import { alwaysReasons, isEffortOf, resolveModelProfile, type ModelProfile } from '../kimi/modelProfiles';
import type { Clock } from '../platform/clock';
import type { ChatSessionDeps, StoredSession } from './chatSessionPorts';
import { estimateConversation } from './chatTurnLoop';

/** A change to the draft, attachments or mode is written once nothing changed for this long. */
const IDLE_PERSIST_MS = 2_000;

type ModelView = Pick<SessionView, 'model' | 'modelLabel' | 'reasoning' | 'configuredModel' | 'priced'>;

/**
 * What the chat session holds between turns (the transcript, pending attachments, the mode, the
 * effort, the draft), how it is restored and written through the storage port, and how it looks
 * to the webview. The session (`chatSession.ts`) changes it and runs the turns.
 */
export class ChatSessionState {
  transcript: Transcript;
  attachments: Attachment[] = [];
  thinking: boolean;
  effort: ReasoningEffort;
  /** The endpoint's models as last listed (capabilities by id). */
  listed: readonly ModelInfo[] | undefined;
  draft = '';
  conversationTokens = 0;
  contextWindow: number;
  private persistTimer: unknown;
  private readonly serializer = new TranscriptSerializer();

  constructor(
    private readonly deps: Pick<ChatSessionDeps, 'connection' | 'storage' | 'tools' | 'log'>,
    private readonly clock: Clock,
  ) {
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

  /** A new, empty conversation (the session's effort choice stays). */
  reset(): void {
    this.transcript = Transcript.create();
    this.attachments = [];
    this.thinking = this.deps.connection.settingsNow.chatThinking;
    this.contextWindow = this.profile().contextLength;
    this.conversationTokens = this.estimateConversation();
  }

  /** The conversation's model: pinned at its first request, else `moonpilot.chat.model`. */
  get model(): string {
    return this.transcript.model ?? this.deps.connection.settingsNow.chatModel;
  }

  profile(model: string = this.model): ModelProfile {
    return resolveModelProfile(model, this.listed);
  }

  /** The effort sent to an effort-controlled model: the conversation's, else the session's choice. */
  effortFor(profile: ModelProfile): ReasoningEffort | undefined {
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

  /** False once "New chat" replaced the conversation a turn belongs to. */
  isCurrent(turn: ChatTurn): boolean {
    return this.transcript.get(turn.id) === turn;
  }

  /** Everything a freshly loaded webview needs. */
  view(busy: boolean): ChatViewState {
    return { turns: this.transcript.views(), session: this.sessionView(busy), attachments: this.attachments.map(attachmentView), thinking: this.thinking, draft: this.draft };
  }

  sessionView(busy: boolean): SessionView {
    return {
      totals: this.transcript.totals(),
      conversationTokens: this.conversationTokens,
      contextWindow: this.contextWindow,
      ...this.modelView(),
      contextFiles: this.transcript.workspaceContext?.files.length ?? 0,
      busy,
    };
  }

  private modelView(): ModelView {
    const settings = this.deps.connection.settingsNow;
    const profile = this.profile();
    const view: ModelView = {
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
  resendCost(model: string): string {
    const prices = pricesFor(this.deps.connection.settingsNow, model);
    const tokens = this.estimateConversation();
    const cost = prices ? ` (about ${formatCost((tokens * prices.inputPerMillion) / 1_000_000)})` : '';
    return `the next message re-sends the whole conversation, ~${formatTokens(tokens)} tokens, without the cache${cost}`;
  }

  /** Size of the conversation as the next request would send it (before the new message). */
  estimateConversation(): number {
    return estimateConversation(this.transcript, this.deps.tools);
  }

  /** A settled turn: its stored JSON is written afresh once, then reused. */
  settled(turn: ChatTurn): void {
    this.serializer.forget(turn);
  }

  /** Debounced: written once the draft, attachments or mode stop changing for a moment. */
  persistSoon(): void {
    this.clock.clearTimeout(this.persistTimer);
    this.persistTimer = this.clock.setTimeout(() => this.persistNow(), IDLE_PERSIST_MS);
  }

  /** Written now (also clears the idle-write timer). */
  persistNow(): void {
    this.clock.clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    // The transcript goes as a string (nothing the live transcript does later can change it),
    // bounded and built from the settled turns' remembered JSON: no deep copy per write.
    const serialized = this.serializer.serialize(this.transcript);
    const stored: StoredSession = { transcript: serialized.json, attachments: [...this.attachments], thinking: this.thinking, effort: this.effort, draft: this.draft };
    void Promise.resolve(this.deps.storage.update(stored)).catch((err: unknown) => this.deps.log.warn('chat', `could not save the chat: ${String(err)}`));
  }
}
