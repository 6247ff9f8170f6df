import { isJsonObject } from './jsonObject';
import type { JsonObject, SimModel } from './types';

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
const IMAGE_DATA_URL = /^data:image\/[a-z0-9.+-]+;base64,([A-Za-z0-9+/=\s]*)$/;
const VIDEO_DATA_URL = /^data:video\/[a-z0-9.+-]+;base64,/;
const FILE_ID_URL = /^ms:\/\/\S+$/;

/**
 * Kimi's checks on `messages` (roles, content parts, images, partial mode, reasoning_content in
 * tool-call history when thinking). Returns the 400 message, or undefined when they pass.
 * `official: false` (vLLM) skips the `partial` field, which vLLM does not read.
 */
export function messageValidationError(
  messages: readonly unknown[],
  model: SimModel,
  thinking: boolean,
  official = true,
): string | undefined {
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index];
    if (!isJsonObject(message)) {
      return `Invalid request: message at index ${index} must be an object`;
    }
    const error =
      roleError(message, index) ??
      contentError(message, index, model) ??
      (official ? partialError(message, index, messages.length) : undefined) ??
      toolCallHistoryError(message, index, thinking);
    if (error) {
      return error;
    }
  }
  return undefined;
}

function roleError(message: JsonObject, index: number): string | undefined {
  if (typeof message.role !== 'string' || !ROLES.has(message.role)) {
    return `Invalid request: invalid role ${JSON.stringify(message.role)} in message at index ${index}, must be one of system, user, assistant, tool`;
  }
  if (message.role === 'tool' && typeof message.tool_call_id !== 'string') {
    return `Invalid request: tool message at index ${index} must have a tool_call_id`;
  }
  return undefined;
}

function contentError(message: JsonObject, index: number, model: SimModel): string | undefined {
  const content = message.content;
  if (content === undefined || content === null) {
    const hasToolCalls = Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
    return message.role === 'assistant' && (hasToolCalls || message.partial !== true)
      ? undefined
      : `Invalid request: message at index ${index} must have content`;
  }
  if (typeof content === 'string') {
    return undefined;
  }
  if (!Array.isArray(content)) {
    return `Invalid request: content of message at index ${index} must be a string or a list of parts`;
  }
  for (const part of content) {
    const error = partError(part, index, model);
    if (error) {
      return error;
    }
  }
  return undefined;
}

function partError(part: unknown, index: number, model: SimModel): string | undefined {
  if (!isJsonObject(part)) {
    return `Invalid request: content part in message at index ${index} must be an object`;
  }
  switch (part.type) {
    case 'text':
      return typeof part.text === 'string' ? undefined : `Invalid request: text part in message at index ${index} must have text`;
    case 'image_url': {
      if (!model.supportsImageIn) {
        return `Invalid request: model ${model.id} does not support image input`;
      }
      const url = isJsonObject(part.image_url) ? part.image_url.url : undefined;
      if (typeof url !== 'string') {
        return `Invalid request: image_url part in message at index ${index} must have image_url.url`;
      }
      if (/^https?:\/\//i.test(url)) {
        return 'Invalid request: image url must be a base64 data url (data:image/png;base64,...) or an ms:// file id, http(s) urls are not supported';
      }
      if (FILE_ID_URL.test(url)) {
        return undefined;
      }
      const data = IMAGE_DATA_URL.exec(url);
      if (!data) {
        return 'Invalid request: an image must be a base64 data url (data:image/png;base64,...) or an ms:// file id';
      }
      const format = sniffImage(Buffer.from(data[1], 'base64'));
      return format.supported ? undefined : `Invalid request: unsupported image format: ${format.type}`;
    }
    case 'video_url': {
      if (!model.supportsVideoIn) {
        return `Invalid request: model ${model.id} does not support video input`;
      }
      const url = isJsonObject(part.video_url) ? part.video_url.url : undefined;
      return typeof url === 'string' && (VIDEO_DATA_URL.test(url) || FILE_ID_URL.test(url))
        ? undefined
        : 'Invalid request: video url must be a base64 data url or an ms:// file id';
    }
    default:
      return `Invalid request: unsupported content part type ${JSON.stringify(part.type)} in message at index ${index}`;
  }
}

function partialError(message: JsonObject, index: number, count: number): string | undefined {
  if (message.partial === undefined || message.partial === false) {
    return undefined;
  }
  if (message.partial !== true) {
    return `Invalid request: partial must be a boolean (message at index ${index})`;
  }
  if (index !== count - 1 || message.role !== 'assistant') {
    return `Invalid request: partial is only allowed on the last message, which must be from the assistant (message at index ${index})`;
  }
  if (typeof message.content !== 'string') {
    return 'Invalid request: the partial assistant message must have string content';
  }
  return undefined;
}

function toolCallHistoryError(message: JsonObject, index: number, thinking: boolean): string | undefined {
  const hasToolCalls = Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
  if (!thinking || message.role !== 'assistant' || !hasToolCalls) {
    return undefined;
  }
  const reasoning = message.reasoning_content;
  return reasoning === undefined || reasoning === null
    ? `thinking is enabled but reasoning_content is missing in assistant tool call message at index ${index}`
    : undefined;
}

/**
 * What Kimi decodes the image bytes as (it reads the bytes, not the declared type): png, jpeg,
 * gif and webp are supported; anything else is named the way Go's `http.DetectContentType`
 * names it, which is what Kimi's refusal of an SVG shows ("unsupported image format: text/plain;
 * charset=utf-8", ../shared/data/sse/kimi-2026/unsupported-svg-error.json).
 */
export function sniffImage(bytes: Buffer): { supported: boolean; type: string } {
  const starts = (magic: string, at = 0): boolean => bytes.subarray(at, at + magic.length).equals(Buffer.from(magic, 'latin1'));
  if (starts('\x89PNG\r\n\x1a\n')) {
    return { supported: true, type: 'image/png' };
  }
  if (starts('\xff\xd8\xff')) {
    return { supported: true, type: 'image/jpeg' };
  }
  if (starts('GIF87a') || starts('GIF89a')) {
    return { supported: true, type: 'image/gif' };
  }
  if (starts('RIFF') && starts('WEBPVP', 8)) {
    return { supported: true, type: 'image/webp' };
  }
  if (starts('BM')) {
    return { supported: false, type: 'image/bmp' };
  }
  const text = bytes.subarray(0, 512);
  const binary = text.some((b) => b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f));
  if (binary) {
    return { supported: false, type: 'application/octet-stream' };
  }
  return { supported: false, type: text.toString('latin1').trimStart().startsWith('<?xml') ? 'text/xml; charset=utf-8' : 'text/plain; charset=utf-8' };
}
