/**
 * Decides, keystroke by keystroke, whether a completion needs a request at all:
 * 1. a client cache keyed on the text before and after the cursor answers at once when the
 *    user retypes, backspaces, or types what was suggested (the rest is still valid);
 * 2. a request still in flight is reused when the user types what it is producing;
 * 3. otherwise a short delay, adapted to the user's typing rhythm, lets a burst of keystrokes
 *    pass before one request starts.
 * Requests the document has moved past are aborted (closing their connections); never more
 * than `maxInFlight` run at once. Time and the request itself are injected, so the unit tests
 * drive it deterministically without sleeping. Its parts live beside it: the cache in
 * `completionCache.ts`, the requests in flight in `inFlightRequests.ts`, the pause in
 * `typingPause.ts`, how a later keystroke relates to an earlier one in `cursorRelation.ts`.
 */
import type { Clock } from '../platform/clock';
import { CompletionCache } from './completionCache';
import { lineIsComplete } from './completionPrompt';
import type { CursorSnapshot } from './completionTypes';
import { InFlightRequests } from './inFlightRequests';
import type { CompletionFetcher, ManagerEvent, Suggestion } from './requestTypes';
import { TypingPause } from './typingPause';

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

/** The one door to completion requests: cache, requests in flight and the pause before a request, for each keystroke. */
export class RequestManager {
  private readonly cache: CompletionCache;
  private readonly pause: TypingPause;
  private readonly requests: InFlightRequests;

  constructor(private readonly options: RequestManagerOptions) {
    this.cache = new CompletionCache(options.cacheSize ?? 64);
    this.pause = new TypingPause(options.clock, options.minDelayMs ?? 40, options.maxDelayMs ?? 450);
    this.requests = new InFlightRequests({
      clock: options.clock,
      fetch: options.fetch,
      maxInFlight: options.maxInFlight ?? 2,
      orphanGraceMs: options.orphanGraceMs ?? 300,
      maxTypedAhead: options.maxTypedAhead ?? 16,
      mayRequest: options.mayRequest,
      onEvent: options.onEvent,
      cache: this.cache,
      pause: this.pause,
    });
  }

  /** Requests running now. */
  get inFlight(): number {
    return this.requests.count;
  }

  /** The delay the next keystroke would wait before a request (ms). */
  get currentDelayMs(): number {
    return this.pause.currentDelayMs;
  }

  /**
   * The suggestion for this cursor state, or undefined (nothing useful, cancelled, or failed:
   * failures are reported through `onEvent`, never thrown).
   */
  async complete(snapshot: CursorSnapshot, signal: AbortSignal): Promise<Suggestion | undefined> {
    this.pause.observeKeystroke();
    if (lineIsComplete(snapshot)) {
      return undefined; // the end of a line opening a block already written: nothing to ask for
    }
    // Two rounds at most: when what a request produced turns out not to be what the user typed,
    // one fresh request (after the same pause rule) replaces it.
    for (let round = 0; round < 2 && !signal.aborted; round++) {
      const cached = this.cache.lookup(snapshot);
      this.requests.abortStale(snapshot);
      if (cached) {
        return this.serve(cached.text === '' ? undefined : { ...cached, source: 'cache' });
      }
      let job = this.requests.compatibleJob(snapshot);
      if (!job) {
        if (!snapshot.explicit && !(await this.pause.waitForPause(signal))) {
          return undefined;
        }
        const late = this.cache.lookup(snapshot);
        if (late) {
          return this.serve(late.text === '' ? undefined : { ...late, source: 'cache' });
        }
        job = this.requests.compatibleJob(snapshot) ?? this.requests.start(snapshot);
        if (!job) {
          return undefined;
        }
      }
      const outcome = await this.requests.follow(job, snapshot, signal);
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
    const hit = this.cache.find(snapshot);
    return hit !== undefined && hit.fitted.text !== '';
  }

  /** Aborts everything (e.g. completion switched off). */
  abortAll(): void {
    this.requests.abortAll();
  }

  /** Forgets cached completions (e.g. after a model or context change). */
  clearCache(): void {
    this.cache.clear();
  }

  private serve(suggestion: Suggestion | undefined): Suggestion | undefined {
    if (suggestion) {
      this.options.onEvent?.({ kind: 'served', source: suggestion.source });
    }
    return suggestion;
  }
}
