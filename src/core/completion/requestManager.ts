/**
 * Decides, keystroke by keystroke, whether a completion needs a request at all:
 * 1. a client cache keyed on the text before and after the cursor answers at once when the
 *    user retypes, backspaces, or types what was suggested (the rest is still valid);
 * 2. a request still in flight is reused when the user types what it is producing;
 * 3. otherwise a short delay, adapted to the user's typing rhythm, lets a burst of keystrokes
 *    pass before one request starts.
 * Requests the document has moved past are aborted (closing their connections); never more
 * than `maxInFlight` run at once. Time and the request itself are injected, so the unit tests
 * drive it deterministically without sleeping.
 */
import type { Clock } from '../platform/clock';
import { KimiError, type BilledUsage } from '../kimi/kimiErrors';
import type { CleanCompletion } from './completionTypes';
import { lineIsComplete } from './completionPrompt';
import type { CompletionStats } from './completionStats';
import type { CursorSnapshot } from './completionTypes';

export interface FetchResult {
  completion: CleanCompletion | undefined;
  stats?: CompletionStats;
  /** Anything the fetcher wants to see again on the suggestions it produced (diagnostics, benchmark). */
  tag?: unknown;
}

/**
 * Runs one request; calls `onText` with the text produced so far, and with `partial` when the
 * complete lines so far already make a completion worth showing (multi-line, still streaming).
 * Rejects with KimiError.
 */
export type CompletionFetcher = (snapshot: CursorSnapshot, signal: AbortSignal, onText: (textSoFar: string, partial?: FetchResult) => void) => Promise<FetchResult>;

export type SuggestionSource = 'cache' | 'inflight' | 'network';

export interface Suggestion extends CleanCompletion {
  source: SuggestionSource;
  /** Stats of the request that produced it. */
  stats?: CompletionStats;
  /** The producing request's `FetchResult.tag`. */
  tag?: unknown;
}

export type ManagerEvent =
  | { kind: 'started'; inFlight: number }
  | { kind: 'ended'; inFlight: number; outcome: 'ok' | 'aborted' | 'error'; error?: KimiError; stats?: CompletionStats; billed?: BilledUsage }
  /**
   * What a request aborted as stale was billed for, once its stream has closed (after its
   * `ended`, which came at the abort): Kimi bills the prompt it received, aborted or not.
   */
  | { kind: 'billed'; billed: BilledUsage }
  | { kind: 'served'; source: SuggestionSource }
  /**
   * A result arrived (now in the cache) that nobody is showing whole: the editor stopped waiting
   * for it (VS Code cancels a provider call on any edit, auto-indent included), or only the
   * block's first lines were shown. The editor should ask again if it is still at `snapshot`,
   * or the suggestion appears only after the next keystroke.
   */
  | { kind: 'resultReady'; snapshot: CursorSnapshot };

export interface RequestManagerOptions {
  clock: Clock;
  fetch: CompletionFetcher;
  maxInFlight?: number;
  /**
   * Bounds of the pause before a request: the user's typical gap between keystrokes times a
   * factor that grows while requests go unused (typed past, wrong) and shrinks while they are
   * shown. The upper bound is where that backing-off stops: 450 ms. In the completion benchmark
   * (`npm run bench -- completion`, 1,400 keystrokes) 300 ms wasted 21 % of the output tokens on
   * answers typed past, 450 ms 12 % (600 ms: no better), for 2 points fewer keystrokes with a
   * suggestion (51.6 → 49.6 %) and 10 % lower cost.
   */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Cached completions kept (least recently used dropped). */
  cacheSize?: number;
  /** A request nobody waits for any more is aborted after this long unless someone attaches. */
  orphanGraceMs?: number;
  /** How far the user may type ahead of what a request has produced and still wait for it. */
  maxTypedAhead?: number;
  /** False while requests should not be sent (offline, bad key); cached answers still work. */
  mayRequest?: () => boolean;
  onEvent?: (event: ManagerEvent) => void;
}

