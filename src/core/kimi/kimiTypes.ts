/**
 * Plain data types for talking to Kimi's chat API. No `openai` or `vscode` import here:
 * every other module speaks these types, and only `kimiClient.ts` touches the SDK.
 */

export interface TextPart {
  type: 'text';
  text: string;
}

/** An image as a data URL (`data:image/png;base64,...`): the official API accepts no http(s) URLs. */
export interface ImagePart {
  type: 'image_url';
  image_url: { url: string };
}

export type ContentPart = TextPart | ImagePart;

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface SystemMessage {
  role: 'system';
  content: string;
}

export interface UserMessage {
  role: 'user';
  content: string | ContentPart[];
}

export interface AssistantMessage {
  role: 'assistant';
  content: string;
  /** Kimi partial mode: the reply continues this content. Only valid on the last message. */
  partial?: boolean;
  /** Required in history for tool-call turns while thinking is on. */
  reasoning_content?: string;
  tool_calls?: ToolCall[];
}

export interface ToolMessage {
  role: 'tool';
  content: string;
  tool_call_id: string;
  name?: string;
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

export interface ToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/**
 * How "thinking on/off" is spelled on the wire.
 * - `moonshot`: `thinking: {type: "enabled" | "disabled"}` (official API, most hosted proxies)
 * - `chatTemplateKwargs`: `chat_template_kwargs: {thinking: bool}` (self-hosted vLLM / SGLang)
 * - `omit`: never send it (endpoints that reject unknown fields); the server default applies.
 */
export type ThinkingDialect = 'moonshot' | 'chatTemplateKwargs' | 'omit';

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /** true/false to switch thinking; undefined leaves the server default. */
  thinking?: boolean;
  /** Always set: the rate limiter charges it, and defaults differ between docs. */
  maxTokens: number;
  stop?: string[];
  tools?: ToolSpec[];
  toolChoice?: 'auto' | 'none';
  /** Optional session id that may improve prefix-cache hits. */
  promptCacheKey?: string;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'unknown';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens?: number;
}

export type StreamEvent =
  | { kind: 'thinking'; text: string }
  | { kind: 'content'; text: string }
  | { kind: 'toolCall'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { kind: 'usage'; usage: Usage }
  | { kind: 'finish'; reason: FinishReason };

export interface ChatResult {
  content: string;
  reasoning: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage?: Usage;
}

export interface ModelInfo {
  id: string;
  /** Context window in tokens, when known. */
  contextLength?: number;
  supportsImages?: boolean;
  supportsVideo?: boolean;
  supportsReasoning?: boolean;
  /** `owned_by` from `/models` (the local simulator says `moonpilot-simulator`). */
  ownedBy?: string;
}
