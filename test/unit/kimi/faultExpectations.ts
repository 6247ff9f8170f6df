import type { ErrorAction } from '../../../src/core/chat/protocol';
import type { KimiErrorKind } from '../../../src/core/kimi/kimiErrors';

/**
 * What users meet for each case of the fault matrix (test/support/simulator/faultCatalog.ts) in chat and
 * mockup, which share the interactive client: the error kind, the HTTP attempts when every
 * attempt fails (1 + automatic retries), the actions offered, and the words they read. Shared by
 * the core-level matrix (test/unit/kimi/faultMatrix.test.ts) and the VS Code one (test/integration/resilience.test.ts).
 */
/** What the user reads, per case (the same words reach the status bar, the chat and the mockup notification). */
export const FAULT_MESSAGES: Record<string, RegExp> = {
  '401 bad key': /API key was rejected\. Set a valid key with "Moonpilot: Set API Key"/,
  '403 permission': /may not use this model or endpoint/,
  '404 unknown model': /model or endpoint was not found; check the model name against the server's \/models list/,
  '429 rate limit': /rate limit was reached\. Try again in 1 s/,
  '429 quota exhausted': /out of credit or quota/,
  '400 context too long': /longer than the model's context window/,
  '400 content filter': /content filter rejected/,
  '500 server error': /server failed \(HTTP 500\)/,
  '504 gateway timeout': /timed out \(HTTP 504\)/,
  'connection refused': /refused the connection: is the endpoint running and the base URL right\?/,
  'DNS failure': /Cannot resolve moonpilot-fault-matrix\.invalid: check your network or the Moonpilot base URL/,
  'no bytes for too long': /did not answer in time/,
  'stall mid-stream': /stopped sending for \d+ s mid-answer; the answer so far was kept/,
  'connection cut mid-stream': /broke off mid-answer; the answer so far was kept/,
  'malformed chunk': /malformed chunk; the answer so far was kept/,
  'empty choices': /cut off before it finished/,
};

export interface InteractiveExpectation {
  kind: KimiErrorKind;
  /** HTTP attempts when every attempt fails: 1 + automatic retries. */
  attempts: number;
  actions: ErrorAction[];
}

const retryable = (kind: KimiErrorKind, attempts = 2): InteractiveExpectation => ({ kind, attempts, actions: ['retry'] });
export const INTERACTIVE_EXPECTATIONS: Record<string, InteractiveExpectation> = {
  '401 bad key': { kind: 'auth', attempts: 1, actions: ['setApiKey', 'retry'] },
  '403 permission': retryable('permission', 1),
  '404 unknown model': retryable('modelNotFound', 1),
  '429 rate limit': retryable('rateLimit', 4),
  '429 quota exhausted': retryable('quotaExhausted', 1),
  // One attempt here: the shrink-and-retry-once is the chat session's (resilience.test.ts).
  '400 context too long': retryable('contextTooLong', 1),
  '400 content filter': { kind: 'contentFilter', attempts: 1, actions: [] },
  '500 server error': retryable('serverError'),
  '504 gateway timeout': retryable('timeout'),
  'connection refused': retryable('network'),
  'DNS failure': retryable('network'),
  'no bytes for too long': retryable('timeout'),
  'stall mid-stream': retryable('timeout', 1),
  'connection cut mid-stream': retryable('network', 1),
  'malformed chunk': retryable('malformedResponse', 1),
  'empty choices': retryable('network'),
};

