import { randomBytes } from 'node:crypto';
import type { CompletionPlan } from './replyPlan';
import type { JsonObject } from './types';

/** Identity shared by every chunk of one completion. */
export interface CompletionMeta {
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

export function newCompletionMeta(model: string): CompletionMeta {
  return { id: `chatcmpl-${randomBytes(12).toString('hex')}`, created: Math.floor(Date.now() / 1000), model };
}

/**
 * The SSE `data:` payloads (JSON text, without `[DONE]`) of a streamed completion, shaped like
 * Kimi's live captures: a first chunk `{role:"assistant", content:""}`, reasoning deltas, content
 * deltas, tool-call deltas (id + name first, then arguments), a finishing chunk with
 * `finish_reason` and `choices[0].usage`, and with `include_usage` a trailing `choices: []` chunk
 * with top-level `usage`.
 */
export function streamPayloads(meta: CompletionMeta, plan: CompletionPlan, includeUsage: boolean): string[] {
  const chunk = (delta: JsonObject, finishReason: string | null = null, usage?: unknown): string => {
    const choice: JsonObject = { index: 0, delta, finish_reason: finishReason };
    if (usage !== undefined) {
      choice.usage = usage;
    }
    return JSON.stringify({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [choice] });
  };
  const payloads = [chunk({ role: 'assistant', content: '' })];
  for (const text of plan.reasoningChunks) {
    payloads.push(chunk({ reasoning_content: text }));
  }
  for (const text of plan.contentChunks) {
    payloads.push(chunk({ content: text }));
  }
  plan.toolCalls.forEach((call, index) => {
    payloads.push(
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }),
    );
    if (call.arguments !== '') {
      payloads.push(chunk({ tool_calls: [{ index, function: { arguments: call.arguments } }] }));
    }
  });
  payloads.push(chunk({}, plan.finishReason, plan.usage ?? undefined));
  if (includeUsage && plan.usage) {
    payloads.push(emptyChoicesPayload(meta, plan.usage));
  }
  return payloads;
}

/** A chunk with `choices: []` (the include_usage trailer when `usage` is given). */
export function emptyChoicesPayload(meta: CompletionMeta, usage?: unknown): string {
  const body: JsonObject = { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices: [] };
  if (usage !== undefined) {
    body.usage = usage;
  }
  return JSON.stringify(body);
}

/** The non-streaming `chat.completion` body. */
export function completionBody(meta: CompletionMeta, plan: CompletionPlan): JsonObject {
  const content = plan.contentChunks.join('');
  const message: JsonObject = {
    role: 'assistant',
    content: content === '' && plan.toolCalls.length > 0 ? null : content,
  };
  if (plan.reasoningChunks.length > 0) {
    message.reasoning_content = plan.reasoningChunks.join('');
  }
  if (plan.toolCalls.length > 0) {
    message.tool_calls = plan.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  const body: JsonObject = {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, finish_reason: plan.finishReason }],
  };
  if (plan.usage) {
    body.usage = plan.usage;
  }
  return body;
}
