/**
 * Mid-line completions against the rest of the line that already follows the cursor: the overlap
 * written again is cut, closers and punctuation it writes again are overwritten. Only removes text.
 */
import { scanBrackets, type scanRulesFor } from './bracketScan';
import type { CleanCompletion, CursorSnapshot } from './completionTypes';
import { containsInOrder } from './cursorRelation';

/** Characters that may follow the cursor and still be written over by a completion (closers, quotes, `;`, `,`). */
const OVERWRITABLE = /^[\s)\]}>'"`;,]*$/;

/**
 * Mid-line: the rest of the line already exists. A completion that ends by writing it again
 * loses that tail; one that writes over closers and punctuation (`)` → `a, b);`) replaces them;
 * one that ends with the start of the rest (`a, b)` before `) + 1`) loses the overlap.
 */
export function fitRestOfLine(text: string, rest: string): CleanCompletion {
  const restTrimmed = rest.trim();
  const body = text.trimEnd();
  if (body.endsWith(restTrimmed)) {
    return { text: body.slice(0, body.length - restTrimmed.length), overwrite: 0 };
  }
  if (OVERWRITABLE.test(rest) && containsInOrder(body, rest.replace(/\s+/g, ''))) {
    return { text: body, overwrite: rest.length };
  }
  for (let k = Math.min(restTrimmed.length, body.length); k >= 1; k--) {
    const head = restTrimmed.slice(0, k);
    const significant = k >= 3 || /[)\]}'"`;,]/.test(head);
    if (significant && body.endsWith(head)) {
      return { text: body.slice(0, body.length - k), overwrite: 0 };
    }
  }
  // The rest written again inside the completion, with more after it (`"a", "b", x);` before `, "b", )`).
  for (let k = rest.length; k >= 4; k--) {
    const head = rest.slice(0, k);
    const at = /[A-Za-z0-9_]/.test(head) ? body.indexOf(head) : -1;
    if (at > 0) {
      return { text: body.slice(0, at), overwrite: 0 };
    }
  }
  return { text, overwrite: 0 };
}

/**
 * Mid-line, the rest of the line starts with a closer (`) {` after `function f(█`): a completion
 * that closes the same bracket itself (`a: string[]): string[] {`) writes that part of the line
 * again; it is cut in front of its closer (`a: string[]`).
 */
export function cutAtClosingRest(text: string, snapshot: CursorSnapshot, rest: string, rules: NonNullable<ReturnType<typeof scanRulesFor>>): string {
  if (!/^[)\]}]/.test(rest)) {
    return text;
  }
  const open = scanBrackets(snapshot.prefix, rules).open;
  const closer = scanBrackets(text, rules, open).outerClosers[0];
  return closer !== undefined && closer.char === rest[0] ? text.slice(0, closer.index).trimEnd() : text;
}
