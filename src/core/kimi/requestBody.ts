import type { ChatRequest, ThinkingDialect } from './kimiTypes';

/** The JSON body sent to `POST /chat/completions`. */
export type WireBody = Record<string, unknown>;

/**
 * Builds the wire body for a chat request, sending only what every Kimi model accepts:
 * no temperature / top_p / n / penalties (kimi-k2.5 fixes them and rejects other values),
 * never a boolean `thinking`, never `reasoning_effort`.
 */
export function buildWireBody(req: ChatRequest, dialect: ThinkingDialect, stream: boolean): WireBody {
  const body: WireBody = {
    model: req.model,
    messages: req.messages,
    max_tokens: req.maxTokens,
    stream,
  };
  if (stream) {
    body.stream_options = { include_usage: true };
  }
  if (req.stop && req.stop.length > 0) {
    body.stop = req.stop.slice(0, 5);
  }
  if (req.tools && req.tools.length > 0) {
    body.tools = req.tools;
    if (req.toolChoice) {
      body.tool_choice = req.toolChoice;
    }
  }
  if (req.promptCacheKey) {
    body.prompt_cache_key = req.promptCacheKey;
  }
  if (req.thinking !== undefined) {
    if (dialect === 'moonshot') {
      body.thinking = { type: req.thinking ? 'enabled' : 'disabled' };
    } else if (dialect === 'chatTemplateKwargs') {
      body.chat_template_kwargs = { thinking: req.thinking };
    }
  }
  return body;
}

/**
 * UTF-8 JSON of frozen message objects already sent: a completion's prompt reuses its large user
 * message object while it is unchanged (and freezes it, so it cannot change under the cache).
 */
const encodedMessages = new WeakMap<object, Buffer>();

/**
 * The body as UTF-8 JSON bytes, the same JSON value as `JSON.stringify(body)` (messages first).
 * Each frozen message object is encoded once: a completion prompt whose context fills the 256K window
 * is about 1 MB, and stringifying and then encoding it again on every keystroke cost more than
 * the rest of the request's preparation (about 3 of 4 ms on a slow machine); joining the
 * encoded parts costs a copy.
 */
export function encodeWireBody(body: WireBody): Buffer {
  const { messages, ...rest } = body;
  const parts: Buffer[] = [Buffer.from('{"messages":[')];
  (messages as object[]).forEach((message, i) => {
    let bytes = encodedMessages.get(message);
    if (!bytes) {
      bytes = Buffer.from(JSON.stringify(message));
      if (Object.isFrozen(message)) {
        encodedMessages.set(message, bytes);
      }
    }
    if (i > 0) {
      parts.push(COMMA);
    }
    parts.push(bytes);
  });
  const tail = JSON.stringify(rest);
  parts.push(Buffer.from(tail === '{}' ? ']}' : `],${tail.slice(1)}`));
  return Buffer.concat(parts);
}

const COMMA = Buffer.from(',');
