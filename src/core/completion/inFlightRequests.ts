/**
 * The completion requests running now, for the request manager: a request still in flight is
 * reused when the user types what it is producing (its first complete lines served while the rest
 * streams); requests the document has moved past are aborted, which closes their connections;
 * never more than `maxInFlight` run at once, the oldest giving way; one nobody waits for any more
 * is kept briefly for the next keystroke, then aborted. Finished results go to the cache.
 */
import { KimiError } from '../kimi/kimiErrors';
import type { Clock } from '../platform/clock';
import type { CompletionCache } from './completionCache';
import { billedUsageOf } from './completionStats';
import type { CursorSnapshot } from './completionTypes';
import { fitAfterTyping, relate, type Relation } from './cursorRelation';
import type { CompletionFetcher, FetchResult, ManagerEvent, Suggestion } from './requestTypes';
import type { TypingPause } from './typingPause';

export interface InFlightRequestsOptions {
  clock: Clock;
  fetch: CompletionFetcher;
  maxInFlight: number;
  /** A request nobody waits for any more is aborted after this long unless someone attaches. */
  orphanGraceMs: number;
  /** How far the user may type ahead of what a request has produced and still wait for it. */
  maxTypedAhead: number;
  /** False while requests should not be sent (offline, bad key). */
  mayRequest?: () => boolean;
  onEvent?: (event: ManagerEvent) => void;
  /** Where finished results go. */
  cache: CompletionCache;
  /** Told whether requests were used, which sets the pause before the next one. */
  pause: TypingPause;
}

type FollowOutcome = { kind: 'result'; result: FetchResult | undefined; partial?: boolean } | { kind: 'diverged' } | { kind: 'cancelled' };

interface Follower {
  relation: Relation;
  settle: (outcome: FollowOutcome) => void;
}

/** True when the first lines streamed so far already make a suggestion for this follower. */
function partialServes(partial: FetchResult | undefined, relation: Relation): partial is FetchResult {
  const completion = partial?.completion;
  return completion !== undefined && completion.text.startsWith(relation.typed) && fitAfterTyping(completion, relation) !== undefined;
}

/** One request in flight and the cursor states waiting for it. */
export interface Job {
  id: number;
  snapshot: CursorSnapshot;
  controller: AbortController;
  produced: string;
  /** The complete lines of a multi-line completion still streaming, once worth showing. */
  partial: FetchResult | undefined;
  /** True once those first lines were shown to someone. */
  servedPartial: boolean;
  followers: Set<Follower>;
  settled: boolean;
  served: boolean;
  orphanTimer: unknown;
}

/** The in-flight slots: start, reuse, follow and abort completion requests. */
export class InFlightRequests {
  private readonly jobs: Job[] = [];
  private nextId = 1;

  constructor(private readonly options: InFlightRequestsOptions) {}

  /** Requests running now. */
  get count(): number {
    return this.jobs.length;
  }

  /** Aborts everything (e.g. completion switched off). */
  abortAll(): void {
    for (const job of [...this.jobs]) {
      this.abort(job);
    }
  }

  /** How the cursor state relates to an earlier one: the text typed since, or undefined when unrelated. */
  private typedSince(earlier: { docKey: string; prefix: string; suffix: string }, now: CursorSnapshot): string | undefined {
    return relate(earlier, now)?.typed;
  }

  /** Whether a request's output so far can still turn into what the user typed. */
  private stillPossible(produced: string, typed: string): boolean {
    return produced.startsWith(typed) || (typed.startsWith(produced) && typed.length - produced.length <= this.options.maxTypedAhead);
  }

  /** A request in flight that can still serve this cursor state, if any. */
  compatibleJob(snapshot: CursorSnapshot): Job | undefined {
    return this.jobs.find((job) => {
      const typed = this.typedSince(job.snapshot, snapshot);
      return typed !== undefined && this.stillPossible(job.produced, typed);
    });
  }

  /** The document moved on: requests that cannot serve this cursor state any more are aborted. */
  abortStale(snapshot: CursorSnapshot): void {
    for (const job of [...this.jobs]) {
      const typed = this.typedSince(job.snapshot, snapshot);
      if (typed === undefined || !this.stillPossible(job.produced, typed)) {
        this.abort(job);
      }
    }
  }

