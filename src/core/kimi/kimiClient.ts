/**
 * The only module that imports `openai`. Streams and completes chat requests against Kimi's
 * API (or any OpenAI-compatible endpoint serving Kimi), yielding plain typed events.
 *
 * Retries: the SDK's own retry is switched off (`maxRetries: 0`) because it would retry
 * 429 "quota exhausted" and other unsafe cases; this client retries by error kind
 * (`retryPolicy.ts`), only before the first event other than usage, so no text is ever duplicated.
 *
 * The SDK is loaded on the first request, not at import: evaluating it takes longer than the
 * rest of the extension's activation put together.
 *
 * Headers: the SDK reads `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`, `OPENAI_ADMIN_KEY` and
 * `OPENAI_CUSTOM_HEADERS` from the environment and would add them to every request (an
 * `Authorization:` line there replaces the user's Kimi key), plus its own `X-Stainless-*` platform
 * headers. Every request therefore goes through `exactHeaders` (in the SDK's `prepareRequest` hook),
 * which keeps only the headers listed below and the caller's `headers`, with the user's key as the
 * only `Authorization`.
 */
import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { estimateMessagesTokens, estimateTokens } from '../context/tokenEstimate';
import { chunkToEvents, completionToResult, ResultAccumulator } from './chunkEvents';
import { errorFromResponse, errorFromTransport, KimiError } from './kimiErrors';
import type { ChatRequest, ChatResult, ModelInfo, StreamEvent, ThinkingDialect, Usage } from './kimiTypes';
import { parseModelList } from './modelCatalog';
import type { Priority, RateLimiter } from './rateLimiter';
import { buildWireBody, encodeWireBody, type WireBody } from './requestBody';
import { retryDelayMs, type RetryPolicy } from './retryPolicy';

export interface KimiClientOptions {
  baseUrl: string;
  apiKey: string;
  dialect: ThinkingDialect;
  /** Give up when no byte arrives for this long after sending (ms). */
  firstByteTimeoutMs?: number;
  /** Give up when a stream stalls for this long between chunks (ms). */
  idleTimeoutMs?: number;
  /** Extra headers (e.g. OpenRouter's HTTP-Referer). Never logged. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** Shared per-account limiter; requests wait (interactive) or are dropped (background). */
  limiter?: RateLimiter;
  priority?: Priority;
  /** Retries before the first event only; `false` for work that goes stale (completions). */
  retry?: RetryPolicy | false;
  /** Told about each retry (for the log and status bar). */
  onRetry?: (error: KimiError, delayMs: number) => void;
}

/** Called with each request body just before it is sent (for diagnostics and benchmarks). */
export type RequestObserver = (body: Record<string, unknown>) => void;

type OpenAIModule = typeof import('openai');

/** The SDK-made headers Moonpilot sends; every other header the SDK would add is dropped. */
const SDK_HEADERS_SENT: readonly string[] = ['content-type', 'accept', 'user-agent'];

/**
 * The headers a request carries: exactly the SDK's `SDK_HEADERS_SENT`, the caller's extra
 * headers, and `Authorization: Bearer <apiKey>` (set last, so nothing else can replace it).
 */
export function exactHeaders(fromSdk: HeadersInit | undefined, apiKey: string, extra: Readonly<Record<string, string>> = {}): Headers {
  const given = new Headers(fromSdk);
  const headers = new Headers();
  for (const name of SDK_HEADERS_SENT) {
    const value = given.get(name);
    if (value !== null) {
      headers.set(name, value);
    }
  }
  for (const [name, value] of Object.entries(extra)) {
    headers.set(name, value);
  }
  headers.set('authorization', `Bearer ${apiKey}`);
  return headers;
}

let sdkModule: OpenAIModule | undefined;

/** Loads the `openai` module once, on first use (the extension bundle maps it to dist/openai.js). */
function loadSdk(): OpenAIModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy
  sdkModule ??= require('openai') as OpenAIModule;
  return sdkModule;
}

/**
 * Loads the SDK now (call it when the extension host is idle, after activation), so the first
 * request, often a completion on the keystroke path, does not pay for parsing it.
 */
export function preloadKimiSdk(): void {
  try {
    loadSdk();
  } catch {
    // The first request loads it again and reports the failure where the user sees it.
  }
}

export class KimiClient {
  private sdkInstance: OpenAI | undefined;
  private readonly host: string;
  private readonly firstByteTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  onRequest: RequestObserver | undefined;

  constructor(private readonly options: KimiClientOptions) {
    this.host = safeHost(options.baseUrl);
    this.firstByteTimeoutMs = options.firstByteTimeoutMs ?? 60_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  }

