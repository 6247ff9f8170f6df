/**
 * The chat transcript's data: each turn keeps what the user saw (thinking, answer, tool calls,
 * status, usage) and, separately, the exact messages that went over the wire. Persisted as JSON
 * per workspace (`transcriptStore.ts`), read back by `conversationParser.ts`.
 */
import type { ChatMessage, ReasoningEffort, UserMessage } from '../kimi/kimiTypes';
import type { AttachmentView, TurnView } from './protocol';

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

/**
 * One turn: what the webview shows of it (`TurnView`, with each attachment's frozen text) and the
 * messages that went over the wire.
 */
export interface ChatTurn extends Omit<TurnView, 'attachments'> {
  attachments: Attachment[];
  /** The user message exactly as sent (frozen on the first send, reused by Retry). */
  userMessage: UserMessage;
  /** Assistant and tool messages of a completed turn, exactly as they go into later requests. */
  replies: ChatMessage[];
}

/** A whole conversation as it is persisted. */
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
