/**
 * The chat prompt. Kimi caches exact prefixes, so the request is laid out from what never changes
 * to what changes most, and every byte already sent is sent again unchanged:
 *
 *   1. the system message: a constant (also shared by every conversation, with the tool list);
 *   2. the workspace context: one user message holding the packed context, captured when the
 *      conversation's first message is sent and frozen in the transcript for the whole
 *      conversation (later turns read fresh files through tools rather than re-packing);
 *   3. earlier turns, each exactly as it was sent and answered (the stored user message, the
 *      assistant's tool-call messages with their `reasoning_content`, the tool results, the
 *      final answer);
 *   4. the current turn: its user message, then this turn's tool rounds as they happen.
 *
 * So request N+1 starts with the bytes of request N plus its answer. Only when the conversation
 * outgrows the window are the oldest turns left out (the context message stays), which breaks the
 * prefix once; the user is told.
 */
import { estimateMessagesTokens, estimateTokens as estimateContextTokens, withSafetyMargin } from '../context/tokenEstimate';
import type { ChatMessage, ToolSpec, UserMessage } from '../kimi/kimiTypes';
import type { Transcript } from './transcript';
import type { Attachment } from './transcriptTypes';

export const CHAT_SYSTEM_PROMPT = [
  'You are Moonpilot, a coding assistant inside Visual Studio Code, talking with a developer about their workspace.',
  'Answer in GitHub-flavoured Markdown. Put code in fenced blocks with a language tag. Be concise and concrete; name files and symbols exactly.',
  'The first user message holds a snapshot of the workspace (open files and a summary) taken when the conversation started; files may have changed since.',
  'To look beyond it, use the tools: list_files, read_file and search_text read the current workspace. Paths are relative to the workspace folder.',
  'Some files (secrets such as .env, ignored files) are never available: do not ask for them again when a tool refuses.',
  'Do not invent file contents: read them first. Attached selections and files in a user message are what the developer is asking about.',
].join('\n');

export const CONTEXT_PREAMBLE =
  'Workspace context, captured when this conversation started (use the tools for anything else, or for the current version of a file):';

/** Kimi tokens of a text, by the context builder's calibrated estimate. */
export function estimateTokens(text: string): number {
  return estimateContextTokens(text);
}

/** Tokens of a message list (one estimator for every feature: see tokenEstimate.ts). */
export { estimateMessagesTokens };

export function estimateToolsTokens(tools: readonly ToolSpec[]): number {
  return estimateTokens(JSON.stringify(tools));
}

/** The text of the workspace context message. */
export function contextMessageText(packedText: string): string {
  return `${CONTEXT_PREAMBLE}\n\n${packedText}`;
}

/** A fence longer than any backtick run in `text`, so attached code cannot close it early. */
function fenceFor(text: string): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) {
    longest = Math.max(longest, run.length);
  }
  return '`'.repeat(Math.max(3, longest + 1));
}

function attributeValue(value: string): string {
  return value.replace(/["\n\r]/g, ' ');
}

/** The user message of a turn: attachments first (each fenced, with its path and lines), then the text. */
export function formatUserMessage(text: string, attachments: readonly Attachment[]): UserMessage {
  const parts: string[] = [];
  for (const a of attachments) {
    const lines = a.startLine !== undefined && a.endLine !== undefined ? ` lines="${a.startLine}-${a.endLine}"` : '';
    const fence = fenceFor(a.text);
    parts.push(`<attached ${a.kind} path="${attributeValue(a.path)}"${lines}>\n${fence}${a.languageId}\n${a.text}\n${fence}\n</attached>`);
  }
  parts.push(text);
  return { role: 'user', content: parts.join('\n\n') };
}

export interface ChatPromptInput {
  systemPrompt: string;
  /** The frozen context message text, if the conversation has one. */
  contextText?: string;
  /** Earlier turns, oldest first, each as the messages it contributes. */
  history: readonly ChatMessage[][];
  /** The current turn: its user message, then its tool rounds so far. */
  current: readonly ChatMessage[];
  tools: readonly ToolSpec[];
  contextWindow: number;
  /** Reserved for the answer (and thinking). */
  maxTokens: number;
}

export interface ChatPrompt {
  messages: ChatMessage[];
  estimatedTokens: number;
  /** Earliest turns left out to fit the window. */
  droppedTurns: number;
  /** The workspace context was left out too (the conversation alone nearly fills the window). */
  droppedContext: boolean;
}

/**
 * Builds the messages of one request (see the file comment for the layout). Leaves out the oldest
 * turns, then the context, only when the estimate (plus the safety margin) does not fit
 * `contextWindow - maxTokens - tools`.
 */
export function buildChatPrompt(input: ChatPromptInput): ChatPrompt {
  const system: ChatMessage = { role: 'system', content: input.systemPrompt };
  const context: ChatMessage[] = input.contextText ? [{ role: 'user', content: input.contextText }] : [];
  const budget = input.contextWindow - input.maxTokens - estimateToolsTokens(input.tools);
  const fixed = estimateMessagesTokens([system, ...input.current]);
  const groupTokens = input.history.map((g) => estimateMessagesTokens(g));
  let historyTokens = groupTokens.reduce((a, b) => a + b, 0);
  const contextTokens = estimateMessagesTokens(context);

  // Estimates can under-count: each must fit with the context builder's safety margin.
  const fits = (tokens: number): boolean => withSafetyMargin(tokens) <= budget;
  let first = 0;
  while (first < input.history.length && !fits(fixed + contextTokens + historyTokens)) {
    historyTokens -= groupTokens[first];
    first++;
  }
  const droppedContext = context.length > 0 && !fits(fixed + contextTokens + historyTokens);
  const kept = droppedContext ? [] : context;
  const messages: ChatMessage[] = [system, ...kept, ...input.history.slice(first).flat(), ...input.current];
  return {
    messages,
    estimatedTokens: fixed + (droppedContext ? 0 : contextTokens) + historyTokens + estimateToolsTokens(input.tools),
    droppedTurns: first,
    droppedContext,
  };
}

/**
 * The prompt builder for one turn of a transcript: earlier turns as stored, the frozen context,
 * and whatever the current turn has produced so far (`current`).
 */
export function promptForTurn(
  transcript: Transcript,
  turnId: string,
  options: { tools: readonly ToolSpec[]; contextWindow: number; maxTokens: number; systemPrompt?: string },
): (current: readonly ChatMessage[]) => ChatPrompt {
  const history = transcript.historyGroupsBefore(turnId);
  const contextText = transcript.workspaceContext?.text;
  return (current) =>
    buildChatPrompt({
      systemPrompt: options.systemPrompt ?? CHAT_SYSTEM_PROMPT,
      contextText,
      history,
      current,
      tools: options.tools,
      contextWindow: options.contextWindow,
      maxTokens: options.maxTokens,
    });
}