  /** The SDK client, created on the first request. */
  private sdk(): OpenAI {
    if (this.sdkInstance) {
      return this.sdkInstance;
    }
    const { OpenAI } = loadSdk();
    const { apiKey, headers } = this.options;
    /** The SDK's hook just before each request is sent: the place to set exactly our headers. */
    class ExactHeadersClient extends OpenAI {
      protected override async prepareRequest(request: RequestInit): Promise<void> {
        request.headers = exactHeaders(request.headers, apiKey, headers);
      }
    }
    this.sdkInstance = new ExactHeadersClient({
      apiKey: this.options.apiKey,
      baseURL: this.options.baseUrl.replace(/\/+$/, ''),
      // Explicit nulls: otherwise the SDK takes these from OPENAI_* environment variables.
      organization: null,
      project: null,
      adminAPIKey: null,
      webhookSecret: null,
      maxRetries: 0,
      timeout: this.firstByteTimeoutMs,
      fetch: this.options.fetch,
      logLevel: 'off',
    });
    return this.sdkInstance;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /**
   * Streams a chat completion. Breaking out of the loop, or aborting `signal`, aborts the
   * HTTP request, which closes the connection. Throws `KimiError` on failure; a stream that
   * ends without a finish reason counts as cut (`network`), so partial text is never taken
   * for a whole answer. Retryable failures before the first event are retried (bounded).
   */
  async *stream(req: ChatRequest, signal?: AbortSignal): AsyncGenerator<StreamEvent, void, undefined> {
    for (let attempt = 0; ; attempt++) {
      let emitted = false;
      try {
        for await (const event of this.streamOnce(req, signal)) {
          // Usage alone shows the user nothing: a stream that brought only usage (Kimi's
          // `choices: []` chunks) may still be retried without duplicating any text.
          emitted ||= event.kind !== 'usage';
          yield event;
        }
        return;
      } catch (err) {
        const error = err as KimiError;
        const delay = !emitted && this.options.retry !== false && !signal?.aborted ? retryDelayMs(error, attempt, this.options.retry) : undefined;
        if (delay === undefined) {
          throw error;
        }
        this.options.onRetry?.(error, delay);
        await sleep(delay, signal);
      }
    }
  }

  private async *streamOnce(req: ChatRequest, signal?: AbortSignal): AsyncGenerator<StreamEvent, void, undefined> {
    const release = await this.admit(req, signal);
    const body = buildWireBody(req, this.options.dialect, true);
    const guard = new RequestGuard(signal, this.firstByteTimeoutMs);
    let finished = false;
    let received = false;
    let sent = false;
    let usage: Usage | undefined;
    let output = '';
    /** Marks a failure of a request the server got with what it is billed for (issue 15). */
    const billed = (error: KimiError): KimiError => {
      if (sent && error.status === undefined) {
        error.billed = usage
          ? { usage, estimated: false }
          : { usage: { promptTokens: estimateMessagesTokens(req.messages), cachedTokens: 0, completionTokens: estimateTokens(output) }, estimated: true };
      }
      return error;
    };
    try {
      this.onRequest?.(body);
      sent = !guard.signal.aborted; // Aborted already: the SDK throws before sending anything.
      const stream = await this.sdk().chat.completions.create(...this.streamingPayload(body, guard.signal));
      guard.arm(this.idleTimeoutMs);
      for await (const chunk of stream) {
        guard.arm(this.idleTimeoutMs);
        for (const event of chunkToEvents(chunk)) {
          if (event.kind === 'finish') {
            finished = true;
          } else if (event.kind === 'usage') {
            usage = event.usage;
          } else if (event.kind === 'content' || event.kind === 'thinking') {
            output += event.text;
          } else {
            output += event.argumentsDelta;
          }
          received ||= event.kind !== 'usage';
          yield event;
        }
      }
    } catch (err) {
      const error = this.toKimiError(err, guard);
      // A socket error code means nothing to the user; what happened to the answer does.
      if (received && error.kind === 'network') {
        throw billed(new KimiError('network', `The connection to ${this.host} broke off mid-answer; the answer so far was kept.`));
      }
      throw billed(received && error.kind === 'timeout' ? this.stalled() : error);
    } finally {
      guard.dispose();
      release();
    }
    if (guard.timedOut) {
      throw billed(received ? this.stalled() : new KimiError('timeout', `${this.host} did not answer in time.`));
    }
    if (signal?.aborted) {
      throw billed(new KimiError('cancelled', 'The request was cancelled.'));
    }
    if (!finished) {
      throw billed(new KimiError('network', `The answer from ${this.host} was cut off before it finished.`));
    }
  }

  /**
   * What the SDK is handed for a streaming request. A body with a frozen message (a completion
   * prompt's reused context, up to 1 MB) goes as bytes encoded once per message (requestBody.ts);
   * the SDK sends typed arrays verbatim and reads `stream` on the body to parse the answer as a
   * stream. Anything else goes as the object, for the SDK to serialize.
   */
  private streamingPayload(body: WireBody, signal: AbortSignal): [ChatCompletionCreateParamsStreaming, { signal: AbortSignal; headers?: Record<string, string> }] {
    if (!(body.messages as object[]).some((m) => Object.isFrozen(m))) {
      return [body as unknown as ChatCompletionCreateParamsStreaming, { signal }];
    }
    const bytes = Object.assign(encodeWireBody(body), { stream: true as const });
    return [bytes as unknown as ChatCompletionCreateParamsStreaming, { signal, headers: { 'content-type': 'application/json' } }];
  }

  /** The idle timeout after part of the answer arrived. */
  private stalled(): KimiError {
    return new KimiError('timeout', `${this.host} stopped sending for ${Math.round(this.idleTimeoutMs / 1000)} s mid-answer; the answer so far was kept.`);
  }

  /** Waits for (or is refused) a slot in the shared rate limiter. */
  private async admit(req: ChatRequest, signal?: AbortSignal): Promise<() => void> {
    if (!this.options.limiter) {
      return () => undefined;
    }
    return this.options.limiter.acquire(roughTokens(req) + req.maxTokens, this.options.priority ?? 'interactive', signal);
  }

  /** Streams and folds the events into one result (convenience for non-UI callers). */
  async streamToResult(req: ChatRequest, signal?: AbortSignal, onEvent?: (e: StreamEvent) => void): Promise<ChatResult> {
    const acc = new ResultAccumulator();
    for await (const event of this.stream(req, signal)) {
      acc.add(event);
      onEvent?.(event);
    }
    return acc.result();
  }

  /** A non-streaming chat completion. */
  async complete(req: ChatRequest, signal?: AbortSignal): Promise<ChatResult> {
    const release = await this.admit(req, signal);
    const body = buildWireBody(req, this.options.dialect, false);
    const guard = new RequestGuard(signal, this.firstByteTimeoutMs);
    try {
      this.onRequest?.(body);
      const response = await this.sdk().chat.completions.create(body as unknown as ChatCompletionCreateParamsNonStreaming, { signal: guard.signal });
      return completionToResult(response);
    } catch (err) {
      throw this.toKimiError(err, guard);
    } finally {
      guard.dispose();
      release();
    }
  }

  /**
   * `GET /models` with capabilities. Resolves `undefined` when the endpoint does not offer
   * the list (404/405, as on some proxies); throws `KimiError` for auth and network failures.
   */
  async listModels(signal?: AbortSignal): Promise<ModelInfo[] | undefined> {
    const guard = new RequestGuard(signal, this.firstByteTimeoutMs);
    try {
      const page = await this.sdk().models.list({ signal: guard.signal });
      return parseModelList({ data: page.data });
    } catch (err) {
      const mapped = this.toKimiError(err, guard);
      if (mapped.status === 404 || mapped.status === 405) {
        return undefined;
      }
      throw mapped;
    } finally {
      guard.dispose();
    }
  }

  private toKimiError(err: unknown, guard: RequestGuard): KimiError {
    if (KimiError.is(err)) {
      return err;
    }
    if (guard.timedOut) {
      return new KimiError('timeout', `${this.host} did not answer in time.`);
    }
    if (guard.cancelled) {
      return new KimiError('cancelled', 'The request was cancelled.');
    }
    // The SDK's errors exist only once it is loaded, and only it throws them.
    const OpenAI = sdkModule?.OpenAI;
    if (OpenAI && err instanceof OpenAI.APIError && typeof err.status === 'number') {
      return errorFromResponse(err.status, { error: err.error }, [this.options.apiKey]);
    }
    if (OpenAI && err instanceof OpenAI.APIError && err.error) {
      // An error object inside the stream (`data: {"error": ...}`).
      return errorFromResponse(500, { error: err.error }, [this.options.apiKey]);
    }
    if (OpenAI && err instanceof OpenAI.APIConnectionTimeoutError) {
      return new KimiError('timeout', `${this.host} did not answer in time.`);
    }
    if (OpenAI && err instanceof OpenAI.APIConnectionError) {
      const mapped = errorFromTransport(err.cause ?? err, this.host, [this.options.apiKey]);
      return mapped.kind === 'malformedResponse' ? new KimiError('network', `The connection to ${this.host} failed.`) : mapped;
    }
    if (err instanceof SyntaxError) {
      return new KimiError('malformedResponse', `${this.host} sent a malformed chunk; the answer so far was kept.`);
    }
    return errorFromTransport(err, this.host, [this.options.apiKey]);
  }
}

/** Links the caller's signal to the request and adds first-byte and idle timeouts. */
class RequestGuard {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  timedOut = false;
  cancelled = false;
  private readonly onAbort = (): void => {
    this.cancelled = true;
    this.controller.abort();
  };

  constructor(private readonly outer: AbortSignal | undefined, firstByteMs: number) {
    if (outer?.aborted) {
      this.onAbort();
    } else {
      outer?.addEventListener('abort', this.onAbort, { once: true });
    }
    this.arm(firstByteMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  arm(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, ms);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onAbort);
    // Closes the connection if the consumer stopped early; a no-op after a complete response.
    this.controller.abort();
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the endpoint';
  }
}

/** A cheap upper-bound token estimate for the limiter (about 3 characters a token). */
function roughTokens(req: ChatRequest): number {
  let chars = 0;
  for (const m of req.messages) {
    if (typeof m.content === 'string') {
      chars += m.content.length;
    } else {
      for (const part of m.content) {
        chars += part.type === 'text' ? part.text.length : 1_000 * 3;
      }
    }
  }
  return Math.ceil(chars / 3);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new KimiError('cancelled', 'The request was cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
