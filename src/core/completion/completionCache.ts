/**
 * The request manager's client cache, keyed on the text before and after the cursor: it answers
 * at once when the user retypes, backspaces, or types what was suggested (the rest is still
 * valid), and remembers "nothing to suggest here" too. Least recently used entries are dropped.
 */
import type { CompletionStats } from './completionStats';
import type { CleanCompletion, CursorSnapshot } from './completionTypes';
import { fitAfterTyping, relate } from './cursorRelation';
import type { FetchResult, Suggestion } from './requestTypes';

interface CacheEntry {
  docKey: string;
  prefix: string;
  suffix: string;
  text: string;
  overwrite: number;
  stats?: CompletionStats;
  tag?: unknown;
}

/** Finished completions by cursor state, served again to later keystrokes that fit them. */
export class CompletionCache {
  private readonly cache: CacheEntry[] = [];

  /** @param cacheSize Cached completions kept (least recently used dropped). */
  constructor(private readonly cacheSize: number) {}

  /** The cached completion for this cursor state, marked most recently used; its text is '' for a remembered "nothing here". */
  lookup(snapshot: CursorSnapshot): Omit<Suggestion, 'source'> | undefined {
    const hit = this.find(snapshot);
    if (!hit) {
      return undefined;
    }
    const entry = this.cache[hit.index];
    this.cache.splice(hit.index, 1);
    this.cache.push(entry); // most recently used last
    return { ...hit.fitted, stats: entry.stats, tag: entry.tag };
  }

  /** The entry that fits this cursor state and what is left of it (read-only: nothing is reordered). */
  find(snapshot: CursorSnapshot): { index: number; fitted: CleanCompletion } | undefined {
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

  /** Keeps a finished request's result (none: "nothing to suggest here") for its cursor state. */
  remember(snapshot: CursorSnapshot, result: FetchResult | undefined): void {
    const text = result?.completion?.text ?? '';
    this.cache.push({ docKey: snapshot.docKey, prefix: snapshot.prefix, suffix: snapshot.suffix, text, overwrite: result?.completion?.overwrite ?? 0, stats: result?.stats, tag: result?.tag });
    if (this.cache.length > this.cacheSize) {
      this.cache.shift();
    }
  }

  /** Forgets every entry. */
  clear(): void {
    this.cache.length = 0;
  }
}
