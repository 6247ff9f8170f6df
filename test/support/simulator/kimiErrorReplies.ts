import type { HttpErrorReply } from './types';

/**
 * Kimi's error replies, `{"error":{"message","type"}}` with the status and wording of Moonshot's
 * error table (../shared/notes/kimi-api.md). Each returns an `HttpErrorReply`, so a test can write
 * `sim.injectFault({ kind: 'http', ...kimiErrors.rateLimit(3) })`.
 */
export const kimiErrors = {
  invalidAuthentication: (): HttpErrorReply => error(401, 'Invalid Authentication', 'invalid_authentication_error'),
  incorrectApiKey: (): HttpErrorReply => error(401, 'Incorrect API key provided', 'incorrect_api_key_error'),
  permissionDenied: (): HttpErrorReply =>
    error(403, 'The API you are accessing is not open', 'permission_denied_error'),
  modelNotFound: (model: string): HttpErrorReply =>
    error(404, `Not found the model ${model} or Permission denied`, 'resource_not_found_error'),
  notFound: (path: string): HttpErrorReply => error(404, `Not found: ${path}`, 'resource_not_found_error'),
  /** 429 with the wait in the text, as Kimi does (no Retry-After header). */
  rateLimit: (seconds = 3): HttpErrorReply =>
    error(
      429,
      `Your account org-sim<ak-sim> request reached organization max RPM: 3, please try again after ${seconds} seconds`,
      'rate_limit_reached_error',
    ),
  engineOverloaded: (): HttpErrorReply =>
    error(429, 'The engine is currently overloaded, please try again later', 'engine_overloaded_error'),
  quotaExceeded: (): HttpErrorReply =>
    error(
      429,
      'You exceeded your current token quota: <org-sim> 0, please check your account balance',
      'exceeded_current_quota_error',
    ),
  contextTooLong: (contextLength: number): HttpErrorReply =>
    error(400, `Your request exceeded model token limit : ${contextLength}`, 'invalid_request_error'),
  inputTooLong: (): HttpErrorReply => error(400, 'Input token length too long', 'invalid_request_error'),
  contentFilter: (): HttpErrorReply =>
    error(400, 'The request was rejected because it was considered high risk', 'content_filter'),
  invalidRequest: (message: string): HttpErrorReply => error(400, message, 'invalid_request_error'),
  bodyTooLarge: (limitBytes: number): HttpErrorReply =>
    error(413, `Request body too large: the limit is ${limitBytes} bytes`, 'invalid_request_error'),
  serverError: (): HttpErrorReply => error(500, 'Failed to create completion', 'server_error'),
  unexpectedOutput: (): HttpErrorReply => error(500, 'invalid state transition', 'unexpected_output'),
  /** 504 from the gateway: an HTML page, not JSON (clients must cope with non-JSON error bodies). */
  gatewayTimeout: (): HttpErrorReply => ({
    status: 504,
    body: '<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center></body></html>',
    contentType: 'text/html',
  }),
};

function error(status: number, message: string, type: string): HttpErrorReply {
  return { status, body: { error: { message, type } } };
}

const VLLM_ERROR_TYPES: Readonly<Record<number, string>> = { 400: 'BadRequestError', 404: 'NotFoundError', 413: 'BadRequestError' };

/**
 * The same rejection as a vLLM / SGLang server words it:
 * `{"error":{"message","type":"BadRequestError","param":null,"code":400}}`, and an unknown model
 * as "The model `x` does not exist." (type NotFoundError, 404). Text bodies pass unchanged.
 */
export function vllmErrorReply(reply: HttpErrorReply): HttpErrorReply {
  const inner = typeof reply.body === 'object' ? reply.body.error : undefined;
  if (typeof inner !== 'object' || inner === null || !('message' in inner) || typeof inner.message !== 'string') {
    return reply;
  }
  const unknownModel = /^Not found the model (.*) or Permission denied$/.exec(inner.message);
  const message = unknownModel ? `The model \`${unknownModel[1]}\` does not exist.` : inner.message;
  const type = VLLM_ERROR_TYPES[reply.status] ?? 'InternalServerError';
  return { status: reply.status, body: { error: { message, type, param: null, code: reply.status } } };
}
