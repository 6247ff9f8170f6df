/**
 * Types shared by the Kimi simulator's modules and by tests that script it.
 * Wire shapes follow ../shared/notes/kimi-api.md and the recordings in ../shared/data/sse.
 */

/**
 * Which server the simulator imitates:
 * - `official`: Moonshot's API (api.moonshot.ai): `thinking` / `reasoning_effort`, partial mode as
 *   `partial: true` on the last assistant message, Kimi's error bodies;
 * - `vllm`: a self-hosted vLLM / SGLang server: partial mode as `continue_final_message: true` with
 *   `add_generation_prompt: false`, thinking through `chat_template_kwargs: {thinking}`, free
 *   sampling, vLLM's error bodies.
 */
export type SimFlavor = 'official' | 'vllm';

/** A JSON object as parsed from a request body. */
export type JsonObject = Record<string, unknown>;

/** One request as the simulator saw it, including rejected ones. Mutable fields change while it is served. */
export interface RecordedRequest {
  /** 1-based arrival number within this simulator (not reset by `reset()`). */
  readonly id: number;
  readonly method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  readonly path: string;
  /** Request headers with lower-cased names (repeated headers joined with `, `). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body parsed as JSON when it is a JSON object, else undefined. */
  readonly body: JsonObject | undefined;
  /** The raw body text (empty when the body was over the size limit). */
  readonly rawBody: string;
  /** Size of the body in bytes as received. */
  readonly bodyBytes: number;
  /** `Date.now()` when the body had been read. */
  readonly time: number;
  /** HTTP status sent, once the head is written. */
  status: number | undefined;
  /** True once the whole response was written and flushed. */
  completed: boolean;
  /** True when the client closed the connection before the response ended. */
  closedByClient: boolean;
  /** True when the simulator cut the connection on purpose (a `cut` fault). */
  cutByServer: boolean;
  /** `Date.now()` when the response closed (any way), else undefined. */
  closedAt: number | undefined;
  /**
   * On a model that `recordsReasoningReplay` (K3), once the request passed validation: true when
   * every earlier assistant message carried a non-empty `reasoning_content`, false when one did
   * not, undefined when there was no earlier assistant message (or another model, or rejected).
   */
  reasoningReplayed: boolean | undefined;
}

/** Token usage exactly as Kimi reports it; the cached fields only appear when > 0. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cached_tokens?: number;
  completion_tokens_details?: { reasoning_tokens: number };
  prompt_tokens_details?: { cached_tokens: number };
}

/**
 * How a model's thinking is controlled on the wire (../shared/notes/kimi-api.md, December 2026):
 * - `switch`: `thinking: {type: "enabled" | "disabled"}`, default enabled (kimi-k2.6, kimi-k2.5);
 * - `always`: always thinks, `thinking: {type: "disabled"}` is refused (kimi-k2.7-code);
 * - `effort`: always reasons, top-level `reasoning_effort` levels, no `thinking` field (kimi-k3);
 * - `none`: no reasoning at all (older or unknown models).
 */
export type ThinkingControl = 'switch' | 'always' | 'effort' | 'none';

/**
 * Fixed sampling: the only values a model accepts (any other value is a 400). Temperatures are
 * written as Kimi's error message writes them: `"1"` on K3, `"1.0"` / `"0.6"` on K2.x.
 */
export interface FixedSampling {
  /** Temperature with thinking on. */
  thinkingTemperature: string;
  /** Temperature with thinking off (models that can switch it off). */
  instantTemperature?: string;
}

/** A model as the simulator serves it from `GET /v1/models` and enforces on requests. */
export interface SimModel {
  id: string;
  contextLength: number;
  supportsReasoning: boolean;
  supportsImageIn: boolean;
  supportsVideoIn: boolean;
  /** How thinking is controlled; default `always` when `alwaysThinks`, else `switch` or `none` from `supportsReasoning`. */
  thinkingControl?: ThinkingControl;
  /** Shorthand for `thinkingControl: 'always'` (kept for model lists written before it). */
  alwaysThinks?: boolean;
  /** `reasoning_effort` levels of an `effort` model; default `low`, `high`, `max`. */
  reasoningEfforts?: readonly string[];
  /** Effort when the request names none; default the last of `reasoningEfforts` (`max`). */
  defaultEffort?: string;
  /**
   * Fixed sampling (temperature, top_p 0.95, n 1, penalties 0); `true` means K2.x's 1.0 / 0.6.
   * Absent: the pre-K2.5 rule (temperature in [0, 1]).
   */
  fixedSampling?: boolean | FixedSampling;
  /** Output limit applied when the request sets none; it counts against the window. Default none. */
  defaultMaxTokens?: number;
  /**
   * Earlier reasoning should be replayed (K3, K3.1): the request log records whether each request
   * did (`RecordedRequest.reasoningReplayed`) instead of rejecting it, as Moonshot only warns.
   */
  recordsReasoningReplay?: boolean;
  /** Unix seconds for `created`; default a fixed date. */
  created?: number;
}

