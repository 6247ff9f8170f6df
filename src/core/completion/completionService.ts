/**
 * Inline completion behind the editor: the client for the current key and settings, the request
 * function (prompt, stream, cut, clean), the request manager, the back-off after failures, the
 * session's totals, the endpoint's `/models` and the "ask the editor again" policy. Pure: what it
 * needs from VS Code comes through small ports, so the fault-matrix test and the completion and
 * soak benchmarks build this same service instead of a copy of its wiring.
 */
import type { Prices, Settings } from '../config/settings';
import { pricesFor } from '../config/settings';
import type { PackedContext } from '../context/contextTypes';
import { KimiError } from '../kimi/kimiErrors';
import type { ModelInfo } from '../kimi/kimiTypes';
import { resolveModelProfile } from '../kimi/modelProfiles';
import type { Logger } from '../log/logger';
import type { Clock } from '../platform/clock';
import { CompletionBackoff, type PauseState } from './completionBackoff';
import type { CompletionTarget } from './completionPrompt';
import type { CompletionSettings } from './completionSettings';
import { CompletionTotals, describeStats, reasoningCostNote, type CompletionStats } from './completionStats';
import { createCompletionFetcher, type CompletionStreamSource, type StreamedCompletion } from './completionStream';
import type { CursorSnapshot } from './completionTypes';
import { RequestManager, type RequestManagerOptions } from './requestManager';
import type { CompletionFetcher, ManagerEvent, Suggestion } from './requestTypes';

/** Where completion gets its client, and what it learns about the endpoint's models. */
export interface CompletionConnection<C extends CompletionStreamSource> {
  /** The client for the current key and settings; rejects with a `KimiError` saying why there is none (no key, origin not approved). */
  client(): Promise<C | undefined>;
  /** The endpoint's `/models` (it wins over the profile table); undefined when unknown. */
  modelList?(client: C): Promise<readonly ModelInfo[] | undefined>;
  /** The completion model is not among the endpoint's models: the problem (the user is told by the port), else undefined. */
  checkModel?(client: C): Promise<{ message: string } | undefined>;
  /** A request answered 404 for the model: tell the user once what replaces it. */
  modelNotFound?(client: C | undefined): Promise<unknown>;
}

/** The editor, as far as asking it again is concerned. */
export interface CompletionEditor {
  /** The cursor in the active editor (no selection), or undefined. */
  cursor(): CursorSnapshot | undefined;
  /** Ask the editor for an inline completion again (VS Code asks only on the next keystroke). */
  askAgain(snapshot: CursorSnapshot): void;
}

export interface CompletionServiceDeps<C extends CompletionStreamSource> {
  connection: CompletionConnection<C>;
  /** The shared settings now (completion model, dialect, prices). */
  settings: () => Settings;
  /** The completion feature's own settings at start (`settingsChanged` replaces them). */
  completionSettings: CompletionSettings;
  /** The packed workspace context for this cursor; none when absent. A throw sends none and is logged. */
  context?: (snapshot: CursorSnapshot) => PackedContext | string;
  editor?: CompletionEditor;
  log: Logger;
  /** Time for the request manager, the back-off and the repaint when a pause ends. */
  clock: Clock;
  /** Time stamps of request statistics (default `Date.now`). */
  now?: () => number;
  /** Something the status shows changed. */
  onStatus?: () => void;
  /** A failure the user must act on (not a missing model, which the connection tells): once per reason. */
  onNotify?: (error: KimiError) => void;
  /** Sees every request manager event (tests, benchmarks). */
  observe?: (event: ManagerEvent) => void;
  /** Wraps the request function (benchmarks tag and count requests). */
  instrument?: (fetch: CompletionFetcher) => CompletionFetcher;
  /** Request manager tuning (tests). */
  manager?: Pick<RequestManagerOptions, 'maxInFlight' | 'minDelayMs' | 'maxDelayMs' | 'cacheSize' | 'orphanGraceMs' | 'maxTypedAhead'>;
}

