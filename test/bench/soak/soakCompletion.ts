import { CompletionService } from '../../../src/core/completion/completionService';
import type { ManagerEvent } from '../../../src/core/completion/requestTypes';
import { parseSettings, type Settings } from '../../../src/core/config/settings';
import type { PackedContext } from '../../../src/core/context/contextTypes';
import type { KimiClient } from '../../../src/core/kimi/kimiClient';
import type { Logger } from '../../../src/core/log/logger';
import { realClock } from '../../../src/core/platform/clock';

/** What the soak counts of the completion service's events. */
export interface CompletionOutcomes {
  ok: number;
  aborted: number;
  error: number;
  served: number;
  fromCache: number;
  skippedByLimiter: number;
}

/** The completion service and the counts of its events, updated as they pass. */
export interface SoakCompletion {
  readonly service: CompletionService<KimiClient>;
  readonly outcomes: CompletionOutcomes;
  readonly errorKinds: Record<string, number>;
  /** Peak requests in flight in the request manager. */
  managerPeak(): number;
}

/** The extension's completion service, minus VS Code (its events counted as they pass). */
export function soakCompletion(client: KimiClient, settings: Settings, context: () => PackedContext, log: Logger): SoakCompletion {
  const outcomes: CompletionOutcomes = { ok: 0, aborted: 0, error: 0, served: 0, fromCache: 0, skippedByLimiter: 0 };
  const errorKinds: Record<string, number> = {};
  let managerPeak = 0;
  const observe = (event: ManagerEvent): void => {
    if (event.kind === 'started') {
      managerPeak = Math.max(managerPeak, event.inFlight);
    } else if (event.kind === 'served') {
      outcomes.served++;
      outcomes.fromCache += event.source === 'cache' ? 1 : 0;
    } else if (event.kind === 'ended') {
      outcomes[event.outcome]++;
      if (event.outcome === 'error' && event.error) {
        errorKinds[event.error.kind] = (errorKinds[event.error.kind] ?? 0) + 1;
        // Dropped by our own limiter (no HTTP status): the service skips it silently.
        outcomes.skippedByLimiter += event.error.kind === 'rateLimit' && event.error.status === undefined ? 1 : 0;
      }
    }
  };
  const service = new CompletionService<KimiClient>({
    connection: { client: () => Promise.resolve(client) },
    settings: () => settings,
    completionSettings: parseSettings({ get: () => undefined, userValue: () => undefined }, {}).completion,
    context,
    log,
    clock: realClock,
    observe,
  });
  return { service, outcomes, errorKinds, managerPeak: () => managerPeak };
}
