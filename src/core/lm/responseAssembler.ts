import { ResultAccumulator } from '../kimi/chunkEvents';
import { KimiError } from '../kimi/kimiErrors';
import type { ChatResult, StreamEvent, ToolCall } from '../kimi/kimiTypes';
import type { LmResponsePart } from './lmTypes';
import { parseArguments } from './messageConversion';

/**
 * Turns Kimi's stream events into VS Code's response parts: text as it arrives, each tool call
 * once whole (its arguments arrive in fragments), at the end of the stream. Reasoning has no
 * stable part: it is kept in the result for the {@link ReasoningStore}, never shown as text.
 */
export class ResponseAssembler {
  private readonly acc = new ResultAccumulator();

  /** The parts to report for one event (text only; tool calls come from `finish()`). */
  add(event: StreamEvent): LmResponsePart[] {
    this.acc.add(event);
    return event.kind === 'content' ? [{ kind: 'text', text: event.text }] : [];
  }

  /** Everything streamed so far (reasoning, text, tool calls, usage). */
  get result(): ChatResult {
    return this.acc.result();
  }

  /**
   * The tool-call parts, once the stream has ended, and the reply to remember (tool calls
   * without an id get the id their part carries). Throws a `malformedResponse` KimiError when a
   * call's arguments are not a JSON object: a tool must not run on guessed input.
   */
  finish(): { parts: LmResponsePart[]; reply: { content: string; reasoning: string; toolCalls: ToolCall[] } } {
    const result = this.result;
    const parts: LmResponsePart[] = [];
    const toolCalls: ToolCall[] = [];
    result.toolCalls.forEach((call, i) => {
      if (!call.function.name) {
        return;
      }
      const input = parseArguments(call.function.arguments);
      if (input === undefined) {
        throw new KimiError('malformedResponse', `Kimi asked for the tool ${call.function.name} with arguments that are not a JSON object.`);
      }
      const id = call.id || `call_${i}`;
      toolCalls.push({ ...call, id });
      parts.push({ kind: 'toolCall', callId: id, name: call.function.name, input });
    });
    return { parts, reply: { content: result.content, reasoning: result.reasoning, toolCalls } };
  }
}
