import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveChatCompletion } from './chatCompletions';
import { requireModel } from './chatValidation';
import { kimiErrors, vllmErrorReply } from './kimiErrorReplies';
import { PrefixCache, type PrefixCacheOptions } from './prefixCache';
import { parseJsonObject, readBody } from './requestBody';
import { RequestLog } from './requestLog';
import { Rejection } from './requestRejection';
import { writeError, writeJson, type Delivery } from './responseWriter';
import { requestText, ScriptBook, type FaultOptions } from './scriptBook';
import { DEFAULT_MODELS, modelListEntry, vllmModelListEntry } from './simModels';
import { promptTokens } from './tokenEstimate';
import type { Fault, HttpErrorReply, JsonObject, RecordedRequest, ScriptedReply, ScriptHandler, SimFlavor, SimModel, TimesOption } from './types';

export interface SimulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** The accepted API key; default `sk-sim-test-key`. */
  apiKey?: string;
  /** Accept any non-empty bearer key. */
  acceptAnyKey?: boolean;
  /**
   * Replaces the default model list (the official lineup of December 2026: kimi-k3,
   * kimi-k2.7-code, kimi-k2.7-code-highspeed, kimi-k2.6; see simModels.ts for K3.1 Pro and
   * other hosts' models).
   */
  models?: readonly SimModel[];
  /** Which server to imitate: Moonshot's API (default) or a self-hosted vLLM / SGLang one. */
  flavor?: SimFlavor;
  /**
   * Share of partial-mode requests to an always-reasoning model (K3, K2.7 Code) whose default
   * (unscripted) reply ends after the reasoning with no content; default 1 in 8
   * (`DEFAULT_EMPTY_CONTINUATION_RATE`). 0 never, 1 always. Scripts use `endAfterReasoning`.
   */
  emptyContinuationRate?: number;
  /** false: `GET /v1/models` answers 404, like proxies without it. Default true. */
  modelsEndpoint?: boolean;
  /** Request body limit (Kimi: 100 MB); bigger bodies get 413. */
  maxBodyBytes?: number;
  prefixCache?: PrefixCacheOptions;
  /** Default characters per streamed delta; default 8. */
  chunkSize?: number;
  /** Called once per finished response, e.g. for the CLI's log. */
  onResponse?: (req: RecordedRequest) => void;
}

export const DEFAULT_API_KEY = 'sk-sim-test-key';
const KIMI_MAX_BODY_BYTES = 100 * 1024 * 1024;
const CHAT_PATH = '/v1/chat/completions';

/** Starts a Kimi API simulator on 127.0.0.1. Call `close()` when done. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<KimiSimulator> {
  const sim = new KimiSimulator(options);
  await sim.listen(options.port ?? 0);
  return sim;
}

/**
 * A real HTTP server that behaves like Kimi's API (see ../shared/notes/kimi-api.md): chat
 * completions (JSON and SSE, thinking, partial mode, prefix-cache usage), `/v1/models`, the
 * token-count estimate, Kimi's validation and error bodies, scripted replies, faults and replays
 * of the recorded streams. Every request is recorded in `requests`. With `flavor: 'vllm'` it
 * imitates a self-hosted vLLM / SGLang server instead (see `SimFlavor`).
 */
