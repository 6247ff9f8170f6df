/**
 * How a later cursor state follows from an earlier one while the user types into a suggestion
 * (the text typed, the closers the editor auto-inserted), and what is left of a completion
 * after that typing. The cache and the requests in flight both serve later keystrokes by it.
 */
import type { CleanCompletion } from './completionTypes';

/** Closers and quotes an editor inserts by itself after the cursor (`(` → `()`). */
const AUTO_CLOSED = /^[)\]}'"`]{1,3}$/;

/** What happened between two cursor states in the same document. */
export interface Relation {
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
export function fitAfterTyping(completion: CleanCompletion, relation: Relation): CleanCompletion | undefined {
  const text = completion.text.slice(relation.typed.length);
  if (text === '' || (relation.inserted !== '' && !containsInOrder(text, relation.inserted))) {
    return undefined;
  }
  return { text, overwrite: completion.overwrite + relation.inserted.length };
}

/** Whether `needle`'s characters all appear in `haystack`, in order (not necessarily together). */
export function containsInOrder(haystack: string, needle: string): boolean {
  let j = 0;
  for (let i = 0; i < haystack.length && j < needle.length; i++) {
    if (haystack[i] === needle[j]) {
      j++;
    }
  }
  return j === needle.length;
}
