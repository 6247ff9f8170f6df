/**
 * The chat transcript: the conversation the host owns (the webview only shows it). Each turn keeps
 * what the user saw (thinking, answer, tool calls, status, usage) and, separately, the exact
 * messages that went over the wire, so later requests resend the same bytes and hit the prefix
 * cache. Pure data and plain functions; persisted as JSON per workspace.
 */
import type { Prices } from '../config/settings';
import type { AssistantMessage, ChatMessage, ReasoningEffort, Usage, UserMessage } from '../kimi/kimiTypes';
import { parseConversation } from './conversationParser';
import { newId } from './newId';
import type { TokenCounts, TurnView } from './protocol';
import { addCounts, countsOf, EMPTY_COUNTS } from './tokenCounts';
import type { Attachment, ChatTurn, ConversationData, WorkspaceContextSnapshot } from './transcriptTypes';
import { turnView } from './turnViews';

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
