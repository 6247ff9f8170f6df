import { createHash } from 'node:crypto';
import type { ValidChat } from './chatValidation';
import { BYTES_PER_TOKEN, bytesToTokens } from './tokenEstimate';
import type { ScriptedReply, Usage } from './types';

/** What one completion will contain, after `stop` and `max_tokens` were applied. */
export interface CompletionPlan {
  readonly reasoningChunks: readonly string[];
  readonly contentChunks: readonly string[];
  readonly toolCalls: readonly PlannedToolCall[];
  readonly finishReason: string;
  /** null: send no usage anywhere. */
  readonly usage: Usage | null;
}

export interface PlannedToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

export const DEFAULT_CHUNK_SIZE = 8;
export const DEFAULT_ANSWER = 'Simulated answer.';
export const DEFAULT_CONTINUATION = '/* continuation */';
export const DEFAULT_REASONING = 'The user sent a request; the simulator answers it deterministically.';

/**
 * How often, by default, a partial-mode request to a model that cannot stop reasoning (K3, K2.7
 * Code) ends after its reasoning with no continuation: 1 in 8. Moonshot gives no rate ("sometimes"),
 * so this is the simulator's choice; `SimulatorOptions.emptyContinuationRate` changes it.
 */
export const DEFAULT_EMPTY_CONTINUATION_RATE = 0.125;

/**
 * The reply when no script matched: deterministic, derived from the request. Partial mode gets
 * only a continuation (never the prefix), thinking requests get reasoning first. In partial mode
 * on an always-reasoning model, a share `emptyRate` of prompts (chosen by a hash of the prompt, so
 * the same prompt always behaves the same) gets reasoning and no content.
 */
export function defaultReply(chat: ValidChat, emptyRate = DEFAULT_EMPTY_CONTINUATION_RATE): ScriptedReply {
  if (chat.partialPrefix === undefined) {
    return { reasoning: DEFAULT_REASONING, content: DEFAULT_ANSWER };
  }
  const empty = chat.thinkingFixed && promptFraction(chat.prompt) < emptyRate;
  return { reasoning: DEFAULT_REASONING, content: DEFAULT_CONTINUATION, endAfterReasoning: empty };
}

/** A number in [0, 1) fixed by the prompt's bytes. */
export function promptFraction(prompt: Uint8Array): number {
  return createHash('sha256').update(prompt).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Turns a reply into what is sent. Reasoning is dropped when thinking is off (as on Kimi). `stop`
 * cuts the content before the first stop sequence (finish `stop`); `max_tokens` bounds reasoning +
 * content + tool calls together, counted with the simulator's estimate (finish `length` when cut):
 * reasoning is billed as output (in `completion_tokens`, and in `reasoning_tokens`) and can use
 * the whole limit up before any content.
 */
export function planCompletion(
  chat: ValidChat,
  reply: ScriptedReply,
  cachedTokens: number,
  defaultChunkSize = DEFAULT_CHUNK_SIZE,
): CompletionPlan {
  const size = reply.chunkSize ?? defaultChunkSize;
  const reasoning = chat.thinking ? (reply.reasoningChunks ?? splitText(reply.reasoning ?? '', size)) : [];
  let content = reply.endAfterReasoning ? [] : (reply.chunks ?? splitText(reply.content ?? '', size));
  const stopAt = firstStop(content.join(''), chat.stop);
  if (stopAt !== undefined) {
    content = truncateChunks(content, stopAt);
  }
  const budget = new ByteBudget(chat.maxTokens === undefined ? Infinity : chat.maxTokens * BYTES_PER_TOKEN);
  const reasoningKept = budget.take(reasoning);
  const contentKept = budget.take(content);
  const toolCalls: PlannedToolCall[] = [];
  (reply.toolCalls ?? []).forEach((call, index) => {
    const planned = {
      id: call.id ?? `${call.name}_${index}`,
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    };
    if (budget.takeWhole(planned.name + planned.arguments)) {
      toolCalls.push(planned);
    }
  });
  const finishReason = budget.exhausted
    ? 'length'
    : stopAt !== undefined
      ? 'stop'
      : (reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'));
  const usage = computeUsage(chat.promptTokens, cachedTokens, budget.used, byteLength(reasoningKept.join('')));
  return {
    reasoningChunks: reasoningKept,
    contentChunks: contentKept,
    toolCalls,
    finishReason,
    usage: reply.usage === null ? null : { ...usage, ...reply.usage },
  };
}

/** Kimi's usage object: cached fields and reasoning details only when > 0. */
export function computeUsage(promptTokens: number, cachedTokens: number, completionBytes: number, reasoningBytes: number): Usage {
  const completion = bytesToTokens(completionBytes);
  const usage: Usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completion,
    total_tokens: promptTokens + completion,
  };
  if (cachedTokens > 0) {
    usage.cached_tokens = cachedTokens;
  }
  if (reasoningBytes > 0) {
    usage.completion_tokens_details = { reasoning_tokens: bytesToTokens(reasoningBytes) };
  }
  if (cachedTokens > 0) {
    usage.prompt_tokens_details = { cached_tokens: cachedTokens };
  }
  return usage;
}

/** Splits text into pieces of `size` code points (never inside a surrogate pair). */
export function splitText(text: string, size: number): string[] {
  const points = Array.from(text);
  const step = Math.max(1, Math.floor(size));
  const out: string[] = [];
  for (let i = 0; i < points.length; i += step) {
    out.push(points.slice(i, i + step).join(''));
  }
  return out;
}

function firstStop(text: string, stops: readonly string[]): number | undefined {
  let best: number | undefined;
  for (const stop of stops) {
    const at = text.indexOf(stop);
    if (at >= 0 && (best === undefined || at < best)) {
      best = at;
    }
  }
  return best;
}

/** Keeps the first `length` UTF-16 units of the joined chunks, preserving chunk boundaries. */
function truncateChunks(chunks: readonly string[], length: number): string[] {
  const out: string[] = [];
  let left = length;
  for (const chunk of chunks) {
    if (left <= 0) {
      break;
    }
    out.push(chunk.slice(0, left));
    left -= chunk.length;
  }
  return out.filter((c) => c.length > 0);
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** A budget of UTF-8 bytes (max_tokens × 4) consumed code point by code point. */
class ByteBudget {
  used = 0;
  exhausted = false;

  constructor(private readonly limit: number) {}

  take(chunks: readonly string[]): string[] {
    const out: string[] = [];
    for (const chunk of chunks) {
      if (this.exhausted) {
        break;
      }
      let kept = '';
      for (const point of chunk) {
        const bytes = byteLength(point);
        if (this.used + bytes > this.limit) {
          this.exhausted = true;
          break;
        }
        this.used += bytes;
        kept += point;
      }
      if (kept.length > 0 || chunk.length === 0) {
        out.push(kept);
      }
    }
    return out;
  }

  takeWhole(text: string): boolean {
    const bytes = byteLength(text);
    if (this.exhausted || this.used + bytes > this.limit) {
      this.exhausted = true;
      return false;
    }
    this.used += bytes;
    return true;
  }
}
