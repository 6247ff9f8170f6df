/**
 * The only module that imports `openai`. Streams and completes chat requests against Kimi's
 * API (or any OpenAI-compatible endpoint serving Kimi), yielding plain typed events.
 *
 * Retries: the SDK's own retry is switched off (`maxRetries: 0`) because it would retry
 * 429 "quota exhausted" and other unsafe cases; this client retries by error kind
 * (`retryPolicy.ts`), only before the first event other than usage (`streamRetry.ts`), so no text
 * is ever duplicated.
 *
 * The SDK is loaded on the first request, not at import: evaluating it takes longer than the
 * rest of the extension's activation put together.
 *
 * Headers: the SDK would add headers of its own and from `OPENAI_*` environment variables to
 * every request; every request therefore goes through `exactHeaders` (`exactHeaders.ts`, in the
 * SDK's `prepareRequest` hook), which keeps only the SDK's content headers and the caller's
 * `headers`, with the user's key as the only `Authorization`.
 */
import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { chunkToEvents, completionToResult, ResultAccumulator } from './chunkEvents';
import { exactHeaders } from './exactHeaders';
import { errorFromResponse, errorFromTransport, KimiError } from './kimiErrors';
import type { ChatRequest, ChatResult, ModelInfo, StreamEvent, ThinkingDialect } from './kimiTypes';
import { parseModelList } from './modelCatalog';
import type { Priority, RateLimiter } from './rateLimiter';
import { RequestGuard } from './requestGuard';
import { buildWireBody, encodeWireBody, type WireBody } from './requestBody';
import type { RetryPolicy } from './retryPolicy';
import { roughTokens } from './roughTokens';
import { retryBeforeFirstEvent } from './streamRetry';
import { StreamTally } from './streamTally';

/** Where and how a `KimiClient` sends its requests. */
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
    yield* retryBeforeFirstEvent(() => this.streamOnce(req, signal), this.options, signal);
  }

  private async *streamOnce(req: ChatRequest, signal?: AbortSignal): AsyncGenerator<StreamEvent, void, undefined> {
    const release = await this.admit(req, signal);
    const body = buildWireBody(req, this.options.dialect, true);
    const guard = new RequestGuard(signal, this.firstByteTimeoutMs);
    const tally = new StreamTally(req.messages);
    try {
      this.onRequest?.(body);
      tally.sent = !guard.signal.aborted; // Aborted already: the SDK throws before sending anything.
      const stream = await this.sdk().chat.completions.create(...this.streamingPayload(body, guard.signal));
      guard.arm(this.idleTimeoutMs);
      for await (const chunk of stream) {
        guard.arm(this.idleTimeoutMs);
        for (const event of chunkToEvents(chunk)) {
          tally.add(event);
          yield event;
        }
      }
    } catch (err) {
      const error = this.toKimiError(err, guard);
      // A socket error code means nothing to the user; what happened to the answer does.
      if (tally.received && error.kind === 'network') {
        throw tally.billed(new KimiError('network', `The connection to ${this.host} broke off mid-answer; the answer so far was kept.`));
      }
      throw tally.billed(tally.received && error.kind === 'timeout' ? this.stalled() : error);
    } finally {
      guard.dispose();
      release();
    }
    if (guard.timedOut) {
      throw tally.billed(tally.received ? this.stalled() : new KimiError('timeout', `${this.host} did not answer in time.`));
    }
    if (signal?.aborted) {
      throw tally.billed(new KimiError('cancelled', 'The request was cancelled.'));
    }
    if (!tally.finished) {
      throw tally.billed(new KimiError('network', `The answer from ${this.host} was cut off before it finished.`));
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

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the endpoint';
  }
}