interface CacheEntry {
  docKey: string;
  prefix: string;
  suffix: string;
  text: string;
  overwrite: number;
  stats?: CompletionStats;
  tag?: unknown;
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

interface Job {
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

export class RequestManager {
  private readonly jobs: Job[] = [];
  private readonly cache: CacheEntry[] = [];
  private nextId = 1;
  private lastKeyAt: number | undefined;
  private typingGapMs = 150;
  private factor = 1.2;
  private readonly maxInFlight: number;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly cacheSize: number;
  private readonly orphanGraceMs: number;
  private readonly maxTypedAhead: number;

  constructor(private readonly options: RequestManagerOptions) {
    this.maxInFlight = options.maxInFlight ?? 2;
    this.minDelayMs = options.minDelayMs ?? 40;
    this.maxDelayMs = options.maxDelayMs ?? 450;
    this.cacheSize = options.cacheSize ?? 64;
    this.orphanGraceMs = options.orphanGraceMs ?? 300;
    this.maxTypedAhead = options.maxTypedAhead ?? 16;
  }

  /** Requests running now. */
  get inFlight(): number {
    return this.jobs.length;
  }

  /** The delay the next keystroke would wait before a request (ms). */
  get currentDelayMs(): number {
    return Math.round(Math.min(this.maxDelayMs, Math.max(this.minDelayMs, this.typingGapMs * this.factor)));
  }

  /**
   * The suggestion for this cursor state, or undefined (nothing useful, cancelled, or failed:
   * failures are reported through `onEvent`, never thrown).
   */
  async complete(snapshot: CursorSnapshot, signal: AbortSignal): Promise<Suggestion | undefined> {
    this.observeKeystroke();
    if (lineIsComplete(snapshot)) {
      return undefined; // the end of a line opening a block already written: nothing to ask for
    }
    // Two rounds at most: when what a request produced turns out not to be what the user typed,
    // one fresh request (after the same pause rule) replaces it.
    for (let round = 0; round < 2 && !signal.aborted; round++) {
      const cached = this.lookup(snapshot);
      this.abortStale(snapshot);
      if (cached) {
        return this.serve(cached.text === '' ? undefined : { ...cached, source: 'cache' });
      }
      let job = this.compatibleJob(snapshot);
      if (!job) {
        if (!snapshot.explicit && !(await this.waitForPause(signal))) {
          return undefined;
        }
        const late = this.lookup(snapshot);
        if (late) {
          return this.serve(late.text === '' ? undefined : { ...late, source: 'cache' });
        }
        job = this.compatibleJob(snapshot) ?? this.start(snapshot);
        if (!job) {
          return undefined;
        }
      }
      const outcome = await this.follow(job, snapshot, signal);
      if (outcome !== 'diverged') {
        return outcome;
      }
    }
    return undefined;
  }

  /**
   * Whether the cache holds a suggestion for this cursor state (read-only: no keystroke is
   * counted, nothing is reordered). The editor asks this on `resultReady` before asking again.
   */
  wouldServe(snapshot: CursorSnapshot): boolean {
    const hit = this.find(snapshot);
    return hit !== undefined && hit.fitted.text !== '';
  }

  /** Aborts everything (e.g. completion switched off). */
  abortAll(): void {
    for (const job of [...this.jobs]) {
      this.abort(job);
    }
  }

  /** Forgets cached completions (e.g. after a model or context change). */
  clearCache(): void {
    this.cache.length = 0;
  }

  private observeKeystroke(): void {
    const now = this.options.clock.now();
    if (this.lastKeyAt !== undefined) {
      const gap = now - this.lastKeyAt;
      if (gap < 1_500) {
        this.typingGapMs = 0.7 * this.typingGapMs + 0.3 * gap;
      }
    }
    this.lastKeyAt = now;
  }

