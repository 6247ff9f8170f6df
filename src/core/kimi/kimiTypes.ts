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
  /**
   * Kimi partial mode: the reply continues this content. Only valid on the last message. Sent as
   * vLLM/SGLang understand it under the `chatTemplateKwargs` dialect (requestBody.ts).
   */
  partial?: boolean;
  /** Replayed per the model's profile: K3 every turn, K2.x tool-call turns (requestBody.ts). */
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

/** Values of K3's top-level `reasoning_effort` (the model profiles say which models take it). */
export const REASONING_EFFORTS = ['low', 'high', 'max'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /**
   * true/false to switch thinking where the model can (K2.6); undefined leaves the server default.
   * On a model that always reasons, `false` asks for its lowest effort instead (requestBody.ts).
   */
  thinking?: boolean;
  /** How hard an effort-controlled model (K3) reasons; its profile's default when unset. */
  reasoningEffort?: ReasoningEffort;
  /**
   * The output limit (sent under the profile's parameter name). Always set: the rate limiter
   * charges it, K3 defaults to 131,072, and reasoning counts against it.
   */
  maxTokens: number;
  stop?: string[];
  tools?: ToolSpec[];
  /** `required` is sent only where the profile allows it (K3), else `auto`. */
  toolChoice?: 'auto' | 'none' | 'required';
  /** Optional session id that may improve prefix-cache hits. */
  promptCacheKey?: string;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'unknown';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  /** Part of `completionTokens` (billed as output). */
  reasoningTokens?: number;
  /** `usage.cache_write_tokens` where a host reports cache writes (billed at its own price). */
  cacheWriteTokens?: number;
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
