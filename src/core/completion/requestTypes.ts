/**
 * Plain data of the request manager: the request function it runs, the suggestions it serves and
 * the events it reports. No logic, so the manager's parts (the cache, the requests in flight)
 * and its users share these without importing one another.
 */
import type { KimiError, BilledUsage } from '../kimi/kimiErrors';
import type { CompletionStats } from './completionStats';
import type { CleanCompletion, CursorSnapshot } from './completionTypes';

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
