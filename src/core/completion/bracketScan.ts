/**
 * A small bracket scanner for completion clean-up: which brackets the text before the cursor
 * leaves open, and which of a completion's closing brackets close them. It skips strings and
 * comments well enough for the C family, Python, shell and Rust; it is a heuristic, so callers
 * only ever remove text on its word, never add any.
 */

const OPENERS = '([{';
const CLOSERS = ')]}';

const HASH_COMMENT_LANGUAGES = new Set([
  'python', 'shellscript', 'ruby', 'perl', 'r', 'yaml', 'toml', 'makefile', 'dockerfile', 'coffeescript',
  'powershell', 'elixir', 'julia', 'nim', 'crystal', 'cmake', 'properties', 'dotenv', 'ini', 'gdscript',
]);

/** Languages where brackets are prose, not structure: no bracket rules apply. */
const PROSE_LANGUAGES = new Set(['plaintext', 'markdown', 'latex', 'tex', 'restructuredtext', 'asciidoc', 'log', 'git-commit', 'scminput', 'text']);

export interface ScanRules {
  hashComments: boolean;
  /** `'` starts a string only when it is a one-character literal ('a', '\n'): Rust lifetimes. */
  charLiteralsOnly: boolean;
}

export function scanRulesFor(languageId: string): ScanRules | undefined {
  if (PROSE_LANGUAGES.has(languageId)) {
    return undefined;
  }
  return { hashComments: HASH_COMMENT_LANGUAGES.has(languageId), charLiteralsOnly: languageId === 'rust' };
}

export interface BracketScan {
  /** Openers still open at the end, innermost last. */
  open: string[];
  /** Closers that closed a bracket opened before the scanned text, with their offsets. */
  outerClosers: { index: number; char: string }[];
}

/**
 * Scans `text` with `open` as the brackets already open before it. Closers that find the
 * local stack empty close the outer ones (`outerClosers`).
 */
export function scanBrackets(text: string, rules: ScanRules, open: readonly string[] = []): BracketScan {
  const stack = [...open];
  let local = 0; // openers pushed by `text` itself that are still open
  const outerClosers: { index: number; char: string }[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    const next = text[i + 1];
    if (ch === '/' && next === '/') {
      i = lineEnd(text, i);
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (ch === '#' && rules.hashComments) {
      i = lineEnd(text, i);
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      i = skipString(text, i, rules);
      continue;
    }
    if (OPENERS.includes(ch)) {
      stack.push(ch);
      local++;
    } else if (CLOSERS.includes(ch)) {
      if (local > 0) {
        stack.pop();
        local--;
      } else {
        if (stack.length > 0) {
          stack.pop();
        }
        outerClosers.push({ index: i, char: ch });
      }
    }
    i++;
  }
  return { open: stack, outerClosers };
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** Index just past the string literal starting at `start` (or past the quote when it is not one). */
function skipString(text: string, start: number, rules: ScanRules): number {
  const quote = text[start];
  if (quote === "'" && rules.charLiteralsOnly) {
    const m = /^'(?:\\.|[^'\\])'/.exec(text.slice(start, start + 4));
    return m ? start + m[0].length : start + 1;
  }
  if ((quote === '"' || quote === "'") && text.startsWith(quote.repeat(3), start)) {
    const end = text.indexOf(quote.repeat(3), start + 3);
    return end < 0 ? text.length : end + 3;
  }
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      i++;
    } else if (ch === quote) {
      return i + 1;
    } else if (ch === '\n' && quote !== '`') {
      return i; // An unterminated ' or " string ends at the line end.
    }
  }
  return text.length;
}
