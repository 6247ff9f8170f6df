/**
 * VS Code's chat messages (as plain data, `lmTypes.ts`) <-> Kimi chat messages, both ways, with
 * the earlier replies' reasoning put back from the {@link ReasoningStore}.
 *
 * VS Code → Kimi (`toKimiMessages`): a User message's tool results become `tool` messages (Kimi
 * wants them right after the assistant's `tool_calls`, before any other text), its text and
 * images one `user` message; an Assistant message becomes one `assistant` message with its text,
 * its tool calls (the arguments as streamed when this window produced them) and its
 * `reasoning_content` (Kimi rejects a tool-call message without it while thinking is on; K3
 * wants every earlier reply's reasoning back verbatim). Every remembered reasoning is put back;
 * the wire body (requestBody.ts) drops what the model's profile does not replay.
 *
 * Kimi → VS Code (`fromKimiMessages`): the same conversation as VS Code holds it after a
 * response: reasoning gone, tool results as User tool-result parts.
 */
import type { AssistantMessage, ChatMessage, ContentPart, ToolCall, ToolMessage } from '../kimi/kimiTypes';
import type { LmMessage, LmPart } from './lmTypes';
import type { ReasoningStore } from './reasoningStore';

/** Reasoning sent on a tool-call message whose reasoning this window never saw (another provider's, or before a reload). */
export const UNKNOWN_REASONING = ' ';

export interface ConversionOptions {
  /** Whether the model accepts images; if not, an image is replaced by a note saying so. */
  imageInput: boolean;
}

/** VS Code's messages as Kimi's `messages`. */
export function toKimiMessages(messages: readonly LmMessage[], store: Pick<ReasoningStore, 'recall'>, options: ConversionOptions): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: textOf(message.parts) });
        break;
      case 'assistant':
        out.push(assistantToKimi(message.parts, store));
        break;
      case 'user':
        out.push(...userToKimi(message.parts, options));
        break;
    }
  }
  return out;
}

function textOf(parts: readonly LmPart[]): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
}

function assistantToKimi(parts: readonly LmPart[], store: Pick<ReasoningStore, 'recall'>): AssistantMessage {
  const text = textOf(parts);
  const calls = parts.filter((p): p is Extract<LmPart, { kind: 'toolCall' }> => p.kind === 'toolCall');
  const remembered = store.recall({ text, callIds: calls.map((c) => c.callId) });
  const message: AssistantMessage = { role: 'assistant', content: text };
  if (calls.length > 0) {
    message.tool_calls = calls.map((c): ToolCall => {
      const raw = remembered?.rawArguments.get(c.callId);
      return {
        id: c.callId,
        type: 'function',
        function: { name: c.name, arguments: raw !== undefined && sameJson(raw, c.input) ? raw : JSON.stringify(c.input ?? {}) },
      };
    });
  }
  if (remembered && remembered.reasoning !== '') {
    message.reasoning_content = remembered.reasoning;
  } else if (calls.length > 0) {
    // Present, so thinking models accept the history; this window has no reasoning to replay.
    message.reasoning_content = UNKNOWN_REASONING;
  }
  return message;
}

/** Whether the raw arguments string is the JSON of `input` (VS Code kept only the parsed value). */
function sameJson(raw: string, input: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(raw)) === JSON.stringify(input);
  } catch {
    return false;
  }
}

function userToKimi(parts: readonly LmPart[], options: ConversionOptions): ChatMessage[] {
  const tools: ToolMessage[] = [];
  const content: ContentPart[] = [];
  for (const part of parts) {
    switch (part.kind) {
      case 'toolResult':
        tools.push({ role: 'tool', tool_call_id: part.callId, content: part.text });
        break;
      case 'text':
        appendText(content, part.text);
        break;
      case 'data':
        if (part.mimeType.startsWith('image/')) {
          if (options.imageInput) {
            content.push({ type: 'image_url', image_url: { url: `data:${part.mimeType};base64,${Buffer.from(part.data).toString('base64')}` } });
          } else {
            appendText(content, `[An image (${part.mimeType}) was left out: this model does not accept images.]`);
          }
        } else if (part.mimeType.startsWith('text/') || part.mimeType === 'application/json') {
          appendText(content, new TextDecoder().decode(part.data));
        }
        // Other data (e.g. VS Code's cache-control markers) means nothing to Kimi.
        break;
      case 'toolCall':
        break; // Only assistant messages carry tool calls.
    }
  }
  const out: ChatMessage[] = [...tools];
  if (content.length > 0) {
    const onlyText = content.every((c) => c.type === 'text');
    out.push({ role: 'user', content: onlyText ? content.map((c) => (c as { text: string }).text).join('') : content });
  }
  return out;
}

function appendText(content: ContentPart[], text: string): void {
  const last = content[content.length - 1];
  if (last?.type === 'text') {
    last.text += text;
  } else {
    content.push({ type: 'text', text });
  }
}

/** Kimi's `messages` as VS Code holds the same conversation (no reasoning; tool results in User messages). */
export function fromKimiMessages(messages: readonly ChatMessage[]): LmMessage[] {
  const out: LmMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', parts: [{ kind: 'text', text: message.content }] });
        break;
      case 'assistant': {
        const parts: LmPart[] = message.content !== '' ? [{ kind: 'text', text: message.content }] : [];
        for (const call of message.tool_calls ?? []) {
          parts.push({ kind: 'toolCall', callId: call.id, name: call.function.name, input: parseArguments(call.function.arguments) });
        }
        out.push({ role: 'assistant', parts });
        break;
      }
      case 'tool': {
        const part: LmPart = { kind: 'toolResult', callId: message.tool_call_id, text: message.content };
        const last = out[out.length - 1];
        if (last?.role === 'user' && last.parts.every((p) => p.kind === 'toolResult')) {
          last.parts.push(part);
        } else {
          out.push({ role: 'user', parts: [part] });
        }
        break;
      }
      case 'user':
        out.push({ role: 'user', parts: userPartsFromKimi(message.content) });
        break;
    }
  }
  return out;
}

function userPartsFromKimi(content: string | ContentPart[]): LmPart[] {
  if (typeof content === 'string') {
    return [{ kind: 'text', text: content }];
  }
  return content.map((c): LmPart => {
    if (c.type === 'text') {
      return { kind: 'text', text: c.text };
    }
    const match = /^data:([^;,]+);base64,(.*)$/s.exec(c.image_url.url);
    return match ? { kind: 'data', mimeType: match[1], data: new Uint8Array(Buffer.from(match[2], 'base64')) } : { kind: 'text', text: c.image_url.url };
  });
}

/**
 * A tool call's arguments as the object VS Code's `LanguageModelToolCallPart.input` needs;
 * undefined when they are not a JSON object (the caller decides what that means).
 */
export function parseArguments(raw: string): object | undefined {
  if (raw.trim() === '') {
    return {};
  }
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
