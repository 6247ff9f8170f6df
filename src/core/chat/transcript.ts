/**
 * The chat transcript: the conversation the host owns (the webview only shows it). Each turn keeps
 * what the user saw (thinking, answer, tool calls, status, usage) and, separately, the exact
 * messages that went over the wire, so later requests resend the same bytes and hit the prefix
 * cache. Pure data and plain functions; persisted as JSON per workspace.
 */
import { costOf, type Prices } from '../config/settings';
import { type AssistantMessage, type ChatMessage, REASONING_EFFORTS, type ReasoningEffort, type Usage, type UserMessage } from '../kimi/kimiTypes';
import type { AttachmentView, TokenCounts, ToolCallView, TurnErrorView, TurnStatus, TurnView } from './protocol';

/** An attachment with its text, frozen when it was attached. */
export interface Attachment extends AttachmentView {
  text: string;
}

/** The workspace context captured once, when the conversation's first message was sent. */
export interface WorkspaceContextSnapshot {
  /** Exactly the text of the context message. */
  text: string;
  tokens: number;
  files: string[];
}

export interface ChatTurn {
  id: string;
  userText: string;
  attachments: Attachment[];
  thinking: boolean;
  reasoning: string;
  reasoningMs?: number;
  answer: string;
  tools: ToolCallView[];
  status: TurnStatus;
  error?: TurnErrorView;
  usage?: TokenCounts;
  notice?: string;
  startedAt: number;
  /** The user message exactly as sent (frozen on the first send, reused by Retry). */
  userMessage: UserMessage;
  /** Assistant and tool messages of a completed turn, exactly as they go into later requests. */
  replies: ChatMessage[];
}

export interface ConversationData {
  version: 1;
  /** Session id, sent as `prompt_cache_key`. */
  id: string;
  createdAt: number;
  workspaceContext?: WorkspaceContextSnapshot;
  /**
   * The model and reasoning effort the conversation was sent with, pinned at its first request:
   * changing either re-sends the whole conversation uncached (the session asks first).
   */
  model?: string;
  effort?: ReasoningEffort;
  turns: ChatTurn[];
  /** Older turns not kept in storage (see transcriptStore.ts): gone from the view and from later requests. */
  droppedTurns?: number;
}

export const EMPTY_COUNTS: TokenCounts = { prompt: 0, cached: 0, output: 0, cost: 0 };

export function addCounts(a: TokenCounts, b: TokenCounts): TokenCounts {
  const sum: TokenCounts = { prompt: a.prompt + b.prompt, cached: a.cached + b.cached, output: a.output + b.output, cost: a.cost + b.cost };
  if (a.estimated || b.estimated) {
    sum.estimated = true;
  }
  return sum;
}

export function countsOf(usage: Usage, prices: Prices | undefined, estimated = false): TokenCounts {
  const counts: TokenCounts = { prompt: usage.promptTokens, cached: usage.cachedTokens, output: usage.completionTokens, cost: costOf(usage, prices) };
  if (estimated) {
    counts.estimated = true;
  }
  return counts;
}

/** The messages a turn contributes to later requests (its history), by status. */
export function historyOf(turn: ChatTurn): ChatMessage[] {
  if (turn.status === 'done') {
    return [turn.userMessage, ...turn.replies];
  }
  if (turn.status === 'stopped' && turn.answer.trim().length > 0) {
    // What the user saw of a stopped answer, so a follow-up ("go on") makes sense; with its
    // reasoning, which K3 needs replayed (the request body drops it for models that do not).
    const partial: AssistantMessage = { role: 'assistant', content: turn.answer };
    if (turn.reasoning) {
      partial.reasoning_content = turn.reasoning;
    }
    return [turn.userMessage, partial];
  }
  // Failed, streaming, or stopped before any answer: the model never said anything to build on.
  return [];
}

/** A view of a turn for the webview (no wire messages, no attachment text). */
export function turnView(turn: ChatTurn): TurnView {
  const view: TurnView = {
    id: turn.id,
    userText: turn.userText,
    attachments: turn.attachments.map(attachmentView),
    thinking: turn.thinking,
    reasoning: turn.reasoning,
    answer: turn.answer,
    tools: turn.tools.map((t) => ({ ...t })),
    status: turn.status,
    startedAt: turn.startedAt,
  };
  if (turn.reasoningMs !== undefined) {
    view.reasoningMs = turn.reasoningMs;
  }
  if (turn.error) {
    view.error = { ...turn.error, actions: [...turn.error.actions] };
  }
  if (turn.usage) {
    view.usage = { ...turn.usage };
  }
  if (turn.notice) {
    view.notice = turn.notice;
  }
  return view;
}

