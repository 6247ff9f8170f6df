/**
 * Validation of a persisted conversation: workspace state can be stale or hand-edited, so a
 * stored transcript is read field by field and refused whole when any turn is malformed.
 */
import { type ChatMessage, REASONING_EFFORTS, type ReasoningEffort } from '../kimi/kimiTypes';
import type { TurnStatus } from './protocol';
import type { ChatTurn, ConversationData, WorkspaceContextSnapshot } from './transcriptTypes';

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

/** The conversation in `raw`, or undefined when it is not a valid one. */
export function parseConversation(raw: unknown): ConversationData | undefined {
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
