/**
 * Bracket balance of a completion against the file: it may close only the brackets the text
 * before the cursor left open and the text after it does not already close. Only removes text.
 */
import { scanBrackets, type scanRulesFor } from './bracketScan';
import type { CursorSnapshot } from './completionTypes';

/**
 * Closing brackets the file already has: the text after the cursor closes some of the brackets
 * the text before it left open; a completion may only close the rest. It is cut in front of the
 * first closer too many (`return 1;\n}` before a `}` that is already there → `return 1;`).
 * A completion that opens as many as it closes (`} else {`, `}, {`) leaves the count as it was:
 * the existing closer then closes the block the completion opened, so nothing is cut.
 */
export function dropExtraClosers(text: string, snapshot: CursorSnapshot, overwrite: number, rules: NonNullable<ReturnType<typeof scanRulesFor>>): string {
  const open = scanBrackets(snapshot.prefix, rules).open;
  const suffixClosers = scanBrackets(snapshot.suffix.slice(overwrite), rules).outerClosers.length;
  let allowed = Math.max(0, open.length - suffixClosers);
  const scan = scanBrackets(text, rules, open);
  const closers = scan.outerClosers;
  // Openers of its own still open at its end (a closer with nothing open to close pops nothing).
  const reopened = scan.open.length - Math.max(0, open.length - closers.length);
  if (closers.length - reopened <= allowed) {
    return text;
  }
  for (const closer of closers) {
    if (allowed === 0) {
      const cut = text.slice(0, closer.index);
      // A closer alone on its line: drop the whole line.
      return cut.trim() === '' || /\n[ \t]*$/.test(cut) ? cut.replace(/\n?[ \t]*$/, '') : cut.trimEnd();
    }
    allowed--;
  }
  return text;
}