  /** Starts a request for this cursor state (the oldest gives way when all slots are taken); undefined when requests may not be sent. */
  start(snapshot: CursorSnapshot): Job | undefined {
    if (this.options.mayRequest && !this.options.mayRequest()) {
      return undefined;
    }
    this.abortStale(snapshot);
    while (this.jobs.length >= this.options.maxInFlight) {
      this.abort(this.jobs[0]);
    }
    const job: Job = { id: this.nextId++, snapshot, controller: new AbortController(), produced: '', partial: undefined, servedPartial: false, followers: new Set(), settled: false, served: false, orphanTimer: undefined };
    this.jobs.push(job);
    this.options.onEvent?.({ kind: 'started', inFlight: this.jobs.length });
    const onText = (text: string, partial?: FetchResult): void => {
      job.produced = text;
      if (partial) {
        job.partial = partial;
      }
      for (const follower of [...job.followers]) {
        if (!this.stillPossible(text, follower.relation.typed)) {
          follower.settle({ kind: 'diverged' });
        } else if (partialServes(partial, follower.relation)) {
          // Show the first lines now; the request goes on and its whole block lands in the cache.
          job.servedPartial = true;
          follower.settle({ kind: 'result', result: partial, partial: true });
        }
      }
    };
    void this.options.fetch(snapshot, job.controller.signal, onText).then(
      (result) => this.finish(job, result, undefined),
      (err: unknown) => this.finish(job, undefined, KimiError.is(err) ? err : new KimiError('malformedResponse', err instanceof Error ? err.message : String(err))),
    );
    return job;
  }

  private finish(job: Job, result: FetchResult | undefined, error: KimiError | undefined): void {
    if (job.settled) {
      // Aborted earlier; now the stream has closed and its cost is known (or estimated).
      const stats = result?.stats;
      const billed = error?.billed ?? (stats ? billedUsageOf(stats) : undefined);
      if (billed) {
        this.options.onEvent?.({ kind: 'billed', billed });
      }
      return;
    }
    job.settled = true;
    this.options.clock.clearTimeout(job.orphanTimer);
    this.remove(job);
    const aborted = job.controller.signal.aborted || KimiError.is(error, 'cancelled');
    const outcome = error ? (aborted ? 'aborted' : 'error') : 'ok';
    if (outcome === 'ok') {
      this.options.cache.remember(job.snapshot, result);
    }
    // An aborted or failed request the server got is still billed: its usage (or estimate) goes along.
    this.options.onEvent?.({ kind: 'ended', inFlight: this.jobs.length, outcome, error: outcome === 'error' ? error : undefined, stats: result?.stats, billed: error?.billed });
    for (const follower of [...job.followers]) {
      follower.settle({ kind: 'result', result: outcome === 'ok' ? result : undefined });
    }
    const text = outcome === 'ok' ? result?.completion?.text : undefined;
    const unseen = text !== undefined && (job.servedPartial ? text.length > (job.partial?.completion?.text.length ?? 0) : !job.served && job.followers.size === 0);
    if (unseen) {
      this.options.onEvent?.({ kind: 'resultReady', snapshot: job.snapshot });
    }
    if (outcome === 'ok' && !job.served) {
      this.options.pause.requestUnused(); // Nobody used it: wait a little longer next time.
    }
  }

  private abort(job: Job): void {
    if (job.settled) {
      return;
    }
    job.controller.abort();
    // Settle now rather than when the fetch notices: the slot is free at once.
    this.finish(job, undefined, new KimiError('cancelled', 'Superseded by newer typing.'));
    if (!job.served) {
      this.options.pause.requestUnused();
    }
  }

  private remove(job: Job): void {
    const i = this.jobs.indexOf(job);
    if (i >= 0) {
      this.jobs.splice(i, 1);
    }
  }

  /** Waits for the job on behalf of one cursor state. */
  async follow(job: Job, snapshot: CursorSnapshot, signal: AbortSignal): Promise<Suggestion | undefined | 'diverged'> {
    const relation = relate(job.snapshot, snapshot) ?? { typed: '', inserted: '' };
    const typed = relation.typed;
    let settle: (outcome: FollowOutcome) => void = () => undefined;
    const outcome = new Promise<FollowOutcome>((resolve) => {
      settle = resolve;
    });
    const follower: Follower = { relation, settle };
    const onAbort = (): void => settle({ kind: 'cancelled' });
    job.followers.add(follower);
    this.options.clock.clearTimeout(job.orphanTimer);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) {
      onAbort();
    } else if (partialServes(job.partial, relation)) {
      job.servedPartial = true;
      settle({ kind: 'result', result: job.partial, partial: true });
    }
    const done = await outcome;
    signal.removeEventListener('abort', onAbort);
    job.followers.delete(follower);
    if (done.kind === 'diverged') {
      if (job.followers.size === 0) {
        this.abort(job);
      }
      return 'diverged';
    }
    if (done.kind === 'cancelled') {
      if (job.followers.size === 0 && !job.settled) {
        // Keep it briefly: the next keystroke may still want it.
        job.orphanTimer = this.options.clock.setTimeout(() => this.abort(job), this.options.orphanGraceMs);
      }
      return undefined;
    }
    const completion = done.result?.completion;
    if (!completion) {
      return undefined;
    }
    if (!completion.text.startsWith(typed)) {
      return 'diverged';
    }
    const fitted = fitAfterTyping(completion, relation);
    if (!fitted) {
      return undefined;
    }
    job.served = true;
    this.options.pause.requestUsed();
    const suggestion: Suggestion = { ...fitted, source: typed === '' && job.snapshot === snapshot ? 'network' : 'inflight', stats: done.result?.stats, tag: done.result?.tag };
    this.options.onEvent?.({ kind: 'served', source: suggestion.source });
    return suggestion;
  }
}