export function attachmentView(a: Attachment): AttachmentView {
  const { text: _text, ...view } = a;
  return view;
}

let counter = 0;
/** Ids safe for the protocol's id check (`[\w.:-]+`). */
export function newId(prefix: string, now: number = Date.now()): string {
  counter = (counter + 1) % 1_000_000;
  return `${prefix}-${now.toString(36)}-${counter.toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** The conversation and the operations the chat session performs on it. */
export class Transcript {
  private constructor(private data: ConversationData) {}

  static create(now: number = Date.now()): Transcript {
    return new Transcript({ version: 1, id: newId('chat', now), createdAt: now, turns: [] });
  }

  /** Restores persisted JSON; undefined when it is not a valid transcript. Streaming turns become stopped. */
  static restore(raw: unknown): Transcript | undefined {
    const data = parseConversation(raw);
    if (!data) {
      return undefined;
    }
    for (const turn of data.turns) {
      if (turn.status === 'streaming') {
        turn.status = 'stopped';
        turn.notice = 'Interrupted when the window reloaded.';
      }
    }
    return new Transcript(data);
  }

  get id(): string {
    return this.data.id;
  }

  get turns(): readonly ChatTurn[] {
    return this.data.turns;
  }

  /** The model the conversation is pinned to (undefined until its first request). */
  get model(): string | undefined {
    return this.data.model;
  }

  get effort(): ReasoningEffort | undefined {
    return this.data.effort;
  }

  /** Pins (or, once the user agreed, re-pins) the conversation's model and effort. */
  pin(model: string, effort: ReasoningEffort | undefined): void {
    this.data.model = model;
    if (effort) {
      this.data.effort = effort;
    } else {
      delete this.data.effort;
    }
  }

  get workspaceContext(): WorkspaceContextSnapshot | undefined {
    return this.data.workspaceContext;
  }

  /** Freezes the workspace context; only the first call counts (it must never change later). */
  setWorkspaceContext(snapshot: WorkspaceContextSnapshot): void {
    if (!this.data.workspaceContext) {
      this.data.workspaceContext = snapshot;
    }
  }

  get(id: string): ChatTurn | undefined {
    return this.data.turns.find((t) => t.id === id);
  }

  get last(): ChatTurn | undefined {
    return this.data.turns[this.data.turns.length - 1];
  }

  get busy(): boolean {
    return this.data.turns.some((t) => t.status === 'streaming');
  }

  startTurn(input: { id?: string; userText: string; attachments: Attachment[]; thinking: boolean; userMessage: UserMessage; now?: number }): ChatTurn {
    const now = input.now ?? Date.now();
    const turn: ChatTurn = {
      id: input.id ?? newId('turn', now),
      userText: input.userText,
      attachments: input.attachments,
      thinking: input.thinking,
      reasoning: '',
      answer: '',
      tools: [],
      status: 'streaming',
      startedAt: now,
      userMessage: input.userMessage,
      replies: [],
    };
    this.data.turns.push(turn);
    return turn;
  }

  /** Clears a turn's output to run it again with the same user message (Retry). */
  resetTurn(id: string, thinking: boolean, now: number = Date.now()): ChatTurn | undefined {
    const turn = this.get(id);
    if (!turn) {
      return undefined;
    }
    Object.assign(turn, { thinking, reasoning: '', answer: '', tools: [], status: 'streaming', startedAt: now, replies: [] });
    delete turn.reasoningMs;
    delete turn.error;
    delete turn.usage;
    delete turn.notice;
    return turn;
  }

  /** Messages of all turns before `turnId` (all turns when undefined), in order. */
  historyBefore(turnId?: string): ChatMessage[] {
    const messages: ChatMessage[] = [];
    for (const turn of this.data.turns) {
      if (turn.id === turnId) {
        break;
      }
      messages.push(...historyOf(turn));
    }
    return messages;
  }

  /** Turns before `turnId` as groups of messages (for fitting the window turn by turn). */
  historyGroupsBefore(turnId?: string): ChatMessage[][] {
    const groups: ChatMessage[][] = [];
    for (const turn of this.data.turns) {
      if (turn.id === turnId) {
        break;
      }
      const h = historyOf(turn);
      if (h.length > 0) {
        groups.push(h);
      }
    }
    return groups;
  }

  addUsage(id: string, usage: Usage, prices: Prices | undefined, estimated = false): void {
    const turn = this.get(id);
    if (turn) {
      turn.usage = addCounts(turn.usage ?? EMPTY_COUNTS, countsOf(usage, prices, estimated));
    }
  }

  /** Session totals over all turns of this conversation. */
  totals(): TokenCounts {
    return this.data.turns.reduce((sum, t) => (t.usage ? addCounts(sum, t.usage) : sum), EMPTY_COUNTS);
  }

  /** Older turns the stored copy no longer holds (0 for a conversation never trimmed). */
  get droppedTurns(): number {
    return this.data.droppedTurns ?? 0;
  }

  views(): TurnView[] {
    const views = this.data.turns.map(turnView);
    const dropped = this.droppedTurns;
    if (dropped > 0 && views.length > 0) {
      const note = `${dropped} earlier turn(s) of this chat were not kept in storage: they are no longer shown or sent to Kimi.`;
      views[0].notice = views[0].notice ? `${note} ${views[0].notice}` : note;
    }
    return views;
  }

  toJSON(): ConversationData {
    return this.data;
  }
}

/* ---------- validation of persisted data (workspace state can be stale or hand-edited) ---------- */

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const STATUSES: readonly TurnStatus[] = ['streaming', 'done', 'stopped', 'error'];

function isMessage(value: unknown): value is ChatMessage {
  if (!isRecord(value) || typeof value.role !== 'string') {
    return false;
  }
  switch (value.role) {
    case 'system':
      return typeof value.content === 'string';
    case 'user':
      return typeof value.content === 'string' || Array.isArray(value.content);
    case 'assistant':
      return typeof value.content === 'string' && (value.tool_calls === undefined || Array.isArray(value.tool_calls));
    case 'tool':
      return typeof value.content === 'string' && typeof value.tool_call_id === 'string';
    default:
      return false;
  }
}

function parseTurn(raw: unknown): ChatTurn | undefined {
  if (!isRecord(raw)) {
    return undefined;
  }
  const ok =
    typeof raw.id === 'string' &&
    typeof raw.userText === 'string' &&
    Array.isArray(raw.attachments) &&
    raw.attachments.every((a) => isRecord(a) && typeof a.id === 'string' && typeof a.path === 'string' && typeof a.text === 'string') &&
    typeof raw.thinking === 'boolean' &&
    typeof raw.reasoning === 'string' &&
    typeof raw.answer === 'string' &&
    Array.isArray(raw.tools) &&
    raw.tools.every((t) => isRecord(t) && typeof t.id === 'string' && typeof t.label === 'string') &&
    STATUSES.includes(raw.status as TurnStatus) &&
    typeof raw.startedAt === 'number' &&
    isMessage(raw.userMessage) &&
    (raw.userMessage as ChatMessage).role === 'user' &&
    Array.isArray(raw.replies) &&
    raw.replies.every(isMessage);
  return ok ? (raw as unknown as ChatTurn) : undefined;
}

function parseConversation(raw: unknown): ConversationData | undefined {
  if (!isRecord(raw) || raw.version !== 1 || typeof raw.id !== 'string' || typeof raw.createdAt !== 'number' || !Array.isArray(raw.turns)) {
    return undefined;
  }
  const turns: ChatTurn[] = [];
  for (const t of raw.turns) {
    const turn = parseTurn(t);
    if (!turn) {
      return undefined;
    }
    turns.push(turn);
  }
  const ctx = raw.workspaceContext;
  let workspaceContext: WorkspaceContextSnapshot | undefined;
  if (ctx !== undefined) {
    if (!isRecord(ctx) || typeof ctx.text !== 'string' || typeof ctx.tokens !== 'number' || !Array.isArray(ctx.files)) {
      return undefined;
    }
    workspaceContext = { text: ctx.text, tokens: ctx.tokens, files: ctx.files.filter((f): f is string => typeof f === 'string') };
  }
  const data: ConversationData = { version: 1, id: raw.id, createdAt: raw.createdAt, turns };
  if (workspaceContext) {
    data.workspaceContext = workspaceContext;
  }
  if (typeof raw.model === 'string' && raw.model !== '') {
    data.model = raw.model;
  }
  if ((REASONING_EFFORTS as readonly unknown[]).includes(raw.effort)) {
    data.effort = raw.effort as ReasoningEffort;
  }
  if (typeof raw.droppedTurns === 'number' && Number.isInteger(raw.droppedTurns) && raw.droppedTurns > 0) {
    data.droppedTurns = raw.droppedTurns;
  }
  return data;
}
