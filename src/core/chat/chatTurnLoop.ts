import type { Prices } from '../config/settings';
import type { KimiClient } from '../kimi/kimiClient';
import { untilAborted } from '../kimi/abortable';
import { KimiError } from '../kimi/kimiErrors';
import type { ReasoningEffort } from '../kimi/kimiTypes';
import type { Logger } from '../log/logger';
import { contextMessageText, estimateMessagesTokens, estimateToolsTokens, promptForTurn, CHAT_SYSTEM_PROMPT } from './chatPrompt';
import type { ChatContextSource } from './chatSessionPorts';
import type { Transcript } from './transcript';
import type { ChatTurn } from './transcriptTypes';
import { runTurn, type TurnTools } from './turnRunner';

const MAX_TOOL_ROUNDS = 6;
/** Output room per request: thinking needs ≥ 16K (reasoning counts toward max_tokens). */
const MAX_TOKENS_THINKING = 32_768;
const MAX_TOKENS_INSTANT = 8_192;
/** K3 at `max` effort reasons longest: more room, or the answer is cut after the reasoning. */
const MAX_TOKENS_MAX_EFFORT = 65_536;

/** The output limit of a turn's requests. */
export function maxTokensFor(reasoningEffort: ReasoningEffort | undefined, thinking: boolean): number {
  return reasoningEffort === 'max' ? MAX_TOKENS_MAX_EFFORT : thinking ? MAX_TOKENS_THINKING : MAX_TOKENS_INSTANT;
}

/** One turn's requests as the session runs them: what to send, and where each event goes. */
export interface TurnLoopInput {
  /** The session's transcript now ("New chat" may replace it while the turn runs). */
  transcript: () => Transcript;
  turn: ChatTurn;
  client: KimiClient;
  model: string;
  reasoningEffort: ReasoningEffort | undefined;
  maxTokens: number;
  contextWindow: number;
  tools: TurnTools;
  log: Logger;
  signal: AbortSignal;
  prices: () => Prices | undefined;
  /** False once "New chat" replaced the conversation the turn belongs to. */
  isCurrent: () => boolean;
  conversationTokens: (tokens: number) => void;
  delta: (part: 'reasoning' | 'answer', text: string) => void;
  turnChanged: () => void;
  sessionChanged: () => void;
}

/**
 * Runs the turn's requests (tool rounds included), streaming into the turn; when the context is
 * too long before anything was shown, leaves out more of the oldest history and tries once more.
 */
export async function runTurnLoop(input: TurnLoopInput): Promise<void> {
  const { turn, model, reasoningEffort, maxTokens, log, client } = input;
  let window = input.contextWindow;
  for (let attempt = 0; ; attempt++) {
    const build = promptForTurn(input.transcript(), turn.id, { tools: input.tools.specs, contextWindow: window, maxTokens });
    let estimated = 0;
    try {
      const result = await runTurn({
        model,
        thinking: turn.thinking,
        ...(reasoningEffort ? { reasoningEffort } : {}),
        maxTokens,
        maxToolRounds: MAX_TOOL_ROUNDS,
        promptCacheKey: input.transcript().id,
        userMessage: turn.userMessage,
        buildMessages: (current) => {
          const prompt = build(current);
          estimated = prompt.estimatedTokens;
          input.conversationTokens(prompt.estimatedTokens);
          if (prompt.droppedTurns > 0 || prompt.droppedContext) {
            turn.notice = `To fit the ${Math.round(input.contextWindow / 1024)}K window, ${prompt.droppedTurns} earlier turn(s)${prompt.droppedContext ? ' and the workspace context' : ''} were left out.`;
          }
          return prompt.messages;
        },
        stream: (request, signal) => client.stream(request, signal),
        tools: input.tools,
        signal: input.signal,
        sink: {
          reasoning: (text) => {
            turn.reasoning += text;
            input.delta('reasoning', text);
          },
          answer: (text) => {
            turn.answer += text;
            input.delta('answer', text);
          },
          reasoningDone: (ms) => {
            turn.reasoningMs = ms;
            input.turnChanged();
          },
          toolStarted: (view) => {
            turn.tools.push(view);
            log.info('chat', `tool ${view.label}`);
            input.turnChanged();
          },
          toolFinished: (view) => {
            turn.tools = turn.tools.map((t) => (t.id === view.id ? view : t));
            log.info('chat', `tool ${view.label}: ${view.status}${view.detail ? ` (${view.detail})` : ''}`);
            input.turnChanged();
          },
          usage: (usage, estimated) => {
            const transcript = input.transcript();
            if (transcript.model === undefined && input.isCurrent()) {
              // The first answered request pins the conversation's model and effort (the cache depends on both).
              transcript.pin(model, reasoningEffort);
            }
            transcript.addUsage(turn.id, usage, input.prices(), estimated);
            input.conversationTokens(usage.promptTokens + usage.completionTokens);
            input.turnChanged();
            input.sessionChanged();
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
      return;
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
}

/** Freezes the workspace context when the conversation's first message goes out. */
export async function captureWorkspaceContext(
  transcript: Transcript,
  deps: { context: ChatContextSource; tools: TurnTools; log: Logger; now: () => number },
  outputReserveTokens: number,
  signal: AbortSignal,
): Promise<void> {
  if (transcript.workspaceContext || transcript.turns.length > 1) {
    return;
  }
  try {
    const otherPromptTokens = estimateMessagesTokens([{ role: 'system', content: CHAT_SYSTEM_PROMPT }]) + estimateToolsTokens(deps.tools.specs);
    const started = deps.now();
    const packed = await untilAborted(deps.context.packForChat({ otherPromptTokens, outputReserveTokens }), signal);
    if (packed && packed.text.trim().length > 0) {
      transcript.setWorkspaceContext({ text: contextMessageText(packed.text), tokens: packed.tokens, files: packed.report.included.filter((b) => b.kind === 'file' || b.kind === 'activeFile').map((b) => b.key) });
      deps.log.info('chat', `workspace context: ${packed.report.included.length} blocks, ~${packed.tokens} tokens, ${packed.report.excluded.length} files left out (${deps.now() - started} ms)`);
    }
  } catch (err) {
    if (signal.aborted) {
      throw err;
    }
    deps.log.warn('chat', `could not pack the workspace context: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Size of the conversation as the next request would send it (before the new message). */
export function estimateConversation(transcript: Transcript, tools: TurnTools): number {
  const ctx = transcript.workspaceContext?.text;
  const messages = [{ role: 'system' as const, content: CHAT_SYSTEM_PROMPT }, ...(ctx ? [{ role: 'user' as const, content: ctx }] : []), ...transcript.historyBefore()];
  return estimateMessagesTokens(messages) + estimateToolsTokens(tools.specs);
}