  private serve(suggestion: Suggestion | undefined): Suggestion | undefined {
    if (suggestion) {
      this.options.onEvent?.({ kind: 'served', source: suggestion.source });
    }
    return suggestion;
  }

  /** How the cursor state relates to an earlier one: the text typed since, or undefined when unrelated. */
  private typedSince(earlier: { docKey: string; prefix: string; suffix: string }, now: CursorSnapshot): string | undefined {
    return relate(earlier, now)?.typed;
  }

  private lookup(snapshot: CursorSnapshot): Omit<Suggestion, 'source'> | undefined {
    const hit = this.find(snapshot);
    if (!hit) {
      return undefined;
    }
    const entry = this.cache[hit.index];
    this.cache.splice(hit.index, 1);
    this.cache.push(entry); // most recently used last
    return { ...hit.fitted, stats: entry.stats, tag: entry.tag };
  }

  private find(snapshot: CursorSnapshot): { index: number; fitted: CleanCompletion } | undefined {
    for (let i = this.cache.length - 1; i >= 0; i--) {
      const entry = this.cache[i];
      const typedLength = snapshot.prefix.length - entry.prefix.length;
      // Cheap tests first; the full comparison of prefix and suffix only for a likely hit.
      if (typedLength < 0 || typedLength > entry.text.length || (typedLength > 0 && typedLength === entry.text.length) || entry.docKey !== snapshot.docKey) {
        continue;
      }
      if (!entry.text.startsWith(snapshot.prefix.slice(entry.prefix.length))) {
        continue;
      }
      const relation = relate(entry, snapshot);
      const unchanged = relation !== undefined && relation.typed === '' && relation.inserted === '';
      // An empty entry is a remembered "nothing to suggest here" for exactly this state.
      const fitted = entry.text === '' ? (unchanged ? { text: '', overwrite: 0 } : undefined) : relation && fitAfterTyping(entry, relation);
      if (fitted) {
        return { index: i, fitted };
      }
    }
    return undefined;
  }

  private remember(snapshot: CursorSnapshot, result: FetchResult | undefined): void {
    const text = result?.completion?.text ?? '';
    this.cache.push({ docKey: snapshot.docKey, prefix: snapshot.prefix, suffix: snapshot.suffix, text, overwrite: result?.completion?.overwrite ?? 0, stats: result?.stats, tag: result?.tag });
    if (this.cache.length > this.cacheSize) {
      this.cache.shift();
    }
  }

  /** Whether a request's output so far can still turn into what the user typed. */
  private stillPossible(produced: string, typed: string): boolean {
    return produced.startsWith(typed) || (typed.startsWith(produced) && typed.length - produced.length <= this.maxTypedAhead);
  }

  private compatibleJob(snapshot: CursorSnapshot): Job | undefined {
    return this.jobs.find((job) => {
      const typed = this.typedSince(job.snapshot, snapshot);
      return typed !== undefined && this.stillPossible(job.produced, typed);
    });
  }

  /** The document moved on: requests that cannot serve this cursor state any more are aborted. */
  private abortStale(snapshot: CursorSnapshot): void {
    for (const job of [...this.jobs]) {
      const typed = this.typedSince(job.snapshot, snapshot);
      if (typed === undefined || !this.stillPossible(job.produced, typed)) {
        this.abort(job);
      }
    }
  }

  private start(snapshot: CursorSnapshot): Job | undefined {
    if (this.options.mayRequest && !this.options.mayRequest()) {
      return undefined;
    }
    this.abortStale(snapshot);
    while (this.jobs.length >= this.maxInFlight) {
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
      const billed = error?.billed ?? (stats ? { usage: { promptTokens: stats.promptTokens, cachedTokens: stats.cachedTokens, completionTokens: stats.outputTokens }, estimated: stats.estimated } : undefined);
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
      this.remember(job.snapshot, result);
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
      this.factor = Math.min(2, this.factor + 0.1); // Nobody used it: wait a little longer next time.
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
      this.factor = Math.min(2, this.factor + 0.1);
    }
  }

