/**
 * Runs one chat turn against the model: stream a round, and while the model asks for tools (and
 * rounds remain) run them and stream the next round. The last allowed round is sent with
 * `tool_choice: "none"` (the tool list stays, so the prefix stays), which bounds the loop.
 *
 * Multi-turn rules (Kimi): every assistant message keeps its `reasoning_content` (K3 needs all of
 * it replayed; K2.x rejects a tool-call message without it while thinking; the request body drops
 * what the model's profile does not take); tool results answer every call by id.
 */
import { ResultAccumulator } from '../kimi/chunkEvents';
import { KimiError } from '../kimi/kimiErrors';
import type { AssistantMessage, ChatMessage, ChatRequest, FinishReason, ReasoningEffort, StreamEvent, ToolCall, ToolMessage, ToolSpec, Usage, UserMessage } from '../kimi/kimiTypes';
import type { ToolCallView } from './protocol';

export interface TurnSink {
  reasoning(text: string): void;
  answer(text: string): void;
  /** Total thinking time of the turn so far, each time a stretch of thinking ends. */
  reasoningDone(totalMs: number): void;
  toolStarted(view: ToolCallView): void;
  toolFinished(view: ToolCallView): void;
  /**
   * One round's usage, once per round; also for a round that broke off or was stopped after it
   * reached the server (Kimi bills it), then `estimated` when Kimi never reported it.
   */
  usage(usage: Usage, estimated?: boolean): void;
}

export interface TurnTools {
  readonly specs: readonly ToolSpec[];
  label(call: ToolCall): string;
  run(call: ToolCall, signal?: AbortSignal): Promise<{ content: string; view: ToolCallView }>;
}

export interface TurnRunInput {
  model: string;
  thinking: boolean;
  /** For effort-controlled models (K3): pinned per conversation. */
  reasoningEffort?: ReasoningEffort;
  maxTokens: number;
  /** Rounds that may call tools; the next round must answer. */
  maxToolRounds: number;
  promptCacheKey?: string;
  userMessage: UserMessage;
  /** Builds the whole request's messages around the current turn's messages. */
  buildMessages(current: readonly ChatMessage[]): ChatMessage[];
  stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
  tools: TurnTools;
  signal: AbortSignal;
  sink: TurnSink;
  now?: () => number;
}

export interface TurnRunResult {
  /** The turn's assistant and tool messages, exactly as later requests will carry them. */
  replies: ChatMessage[];
  finishReason: FinishReason;
  rounds: number;
}

/** Reasoning kept on tool-call messages when the model gave none (instant mode): present, and stable. */
export const EMPTY_REASONING = ' ';

/** Streams the turn to the sink; resolves with the messages to keep, throws the client's `KimiError`. */
export async function runTurn(input: TurnRunInput): Promise<TurnRunResult> {
  const now = input.now ?? Date.now;
  const current: ChatMessage[] = [input.userMessage];
  let thinkingMs = 0;
  // Text of later rounds starts a new paragraph after earlier rounds' text.
  let reasoningShown = false;
  let answerShown = false;
  for (let round = 0; ; round++) {
    const lastRound = round >= input.maxToolRounds;
    const request: ChatRequest = {
      model: input.model,
      messages: input.buildMessages(current),
      thinking: input.thinking,
      maxTokens: input.maxTokens,
      tools: [...input.tools.specs],
      toolChoice: lastRound ? 'none' : 'auto',
    };
    if (input.promptCacheKey) {
      request.promptCacheKey = input.promptCacheKey;
    }
    if (input.reasoningEffort) {
      request.reasoningEffort = input.reasoningEffort;
    }
    const acc = new ResultAccumulator();
    let thinkingSince: number | undefined;
    let roundReasoning = false;
    let roundAnswer = false;
    const endThinking = (): void => {
      if (thinkingSince !== undefined) {
        thinkingMs += now() - thinkingSince;
        thinkingSince = undefined;
        input.sink.reasoningDone(thinkingMs);
      }
    };
    try {
      for await (const event of input.stream(request, input.signal)) {
        acc.add(event);
        switch (event.kind) {
          case 'thinking':
            thinkingSince ??= now();
            if (reasoningShown && round > 0 && !roundReasoning) {
              input.sink.reasoning('\n\n');
            }
            roundReasoning = true;
            reasoningShown = true;
            input.sink.reasoning(event.text);
            break;
          case 'content':
            endThinking();
            if (answerShown && round > 0 && !roundAnswer) {
              input.sink.answer('\n\n');
            }
            roundAnswer = true;
            answerShown = true;
            input.sink.answer(event.text);
            break;
          case 'toolCall':
          case 'finish':
            endThinking();
            break;
          case 'usage':
            // Kimi reports a round's usage twice (on the finish chunk and in the trailing
            // include_usage chunk); the accumulator keeps the last, reported once below.
            break;
        }
      }
    } catch (err) {
      if (KimiError.is(err) && err.billed) {
        input.sink.usage(err.billed.usage, err.billed.estimated);
      }
      throw err;
    } finally {
      endThinking();
    }
    const result = acc.result();
    if (result.usage) {
      input.sink.usage(result.usage);
    }
    const calls = result.toolCalls.filter((c) => c.function.name);
    if (result.finishReason === 'tool_calls' && calls.length > 0 && !lastRound) {
      const toolCalls: ToolCall[] = calls.map((c, i) => ({ ...c, id: c.id || `call_${round}_${i}` }));
      const assistant: AssistantMessage = {
        role: 'assistant',
        content: result.content,
        reasoning_content: result.reasoning || EMPTY_REASONING,
        tool_calls: toolCalls,
      };
      current.push(assistant);
      for (const call of toolCalls) {
        input.sink.toolStarted({ id: call.id, name: call.function.name, label: input.tools.label(call), status: 'running' });
        const outcome = await input.tools.run(call, input.signal);
        input.sink.toolFinished(outcome.view);
        const reply: ToolMessage = { role: 'tool', tool_call_id: call.id, name: call.function.name, content: outcome.content };
        current.push(reply);
      }
      if (input.signal.aborted) {
        throw new KimiError('cancelled', 'The request was cancelled.');
      }
      continue;
    }
    const final: AssistantMessage = { role: 'assistant', content: result.content };
    if (result.reasoning) {
      final.reasoning_content = result.reasoning;
    }
    return { replies: [...current.slice(1), final], finishReason: result.finishReason, rounds: round + 1 };
  }
}