/** A tool call the scripted model makes. */
export interface ScriptedToolCall {
  /** Opaque id; default `<name>_<index>` like Kimi (`get_weather_0`). */
  id?: string;
  name: string;
  /** Arguments as a JSON string sent verbatim, or an object to JSON-encode. */
  arguments: string | JsonObject;
}

/** A canned HTTP error: status plus a body (JSON object, or text sent as-is). */
export interface HttpErrorReply {
  status: number;
  body: JsonObject | string;
  /** Content type for a text body; default `text/plain`. JSON bodies are always `application/json`. */
  contentType?: string;
}

/** Faults that change how a stream is delivered. */
export type StreamFault =
  /** Stop sending after K chunks and keep the socket open (until the client or `close()` ends it). */
  | { kind: 'stall'; afterChunks: number }
  /** `socket.destroy()` after K chunks. */
  | { kind: 'cut'; afterChunks: number }
  /** After K chunks send `data: {not json` and then the rest of the stream. */
  | { kind: 'malformed'; afterChunks: number }
  /** An SSE stream whose chunks all have `choices: []` (no content, no finish_reason). */
  | { kind: 'emptyChoices' };

/** Everything `injectFault` accepts. */
export type Fault =
  /** Reply with this status and body instead of a completion (see `kimiErrors`). */
  | ({ kind: 'http' } & HttpErrorReply)
  /** Wait this long before the first byte, then answer normally. */
  | { kind: 'latency'; ms: number }
  | StreamFault;

/** How a scripted (or default) reply is produced. All fields optional. */
export interface ScriptedReply {
  /** Reasoning text; only sent when thinking is on for the request (as on Kimi). */
  reasoning?: string;
  /** Answer text (in partial mode: the continuation only). */
  content?: string;
  /**
   * End after the reasoning with no content at all (finish_reason `stop`), as K3 and other
   * always-thinking models are reported to do in partial mode. Overrides `content` / `chunks`.
   */
  endAfterReasoning?: boolean;
  toolCalls?: ScriptedToolCall[];
  /** Characters per streamed delta (default: the simulator's `chunkSize`, 8). */
  chunkSize?: number;
  /** Explicit content deltas (joined they are the content; overrides `content`). */
  chunks?: string[];
  /** Explicit reasoning deltas (overrides `reasoning`). */
  reasoningChunks?: string[];
  /** Delay before the first byte of the response. */
  firstByteDelayMs?: number;
  /** Delay between streamed chunks. */
  chunkDelayMs?: number;
  /** finish_reason when the reply is not cut by `max_tokens`/`stop`; default `stop` or `tool_calls`. */
  finishReason?: string;
  /** Fields merged over the computed usage; `null` sends no usage at all. */
  usage?: Partial<Usage> | null;
  /**
   * Name of a recording in ../shared/data/sse to serve verbatim (e.g. `moonshotai-usage-live.chunks.txt`,
   * or `kimi-2026/kimi-k3-live-2026-08-24.json` one folder down).
   */
  replay?: string;
  /** Answer with this HTTP status and `error` body instead of a completion. */
  status?: number;
  error?: JsonObject | string;
  /** A stream fault (or latency / http fault) for this reply. */
  fault?: Fault;
}

/** A scripted handler: return a reply to answer the request, or undefined to pass it on. */
export type ScriptHandler = (req: RecordedRequest) => ScriptedReply | undefined;

/** Limits how often a script or fault applies. */
export interface TimesOption {
  /** How many requests it answers; default unlimited for scripts, 1 for faults. */
  times?: number;
}
