import type { ChatResult, FinishReason, StreamEvent, ToolCall, Usage } from './kimiTypes';

/* The wire shapes are read defensively: proxies differ, and a malformed chunk must not crash a stream. */

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function obj(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Reads a usage object. Kimi reports cached tokens as `usage.cached_tokens` (top level) and/or
 * `usage.prompt_tokens_details.cached_tokens`; either may be absent when nothing hit.
 */
export function parseUsage(raw: unknown): Usage | undefined {
  const u = obj(raw);
  if (!u) {
    return undefined;
  }
  const details = obj(u.prompt_tokens_details);
  const completionDetails = obj(u.completion_tokens_details);
  const usage: Usage = {
    promptTokens: num(u.prompt_tokens) ?? 0,
    completionTokens: num(u.completion_tokens) ?? 0,
    cachedTokens: num(u.cached_tokens) ?? num(details?.cached_tokens) ?? 0,
  };
  const reasoning = num(completionDetails?.reasoning_tokens);
  if (reasoning !== undefined) {
    usage.reasoningTokens = reasoning;
  }
  // Reported but unconfirmed (kimi-api.md): cache-write billing; read it when present.
  const written = num(u.cache_write_tokens) ?? num(details?.cache_write_tokens);
  if (written !== undefined) {
    usage.cacheWriteTokens = written;
  }
  return usage;
}

export function parseFinishReason(raw: unknown): FinishReason | undefined {
  if (raw === null || raw === undefined) {
    return undefined;
  }
  const known: readonly FinishReason[] = ['stop', 'length', 'tool_calls', 'content_filter'];
  return known.find((reason) => reason === raw) ?? 'unknown';
}

/**
 * Turns one streamed `chat.completion.chunk` into events, in wire order: thinking, content,
 * tool-call deltas, usage (from `choices[0].usage` or the trailing `choices: []` chunk), finish.
 */
export function chunkToEvents(chunk: unknown): StreamEvent[] {
  const events: StreamEvent[] = [];
  const c = obj(chunk);
  if (!c) {
    return events;
  }
  const choices = Array.isArray(c.choices) ? c.choices : [];
  const choice = obj(choices[0]);
  let usageRaw: unknown = c.usage;
  if (choice) {
    const delta = obj(choice.delta) ?? {};
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content.length > 0) {
      events.push({ kind: 'thinking', text: delta.reasoning_content });
    }
    if (typeof delta.content === 'string' && delta.content.length > 0) {
      events.push({ kind: 'content', text: delta.content });
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const rawCall of delta.tool_calls) {
        const call = obj(rawCall);
        if (!call) {
          continue;
        }
        const fn = obj(call.function) ?? {};
        events.push({
          kind: 'toolCall',
          index: num(call.index) ?? 0,
          id: typeof call.id === 'string' ? call.id : undefined,
          name: typeof fn.name === 'string' ? fn.name : undefined,
          argumentsDelta: typeof fn.arguments === 'string' ? fn.arguments : '',
        });
      }
    }
    usageRaw = usageRaw ?? choice.usage;
  }
  const usage = parseUsage(usageRaw);
  if (usage) {
    events.push({ kind: 'usage', usage });
  }
  const finish = choice ? parseFinishReason(choice.finish_reason) : undefined;
  if (finish) {
    events.push({ kind: 'finish', reason: finish });
  }
  return events;
}

/** Folds streamed events into a result; tool-call deltas are joined by their `index`. */
export class ResultAccumulator {
  private content = '';
  private reasoning = '';
  private readonly calls = new Map<number, ToolCall>();
  private finishReason: FinishReason = 'unknown';
  private usage: Usage | undefined;

  add(event: StreamEvent): void {
    switch (event.kind) {
      case 'thinking':
        this.reasoning += event.text;
        break;
      case 'content':
        this.content += event.text;
        break;
      case 'toolCall': {
        const call = this.calls.get(event.index) ?? { id: '', type: 'function', function: { name: '', arguments: '' } };
        if (event.id) {
          call.id = event.id;
        }
        if (event.name) {
          call.function.name += event.name;
        }
        call.function.arguments += event.argumentsDelta;
        this.calls.set(event.index, call);
        break;
      }
      case 'usage':
        this.usage = event.usage;
        break;
      case 'finish':
        this.finishReason = event.reason;
        break;
    }
  }

  result(): ChatResult {
    const toolCalls = [...this.calls.entries()].sort((a, b) => a[0] - b[0]).map(([, call]) => call);
    return { content: this.content, reasoning: this.reasoning, toolCalls, finishReason: this.finishReason, usage: this.usage };
  }
}

/** Reads a non-streaming `chat.completion` body. */
export function completionToResult(body: unknown): ChatResult {
  const b = obj(body) ?? {};
  const choice = obj(Array.isArray(b.choices) ? b.choices[0] : undefined) ?? {};
  const message = obj(choice.message) ?? {};
  const toolCalls: ToolCall[] = [];
  if (Array.isArray(message.tool_calls)) {
    for (const raw of message.tool_calls) {
      const call = obj(raw);
      const fn = obj(call?.function);
      if (call && fn && typeof fn.name === 'string') {
        toolCalls.push({
          id: typeof call.id === 'string' ? call.id : '',
          type: 'function',
          function: { name: fn.name, arguments: typeof fn.arguments === 'string' ? fn.arguments : '' },
        });
      }
    }
  }
  return {
    content: typeof message.content === 'string' ? message.content : '',
    reasoning: typeof message.reasoning_content === 'string' ? message.reasoning_content : '',
    toolCalls,
    finishReason: parseFinishReason(choice.finish_reason) ?? 'unknown',
    usage: parseUsage(b.usage ?? choice.usage),
  };
}
