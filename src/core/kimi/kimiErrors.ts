/**
 * Every failure of a Kimi request becomes a `KimiError` of one of a few kinds, each with a
 * message meant for the user. Messages never contain the API key (see `redactSecrets`).
 */
import { redactSecrets } from '../log/redact';
import type { Usage } from './kimiTypes';

export type KimiErrorKind =
  | 'auth'
  | 'permission'
  | 'modelNotFound'
  | 'rateLimit'
  | 'quotaExhausted'
  | 'contextTooLong'
  | 'contentFilter'
  | 'badRequest'
  | 'serverError'
  | 'timeout'
  | 'network'
  | 'cancelled'
  | 'noApiKey'
  /** The key is set, but the user has not approved (or has refused) sending it to this origin. */
  | 'endpointNotApproved'
  | 'malformedResponse';

/**
 * What a request that reached the server and then broke off or was stopped is billed for: Kimi
 * bills the prompt it processed and the output it generated. `estimated` when the stream ended
 * before Kimi reported usage (prompt by the token estimator, output from what arrived).
 */
export interface BilledUsage {
  usage: Usage;
  estimated: boolean;
}

export class KimiError extends Error {
  /** Set by the client when the failed request reached the server (see `BilledUsage`). */
  billed?: BilledUsage;

  constructor(
    readonly kind: KimiErrorKind,
    message: string,
    readonly status?: number,
    /** For `rateLimit`: how long the server asked us to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'KimiError';
  }

  /** Type guard, optionally for one kind: `KimiError.is(e, 'auth')`. */
  static is(value: unknown, kind?: KimiErrorKind): value is KimiError {
    return value instanceof KimiError && (kind === undefined || value.kind === kind);
  }
}

/** Kinds worth retrying automatically (bounded by the caller). Never auth or quota. */
export function isRetryable(kind: KimiErrorKind): boolean {
  return kind === 'rateLimit' || kind === 'serverError' || kind === 'network' || kind === 'timeout';
}

/** Parses Kimi's "... try again after 3 seconds" (also ms / minutes); undefined when absent. */
export function parseRetryAfterMs(message: string): number | undefined {
  const m = /after\s+(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)\b/i.exec(message);
  if (!m) {
    return undefined;
  }
  const value = Number(m[1]);
  const unit = m[2].toLowerCase();
  if (unit.startsWith('ms') || unit.startsWith('milli')) {
    return Math.round(value);
  }
  if (unit.startsWith('m')) {
    return Math.round(value * 60_000);
  }
  return Math.round(value * 1000);
}

interface ErrorBody {
  message: string;
  type: string;
}

function readErrorBody(body: unknown): ErrorBody {
  const root = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const inner = (root.error && typeof root.error === 'object' ? root.error : root) as Record<string, unknown>;
  return {
    message: typeof inner.message === 'string' ? inner.message : typeof root.error === 'string' ? root.error : '',
    type: typeof inner.type === 'string' ? inner.type : typeof inner.code === 'string' ? inner.code : '',
  };
}

const CONTEXT_TOO_LONG = /exceeded model token limit|input token length too long|context length|maximum context|too many tokens/i;

/** Maps an HTTP status and Kimi's `{error:{message,type}}` body to a KimiError. */
export function errorFromResponse(status: number, body: unknown, secrets: readonly string[] = []): KimiError {
  const { message: rawMessage, type } = readErrorBody(body);
  const detail = redactSecrets(rawMessage, secrets).slice(0, 500);
  const suffix = detail ? ` (${detail})` : '';
  if (status === 401 || type === 'invalid_authentication_error' || type === 'incorrect_api_key_error') {
    return new KimiError('auth', `The API key was rejected. Set a valid key with "Moonpilot: Set API Key".${suffix}`, status);
  }
  if (status === 429 && (type === 'exceeded_current_quota_error' || /quota|balance|insufficient/i.test(rawMessage))) {
    return new KimiError('quotaExhausted', `Your Kimi account is out of credit or quota; requests will fail until it is topped up.${suffix}`, status);
  }
  if (status === 429) {
    const wait = parseRetryAfterMs(rawMessage);
    const when = wait !== undefined ? ` Try again in ${Math.ceil(wait / 1000)} s.` : '';
    return new KimiError('rateLimit', `Kimi's rate limit was reached.${when}${suffix}`, status, wait);
  }
  if (status === 403) {
    return new KimiError('permission', `This key may not use this model or endpoint.${suffix}`, status);
  }
  if (status === 404) {
    return new KimiError('modelNotFound', `The model or endpoint was not found; check the model name against the server's /models list.${suffix}`, status);
  }
  if (type === 'content_filter' || /high risk|content filter/i.test(rawMessage)) {
    return new KimiError('contentFilter', `Kimi's content filter rejected the request or its answer.${suffix}`, status);
  }
  if ((status === 400 || status === 413) && CONTEXT_TOO_LONG.test(rawMessage)) {
    return new KimiError('contextTooLong', `The request is longer than the model's context window.${suffix}`, status);
  }
  if (status === 408 || status === 504) {
    return new KimiError('timeout', `The server timed out (HTTP ${status}).${suffix}`, status);
  }
  if (status >= 500) {
    return new KimiError('serverError', `Kimi's server failed (HTTP ${status}).${suffix}`, status);
  }
  return new KimiError('badRequest', `The server rejected the request (HTTP ${status}).${suffix}`, status);
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function findCode(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== 'object' || depth > 4) {
    return undefined;
  }
  const e = err as { code?: unknown; cause?: unknown; errno?: unknown };
  if (typeof e.code === 'string') {
    return e.code;
  }
  return findCode(e.cause, depth + 1);
}

/** Maps a thrown transport-level error (no HTTP response) to a KimiError. */
export function errorFromTransport(err: unknown, host: string, secrets: readonly string[] = []): KimiError {
  if (KimiError.is(err)) {
    return err;
  }
  const code = findCode(err);
  const name = err instanceof Error ? err.name : '';
  if (name === 'AbortError' || name === 'APIUserAbortError') {
    return new KimiError('cancelled', 'The request was cancelled.');
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new KimiError('network', `Cannot resolve ${host}: check your network or the Moonpilot base URL.`);
  }
  if (code === 'ECONNREFUSED') {
    return new KimiError('network', `${host} refused the connection: is the endpoint running and the base URL right?`);
  }
  if (name === 'APIConnectionTimeoutError' || /timed? ?out/i.test(String((err as Error)?.message))) {
    return new KimiError('timeout', `${host} did not answer in time.`);
  }
  if ((code && NETWORK_CODES.has(code)) || name === 'APIConnectionError' || name === 'TypeError') {
    const detail = redactSecrets(err instanceof Error ? err.message : String(err), secrets).slice(0, 200);
    return new KimiError('network', `The connection to ${host} failed (${code ?? detail}).`);
  }
  const detail = redactSecrets(err instanceof Error ? err.message : String(err), secrets).slice(0, 300);
  return new KimiError('malformedResponse', `Unexpected failure talking to ${host}: ${detail}`);
}
