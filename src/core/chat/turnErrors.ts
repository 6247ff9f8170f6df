/**
 * How a failed turn is shown: the error's user message and the actions that help. The user's
 * text stays in the turn, so Retry resends it; rate limits say when Retry may go.
 */
import { KimiError } from '../kimi/kimiErrors';
import type { ErrorAction, TurnErrorView } from './protocol';

/** Error kinds where trying again cannot help until the user changes something. */
const NO_RETRY = new Set(['contentFilter']);

export function turnErrorView(error: unknown, now: number = Date.now()): TurnErrorView {
  if (!KimiError.is(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'unknown', message: `Something went wrong: ${message}`, actions: ['retry'] };
  }
  const actions: ErrorAction[] = [];
  if (error.kind === 'auth' || error.kind === 'noApiKey') {
    actions.push('setApiKey');
  }
  if (!NO_RETRY.has(error.kind)) {
    actions.push('retry');
  }
  const view: TurnErrorView = { kind: error.kind, message: error.message, actions };
  if (error.kind === 'rateLimit') {
    view.retryAt = now + (error.retryAfterMs ?? 5_000);
  }
  return view;
}