/** What the status bar shows that the service knows. */
export interface CompletionServiceStatus {
  enabled: boolean;
  inFlight: number;
  pause: PauseState | undefined;
  lastError: string | undefined;
  lastStats: CompletionStats | undefined;
  session: { requests: number; cost: number; estimated: boolean };
  model: { label: string; reasoningNote: string | undefined };
}

/** One per extension: what inline completion does between a keystroke and Kimi, and what it counts. */
export class CompletionService<C extends CompletionStreamSource = CompletionStreamSource> {
  private config: CompletionSettings;
  private readonly backoff: CompletionBackoff;
  private readonly totals = new CompletionTotals();
  private readonly manager: RequestManager;
  private lastErrorValue: KimiError | undefined;
  private lastStats: CompletionStats | undefined;
  private repaint: unknown;
  /** One client per key/settings generation; the key is not read on every keystroke. */
  private clientPromise: Promise<C | undefined> | undefined;
  private listed: readonly ModelInfo[] | undefined;

  constructor(private readonly deps: CompletionServiceDeps<C>) {
    this.config = deps.completionSettings;
    this.backoff = new CompletionBackoff(deps.clock);
    const fetcher = createCompletionFetcher({
      client: () => this.client(),
      context: (snapshot) => this.contextFor(snapshot),
      model: () => this.target(),
      prices: () => this.prices(),
      now: deps.now ?? (() => Date.now()),
      onStreamed: (result) => logStreamed(deps.log, result),
    });
    this.manager = new RequestManager({
      ...deps.manager,
      clock: deps.clock,
      fetch: deps.instrument ? deps.instrument(fetcher) : fetcher,
      mayRequest: () => this.backoff.mayRequest(),
      onEvent: (event) => this.onEvent(event),
    });
  }

  /** The completion feature's settings now. */
  get settings(): CompletionSettings {
    return this.config;
  }

  /** The failure shown until a request succeeds again (its kind decides the actions offered). */
  get lastError(): KimiError | undefined {
    return this.lastErrorValue;
  }

  /** The suggestion for this cursor state, or undefined; never throws for a failed request. */
  complete(snapshot: CursorSnapshot, signal: AbortSignal): Promise<Suggestion | undefined> {
    return this.manager.complete(snapshot, signal);
  }

  /** The model completion uses now, with what the endpoint's `/models` says about it. */
  target(): CompletionTarget {
    const s = this.deps.settings();
    return { profile: resolveModelProfile(s.completionModel, this.listed), dialect: s.dialect };
  }

  status(): CompletionServiceStatus {
    const target = this.target();
    return {
      enabled: this.config.enabled,
      inFlight: this.manager.inFlight,
      pause: this.backoff.state,
      lastError: this.lastErrorValue?.message,
      lastStats: this.lastStats,
      session: { requests: this.totals.requests, cost: this.totals.cost, estimated: this.totals.estimated },
      model: { label: target.profile.label, reasoningNote: reasoningCostNote(target, this.prices()) },
    };
  }

  /** The key, the endpoint approval or the settings changed: a new client, and no pause. */
  resume(): void {
    this.clientPromise = undefined;
    this.backoff.resume();
    this.lastErrorValue = undefined;
    this.deps.onStatus?.();
  }

  /** The settings changed: switching off aborts what runs; cached answers are for the old model or context. */
  settingsChanged(next: CompletionSettings): void {
    if (!next.enabled && this.config.enabled) {
      this.manager.abortAll();
    }
    this.config = next;
    this.manager.clearCache();
    this.resume();
  }

  dispose(): void {
    this.manager.abortAll();
    this.deps.clock.clearTimeout(this.repaint);
  }

  private prices(): Prices | undefined {
    const s = this.deps.settings();
    return pricesFor(s, s.completionModel);
  }

  private client(): Promise<C | undefined> {
    // Rejects with why there is none (no key, origin not approved), which the status bar shows.
    this.clientPromise ??= this.deps.connection.client().then(
      (c) => {
        if (c) {
          this.lookUpModels(c);
        }
        return c;
      },
      (err: unknown) => {
        this.clientPromise = undefined;
        throw err;
      },
    );
    return this.clientPromise;
  }