  private remove(job: Job): void {
    const i = this.jobs.indexOf(job);
    if (i >= 0) {
      this.jobs.splice(i, 1);
    }
  }

  /** Waits for the job on behalf of one cursor state. */
  private async follow(job: Job, snapshot: CursorSnapshot, signal: AbortSignal): Promise<Suggestion | undefined | 'diverged'> {
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
        job.orphanTimer = this.options.clock.setTimeout(() => this.abort(job), this.orphanGraceMs);
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
    this.factor = Math.max(1, this.factor - 0.05);
    return this.serve({ ...fitted, source: typed === '' && job.snapshot === snapshot ? 'network' : 'inflight', stats: done.result?.stats, tag: done.result?.tag });
  }

  /** Resolves true once the user has not typed for the current delay; false when cancelled first. */
  private waitForPause(signal: AbortSignal): Promise<boolean> {
    const since = this.lastKeyAt === undefined ? 0 : this.options.clock.now() - this.lastKeyAt;
    return this.sleep(Math.max(0, this.currentDelayMs - since), signal);
  }

  private sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) {
      return Promise.resolve(false);
    }
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.options.clock.clearTimeout(timer);
        resolve(false);
      };
      const timer = this.options.clock.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** Closers and quotes an editor inserts by itself after the cursor (`(` → `()`). */
const AUTO_CLOSED = /^[)\]}'"`]{1,3}$/;

interface Relation {
  /** Text typed at the cursor since the earlier state. */
  typed: string;
  /** Closers the editor auto-inserted after the cursor meanwhile (`(` typed → `)` inserted). */
  inserted: string;
}

/**
 * How a cursor state follows from an earlier one in the same document: the user typed `typed` at
 * the cursor, and the editor may have auto-closed a bracket or quote after it. Undefined when the
 * states are unrelated (another place, another document, text deleted).
 */
export function relate(earlier: { docKey: string; prefix: string; suffix: string }, now: { docKey: string; prefix: string; suffix: string }): Relation | undefined {
  if (earlier.docKey !== now.docKey || now.prefix.length < earlier.prefix.length || !now.prefix.startsWith(earlier.prefix)) {
    return undefined;
  }
  const typed = now.prefix.slice(earlier.prefix.length);
  if (now.suffix === earlier.suffix) {
    return { typed, inserted: '' };
  }
  for (let k = 1; k <= 3 && k <= typed.length; k++) {
    const inserted = now.suffix.slice(0, k);
    const rest = now.suffix.slice(k);
    // The suffix window may have lost or gained its last line: one must start the other.
    const same = rest.length <= earlier.suffix.length ? earlier.suffix.startsWith(rest) && earlier.suffix.length - rest.length < 4_096 : rest.startsWith(earlier.suffix) && rest.length - earlier.suffix.length < 4_096;
    if (AUTO_CLOSED.test(inserted) && same) {
      return { typed, inserted };
    }
  }
  return undefined;
}

/**
 * What is left of a completion after the user typed its start: the rest, written over any closer
 * the editor auto-inserted (which the rest must contain, in order), or undefined when nothing is left.
 */
function fitAfterTyping(completion: CleanCompletion, relation: Relation): CleanCompletion | undefined {
  const text = completion.text.slice(relation.typed.length);
  if (text === '' || (relation.inserted !== '' && !containsInOrder(text, relation.inserted))) {
    return undefined;
  }
  return { text, overwrite: completion.overwrite + relation.inserted.length };
}

function containsInOrder(haystack: string, needle: string): boolean {
  let j = 0;
  for (let i = 0; i < haystack.length && j < needle.length; i++) {
    if (haystack[i] === needle[j]) {
      j++;
    }
  }
  return j === needle.length;
}
