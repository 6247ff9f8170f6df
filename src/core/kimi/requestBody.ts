import type { AssistantMessage, ChatMessage, ChatRequest, ReasoningEffort, ThinkingDialect } from './kimiTypes';
import { resolveModelProfile, type ModelProfile } from './modelProfiles';

/** The JSON body sent to `POST /chat/completions`. */
export type WireBody = Record<string, unknown>;

/**
 * Builds the wire body for a chat request by the model's profile (modelProfiles.ts):
 * - the output limit always, under the profile's name (`max_completion_tokens`, or `max_tokens`
 *   for unknown hosts), capped at the model's maximum;
 * - thinking as the family controls it: `reasoning_effort` (K3; never `thinking`), `thinking`
 *   on/off (K2.6; `chat_template_kwargs` under that dialect), nothing for models that always
 *   think (K2.7 Code rejects `disabled`) or never do;
 * - earlier reasoning replayed as the profile requires (K3: every assistant message; K2.x: tool-call turns);
 * - partial mode as the endpoint reads it: `partial: true` on the last message, or vLLM/SGLang's
 *   `continue_final_message` under the `chatTemplateKwargs` dialect;
 * - `tool_choice: "required"` only where the profile allows it;
 * - never temperature / top_p / n / penalties (every `kimi-*` fixes them and rejects other values).
 */
export function buildWireBody(req: ChatRequest, dialect: ThinkingDialect, stream: boolean, profile: ModelProfile = resolveModelProfile(req.model)): WireBody {
  const body: WireBody = {
    model: req.model,
    messages: wireMessages(req.messages, profile, dialect),
    [profile.outputLimitParam]: Math.max(1, Math.min(req.maxTokens, profile.maxOutputTokens)),
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
      body.tool_choice = req.toolChoice === 'required' && !profile.toolChoiceRequired ? 'auto' : req.toolChoice;
    }
  }
  if (req.promptCacheKey) {
    body.prompt_cache_key = req.promptCacheKey;
  }
  const control = profile.thinking;
  if (control.kind === 'effort') {
    body.reasoning_effort = effortOf(req, profile) ?? control.default;
  } else if ((control.kind === 'switchable' || control.kind === 'unknown') && req.thinking !== undefined) {
    if (dialect === 'moonshot') {
      body.thinking = { type: req.thinking ? 'enabled' : 'disabled' };
    } else if (dialect === 'chatTemplateKwargs') {
      body.chat_template_kwargs = { thinking: req.thinking };
    }
  }
  if (dialect === 'chatTemplateKwargs' && isPartial(req.messages)) {
    // vLLM / SGLang ignore Moonshot's `partial`: they continue the final assistant message this way.
    body.continue_final_message = true;
    body.add_generation_prompt = false;
  }
  return body;
}

/** The effort sent to an effort-controlled model: the request's, else the lowest when thinking is switched off. */
export function effortOf(req: Pick<ChatRequest, 'thinking' | 'reasoningEffort'>, profile: ModelProfile): ReasoningEffort | undefined {
  if (profile.thinking.kind !== 'effort') {
    return undefined;
  }
  if (req.reasoningEffort && profile.thinking.levels.includes(req.reasoningEffort)) {
    return req.reasoningEffort;
  }
  return req.thinking === false ? profile.thinking.levels[0] : profile.thinking.default;
}

function isPartial(messages: readonly ChatMessage[]): boolean {
  const last = messages[messages.length - 1];
  return last?.role === 'assistant' && last.partial === true;
}

/**
 * The messages as this model needs them. Messages that need no change are passed on as they are
 * (a frozen completion message keeps its cached bytes, see encodeWireBody).
 */
function wireMessages(messages: ChatMessage[], profile: ModelProfile, dialect: ThinkingDialect): ChatMessage[] {
  const lastIndex = messages.length - 1;
  let changed = false;
  const out = messages.map((m, i) => {
    if (m.role !== 'assistant') {
      return m;
    }
    let next: AssistantMessage = m;
    const keepReasoning = profile.replayReasoning === 'every' || (profile.replayReasoning === 'toolTurns' && (m.tool_calls?.length ?? 0) > 0);
    if (m.reasoning_content !== undefined && !keepReasoning) {
      const { reasoning_content: _dropped, ...rest } = next;
      next = rest;
    }
    if (i === lastIndex && m.partial && dialect === 'chatTemplateKwargs') {
      const { partial: _partial, ...rest } = next;
      next = rest;
    }
    changed ||= next !== m;
    return next;
  });
  return changed ? out : messages;
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
