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