export class KimiSimulator {
  readonly apiKey: string;
  readonly prefixCache: PrefixCache;
  private readonly log = new RequestLog();
  private readonly server: Server;
  private readonly book = new ScriptBook();
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly options: SimulatorOptions = {}) {
    this.apiKey = options.apiKey ?? DEFAULT_API_KEY;
    this.prefixCache = new PrefixCache(options.prefixCache);
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Every request so far (including rejected ones), oldest first. */
  get requests(): readonly RecordedRequest[] {
    return this.log.requests;
  }

  /** The server imitated: `official` (Moonshot) unless `flavor: 'vllm'`. */
  get flavor(): SimFlavor {
    return this.options.flavor ?? 'official';
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** e.g. `http://127.0.0.1:8787/v1`: what goes in `moonpilot.baseUrl` / the OpenAI client's baseURL. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /** Adds a handler; handlers are tried in registration order. Returns a function removing it. */
  script(handler: ScriptHandler, options: TimesOption = {}): () => void {
    return this.book.script(handler, options);
  }

  /** Answers every chat completion (or the next `times`) with `reply`. */
  reply(reply: ScriptedReply, options: TimesOption = {}): () => void {
    return this.book.script(() => reply, options);
  }

  /** Answers chat completions whose message text contains `marker`. */
  onMarker(marker: string, reply: ScriptedReply, options: TimesOption = {}): () => void {
    return this.book.script((req) => (requestText(req).includes(marker) ? reply : undefined), options);
  }

  /** Serves a recording from ../shared/data/sse verbatim to chat completions (or the next `times`). */
  replay(name: string, options: TimesOption = {}): () => void {
    return this.reply({ replay: name }, options);
  }

  /** The next `times` (default 1) matching requests (default: chat completions) get this fault. */
  injectFault(fault: Fault, options: FaultOptions = {}): () => void {
    return this.book.injectFault(fault, options);
  }

  /** See `RequestLog.waitForRequest`: first recorded or future request matching `pred`. */
  waitForRequest(pred?: (req: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest> {
    return this.log.waitForRequest(pred, timeoutMs);
  }

  /** Resolves once the response to `req` closed; then check `req.closedByClient` / `req.completed`. */
  waitForClose(req: RecordedRequest, timeoutMs?: number): Promise<RecordedRequest> {
    return this.log.waitForClose(req, timeoutMs);
  }

  /** Forgets scripts, faults, recorded requests and the prefix cache. */
  reset(): void {
    this.book.clear();
    this.log.clear();
    this.prefixCache.clear();
  }

  /** Stops the server, ending open (e.g. stalled) connections. */
  async close(): Promise<void> {
    for (const controller of this.inFlight) {
      controller.abort();
    }
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    res.on('close', () => {
      controller.abort();
      this.inFlight.delete(controller);
    });
    const limit = this.options.maxBodyBytes ?? KIMI_MAX_BODY_BYTES;
    const { text, bytes } = await readBody(req, limit);
    const path = (req.url ?? '/').split('?')[0];
    const record = this.log.record({ req, res, path, body: parseJsonObject(text), rawBody: text ?? '', bodyBytes: bytes });
    res.on('close', () => this.options.onResponse?.(record));
    try {
      await this.route(record, res, controller.signal, text === undefined ? limit : undefined);
    } catch (e) {
      if (!res.headersSent) {
        await writeError(res, e instanceof Rejection ? this.errorReply(e.reply) : kimiErrors.serverError());
      } else {
        res.destroy();
      }
    }
  }

  private async route(record: RecordedRequest, res: ServerResponse, signal: AbortSignal, overLimit?: number): Promise<void> {
    if (!this.authorized(record)) {
      // vLLM's `--api-key` check answers a bare `{"error": "Unauthorized"}`.
      await writeError(res, this.flavor === 'vllm' ? { status: 401, body: { error: 'Unauthorized' } } : kimiErrors.invalidAuthentication());
      return;
    }
    if (overLimit !== undefined) {
      await writeError(res, kimiErrors.bodyTooLarge(overLimit));
      return;
    }
    const key = `${record.method} ${record.path}`;
    const onCut = (): void => {
      record.cutByServer = true;
    };
    if (key === `POST ${CHAT_PATH}`) {
      await serveChatCompletion({
        record,
        res,
        signal,
        onCut,
        models: this.models(),
        flavor: this.flavor,
        emptyContinuationRate: this.options.emptyContinuationRate,
        errorReply: (reply) => this.errorReply(reply),
        cache: this.prefixCache,
        chunkSize: this.options.chunkSize ?? 8,
        findReply: (r) => this.book.findReply(r),
        takeFault: (r) => this.book.takeFault(r),
      });
      return;
    }
    const fault = this.book.takeFault(record);
    const simpleDelivery: Delivery = {
      firstByteDelayMs: fault?.kind === 'latency' ? fault.ms : 0,
      chunkDelayMs: 0,
      fault: fault?.kind === 'stall' || fault?.kind === 'cut' || fault?.kind === 'malformed' ? fault : undefined,
      signal,
      onCut,
    };
    if (fault?.kind === 'http') {
      await writeError(res, fault, simpleDelivery);
    } else if (key === 'GET /v1/models' && this.options.modelsEndpoint !== false) {
      const body = { object: 'list', data: this.models().map(this.flavor === 'vllm' ? vllmModelListEntry : modelListEntry) };
      await writeJson(res, 200, JSON.stringify(body), simpleDelivery);
    } else if (key === 'POST /v1/tokenizers/estimate-token-count') {
      const body = { data: { total_tokens: this.estimateTokens(record.body) } };
      await writeJson(res, 200, JSON.stringify(body), simpleDelivery);
    } else if (key === 'GET /v1/models') {
      await writeError(res, { status: 404, body: '404 page not found' });
    } else {
      await writeError(res, kimiErrors.notFound(record.path));
    }
  }

  private estimateTokens(body: JsonObject | undefined): number {
    requireModel(body?.model, this.models());
    const messages = body?.messages;
    if (!Array.isArray(messages) || messages.length === 0) {
      throw new Rejection(kimiErrors.invalidRequest('Invalid request: messages must not be empty'));
    }
    return promptTokens(messages);
  }

  private authorized(record: RecordedRequest): boolean {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(record.headers.authorization ?? '');
    if (!match) {
      return false;
    }
    return this.options.acceptAnyKey === true || match[1] === this.apiKey;
  }

  private models(): readonly SimModel[] {
    return this.options.models ?? DEFAULT_MODELS;
  }

  /** A validation rejection in the imitated server's words. */
  private errorReply(reply: HttpErrorReply): HttpErrorReply {
    return this.flavor === 'vllm' ? vllmErrorReply(reply) : reply;
  }
}
