import { createHash } from 'node:crypto';
import { isJsonObject } from './jsonObject';
import type { JsonObject } from './types';

/**
 * The simulator's token estimate. It is NOT Kimi's tokenizer; it is deterministic and byte based:
 *
 * - A text costs `ceil(utf8Bytes / 4)` tokens (`textTokens`).
 * - A prompt is first put in a canonical serialisation (`serializePrompt`): the `tools` array (when
 *   present) as one JSON line, then one JSON line per message holding only the prompt-relevant
 *   fields in a fixed key order (role, name, content, reasoning_content, tool_calls, tool_call_id,
 *   partial). Sampling parameters, `stream`, `max_tokens` etc. are not part of it.
 * - Its tokens are the consecutive 4-byte slices of that UTF-8 serialisation, so
 *   `prompt_tokens = ceil(bytes / 4)`, and a change near the end of a prompt leaves the earlier
 *   slices (and so the earlier cache chunks) unchanged.
 * - An image or video part is replaced by a placeholder derived from the SHA-256 of its URL, padded
 *   to `MEDIA_BASE_TOKENS + ceil(urlLength / MEDIA_BYTES_PER_TOKEN)` tokens: identical images
 *   serialise identically, bigger images cost more, and a multi-megabyte data URL does not blow
 *   the context window.
 */
export const BYTES_PER_TOKEN = 4;
export const MEDIA_BASE_TOKENS = 256;
export const MEDIA_BYTES_PER_TOKEN = 4096;

const MESSAGE_KEYS = ['role', 'name', 'content', 'reasoning_content', 'tool_calls', 'tool_call_id', 'partial'] as const;

/** Tokens of a text: ceil(utf8 bytes / 4). */
export function textTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / BYTES_PER_TOKEN);
}

/** Tokens of a serialised prompt: ceil(bytes / 4). */
export function bytesToTokens(bytes: number): number {
  return Math.ceil(bytes / BYTES_PER_TOKEN);
}

/** Canonical UTF-8 serialisation of the prompt-relevant part of a request (see the module doc). */
export function serializePrompt(messages: readonly unknown[], tools?: unknown): Buffer {
  const lines: string[] = [];
  if (Array.isArray(tools) && tools.length > 0) {
    lines.push(JSON.stringify({ tools }));
  }
  for (const message of messages) {
    lines.push(JSON.stringify(canonicalMessage(message)));
  }
  return Buffer.from(lines.map((line) => line + '\n').join(''), 'utf8');
}

/** Estimated prompt tokens of messages (+ tools): the token count of `serializePrompt`. */
export function promptTokens(messages: readonly unknown[], tools?: unknown): number {
  return bytesToTokens(serializePrompt(messages, tools).length);
}

function canonicalMessage(message: unknown): unknown {
  if (!isJsonObject(message)) {
    return message;
  }
  const out: JsonObject = {};
  for (const key of MESSAGE_KEYS) {
    if (message[key] !== undefined) {
      out[key] = key === 'content' ? canonicalContent(message[key]) : message[key];
    }
  }
  return out;
}

function canonicalContent(content: unknown): unknown {
  if (!Array.isArray(content)) {
    return content;
  }
  return content.map((part: unknown) => {
    if (!isJsonObject(part)) {
      return part;
    }
    const media = part.type === 'image_url' ? part.image_url : part.type === 'video_url' ? part.video_url : undefined;
    if (isJsonObject(media) && typeof media.url === 'string') {
      return { type: part.type, media: mediaPlaceholder(media.url) };
    }
    return part;
  });
}

function mediaPlaceholder(url: string): string {
  const digest = createHash('sha256').update(url).digest('hex');
  const tokens = MEDIA_BASE_TOKENS + Math.ceil(url.length / MEDIA_BYTES_PER_TOKEN);
  const size = tokens * BYTES_PER_TOKEN;
  return digest.repeat(Math.ceil(size / digest.length)).slice(0, size);
}
