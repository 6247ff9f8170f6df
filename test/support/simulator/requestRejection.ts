import { kimiErrors } from './kimiErrorReplies';
import type { HttpErrorReply } from './types';

/** Thrown inside validation; carries the HTTP reply. */
export class Rejection extends Error {
  constructor(readonly reply: HttpErrorReply) {
    super(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  }
}

/** A 400 `invalid_request_error` with Kimi's wording (or ours where Kimi's is unknown), to throw. */
export function invalid(message: string): Rejection {
  return new Rejection(kimiErrors.invalidRequest(message));
}
