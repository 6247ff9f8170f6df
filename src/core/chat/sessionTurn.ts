import { pricesFor } from '../config/settings';
import { KimiError } from '../kimi/kimiErrors';
import type { KimiClient } from '../kimi/kimiClient';
import { alwaysReasons } from '../kimi/modelProfiles';
import type { Clock } from '../platform/clock';
import type { ChatSessionDeps } from './chatSessionPorts';
import type { ChatSessionState } from './chatSessionState';
import { captureWorkspaceContext, maxTokensFor, runTurnLoop } from './chatTurnLoop';
import type { HostToWebview } from './protocol';
import type { ChatTurn } from './transcriptTypes';
import { turnErrorView } from './turnErrors';

/** What a turn needs of the session that runs it: its ports, its state, and where changes go. */
export interface SessionTurnInput {
  deps: ChatSessionDeps;
  data: ChatSessionState;
  clock: Clock;
  turn: ChatTurn;
  signal: AbortSignal;
  emit: (message: HostToWebview) => void;
  emitTurn: (turn: ChatTurn) => void;
  emitSession: () => void;
}

/**
 * One turn as the chat session runs it: the client and the model it goes to (never a model the
 * endpoint does not list), the effort, the workspace context on the first message, then the turn
 * loop. Never throws: a stop leaves the turn `stopped`, a failure leaves it `error` with the view
 * of the error (a 404 for the model names what replaces it).
 */
export async function runSessionTurn(input: SessionTurnInput): Promise<void> {
  const { deps, data, turn, signal } = input;
  const { log, connection } = deps;
  let sent: { client: KimiClient; model: string } | undefined;
  try {
    deps.beforeTurn?.();
    // Throws why there is no client (no key, origin not approved); Stop cancels a pending question.
    const client = await connection.client('chat', { signal });
    data.listed = await connection.modelList(client, signal);
    const model = data.model;
    sent = { client, model };
    if (model === connection.settingsNow.chatModel) {
      // Never send a model the endpoint does not list (a retired kimi-k2.5 left in settings):
      // the user is told once what replaces it, with the one-click switch.
      const problem = await connection.migration.check('chat.model', client);
      if (problem) {
        sent = undefined; // already told
        throw new KimiError('modelNotFound', problem.message, 404);
      }
    }
    const profile = data.profile(model);
    const reasoningEffort = data.effortFor(profile);
    data.contextWindow = profile.contextLength;
    if (alwaysReasons(profile)) {
      turn.thinking = true; // it reasons whatever the switch says: show it as thinking
    }
    const maxTokens = maxTokensFor(reasoningEffort, turn.thinking);
    await captureWorkspaceContext(data.transcript, { ...deps, now: () => input.clock.now() }, maxTokens, signal);
    await runTurnLoop({
      transcript: () => data.transcript,
      turn,
      client,
      model,
      reasoningEffort,
      maxTokens,
      contextWindow: data.contextWindow,
      tools: deps.tools,
      log,
      signal,
      prices: () => pricesFor(connection.settingsNow, model),
      isCurrent: () => data.isCurrent(turn),
      conversationTokens: (tokens) => (data.conversationTokens = tokens),
      delta: (part, text) => {
        if (data.isCurrent(turn)) {
          // Not persisted per delta: the turn is written when it starts and when it settles.
          input.emit({ type: 'delta', turnId: turn.id, part, text });
        }
      },
      turnChanged: () => input.emitTurn(turn),
      sessionChanged: () => input.emitSession(),
    });
  } catch (err) {
    if (signal.aborted || KimiError.is(err, 'cancelled')) {
      turn.status = 'stopped';
    } else {
      turn.status = 'error';
      if (KimiError.is(err, 'modelNotFound') && sent) {
        // A 404 for the model: one message naming it and what replaces it, with the switch.
        const problem = await connection.migration.notFound('chat.model', sent.client, sent.model);
        err = new KimiError('modelNotFound', problem.message, 404);
      }
      turn.error = turnErrorView(err);
      log.warn('chat', `turn failed: ${turn.error.kind}: ${turn.error.message}`);
    }
  }
}