  private lookUpModels(c: C): void {
    const { connection } = this.deps;
    if (connection.modelList) {
      void connection.modelList(c).then((models) => (this.listed = models));
    }
    // A model the endpoint does not list (a retired kimi-k2.5 left in settings): say so once,
    // offering the replacement, and pause instead of sending requests that would 404.
    if (connection.checkModel) {
      void connection.checkModel(c).then((problem) => {
        if (problem) {
          this.onFailure(new KimiError('modelNotFound', problem.message, 404));
        }
      });
    }
  }

  private contextFor(snapshot: CursorSnapshot): PackedContext | string {
    if (!this.deps.context) {
      return '';
    }
    try {
      return this.deps.context(snapshot);
    } catch (err) {
      this.deps.log.warn('completion', `context for ${snapshot.path} failed, sending none: ${err instanceof Error ? err.message : String(err)}`);
      return '';
    }
  }

  private onEvent(event: ManagerEvent): void {
    this.deps.observe?.(event);
    if (event.kind === 'resultReady') {
      this.askAgainIfStillAt(event.snapshot);
      return;
    }
    if (event.kind === 'billed') {
      this.totals.addBilled(event.billed, this.prices());
    }
    if (event.kind === 'ended') {
      this.totals.addRequest(event.stats, event.outcome, event.billed, this.prices());
      if (event.outcome === 'ok') {
        this.backoff.onSuccess();
        this.lastErrorValue = undefined;
        this.lastStats = event.stats ?? this.lastStats;
      } else if (event.outcome === 'error' && event.error) {
        this.onFailure(event.error);
      }
    }
    this.deps.onStatus?.();
  }

  /**
   * A result is in the cache that the editor is not showing (it stopped waiting, or showed only a
   * block's first lines): VS Code asks again only on the next keystroke, so ask now if the cache
   * has a suggestion for where the cursor is: the same place, or further on after the user typed
   * what the result begins with (the rest of a block still streaming while they typed into it).
   */
  private askAgainIfStillAt(snapshot: CursorSnapshot): void {
    const here = this.deps.editor?.cursor();
    if (here && here.docKey === snapshot.docKey && this.manager.wouldServe(here)) {
      this.deps.editor?.askAgain(here);
    }
  }

  private onFailure(error: KimiError): void {
    const { log, clock } = this.deps;
    const verdict = this.backoff.onError(error);
    if (verdict.silent) {
      log.debug('completion', `skipped: ${error.message}`);
      return;
    }
    this.lastErrorValue = error;
    const pause = verdict.pause;
    const until = pause?.until !== undefined ? `paused for ${Math.round((pause.until - clock.now()) / 1000)} s` : pause ? 'paused until the key or settings change' : 'not paused';
    log.warn('completion', `${error.kind}: ${error.message} (${until})`);
    clock.clearTimeout(this.repaint);
    if (pause?.until !== undefined) {
      // Repaint when the pause ends, so the status bar does not keep showing a stale problem.
      this.repaint = clock.setTimeout(() => this.deps.onStatus?.(), Math.max(0, pause.until - clock.now()) + 50);
    }
    if (verdict.notify && error.kind === 'modelNotFound') {
      // One message for every feature: the model, what replaces it, and the one-click switch.
      const { connection } = this.deps;
      if (connection.modelNotFound) {
        void this.client().then((c) => connection.modelNotFound?.(c));
      }
    } else if (verdict.notify) {
      this.deps.onNotify?.(error);
    }
  }
}

function logStreamed(log: Logger, result: StreamedCompletion): void {
  const how = result.cutReason ? `cut (${result.cutReason})` : 'complete';
  const shown = result.completion ? `${result.completion.text.length} chars` : 'nothing usable';
  log.debug('completion', `${how}, ${shown}; ${describeStats(result.stats).join('; ')}`);
}
