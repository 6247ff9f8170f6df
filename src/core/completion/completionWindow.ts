/**
 * Which part of the active file goes into a completion prompt. The windows are chosen so that
 * typing at the cursor changes only the tail of the prompt: the prefix window starts at an
 * offset that moves in coarse steps (never with each keystroke), and the suffix window is
 * measured from the cursor, so its text is the same while the user types in front of it.
 */
import { looksBinary } from '../context/contentFilters';
import { secretContentReason } from '../context/secretFiles';
import { secretTokenReason } from '../context/secretTokens';

/** Characters of text before the cursor (about 25K tokens); the window may be up to one step longer. */
export const PREFIX_WINDOW_CHARS = 96_000;
/** Characters of text after the cursor. */
export const SUFFIX_WINDOW_CHARS = 24_000;
/** The prefix window starts at a multiple of this, so it moves once per this many characters typed. */
export const PREFIX_WINDOW_STEP = 8_192;

/** Random access to a document's text without copying all of it (a 50 MB file stays cheap). */
export interface TextReader {
  readonly length: number;
  /** Text between two offsets (clamped). */
  slice(start: number, end: number): string;
}

export function stringReader(text: string): TextReader {
  return { length: text.length, slice: (start, end) => text.slice(start, end) };
}

export interface CursorWindows {
  prefix: string;
  suffix: string;
  /** Offset in the document where `prefix` starts. */
  prefixStart: number;
}

export function cursorWindows(text: TextReader, offset: number, limits = { prefixChars: PREFIX_WINDOW_CHARS, suffixChars: SUFFIX_WINDOW_CHARS }): CursorWindows {
  const cursor = Math.max(0, Math.min(offset, text.length));
  let start = 0;
  if (cursor > limits.prefixChars) {
    start = Math.floor((cursor - limits.prefixChars) / PREFIX_WINDOW_STEP) * PREFIX_WINDOW_STEP;
  }
  let prefix = text.slice(start, cursor);
  if (start > 0) {
    // Start at a line start when one is near: a clean first line reads better and is just as stable.
    const nl = prefix.indexOf('\n');
    if (nl >= 0 && nl < 4_096) {
      prefix = prefix.slice(nl + 1);
      start += nl + 1;
    }
  }
  const end = Math.min(text.length, cursor + limits.suffixChars);
  let suffix = text.slice(cursor, end);
  if (end < text.length) {
    const nl = suffix.lastIndexOf('\n');
    if (nl > 0) {
      suffix = suffix.slice(0, nl + 1);
    }
  }
  return { prefix, suffix, prefixStart: start };
}

/**
 * The prompt's windows when the context already holds the whole file (a copy kept while the
 * user types near the cursor, see completionContext.ts): only the current text near the cursor,
 * about 1–1.5K tokens before it and 500 after it instead of the whole file, so a move to another
 * place or file sends that much uncached instead of the whole file again.
 */
export const SHORT_PREFIX_CHARS = 4_096;
export const SHORT_SUFFIX_CHARS = 2_048;
/** The short prefix starts at a multiple of this (from the window's start), so it moves once per this many characters typed. */
export const SHORT_PREFIX_STEP = 2_048;

/**
 * Cuts the windows down to the short ones. Stable while typing, like the windows themselves: the
 * suffix is measured from the cursor (cut at a line end); the prefix starts at a step boundary
 * counted from the window's own start, then at the next line start when one is near.
 */
export function shortWindows(windows: Pick<CursorWindows, 'prefix' | 'suffix'>): { prefix: string; suffix: string } {
  let { prefix, suffix } = windows;
  const over = prefix.length - SHORT_PREFIX_CHARS;
  if (over > 0) {
    const start = Math.floor(over / SHORT_PREFIX_STEP) * SHORT_PREFIX_STEP;
    const nl = prefix.indexOf('\n', start);
    prefix = prefix.slice(nl >= 0 && nl - start < 1_024 ? nl + 1 : start);
  }
  if (suffix.length > SHORT_SUFFIX_CHARS) {
    const nl = suffix.lastIndexOf('\n', SHORT_SUFFIX_CHARS);
    suffix = suffix.slice(0, nl > 0 ? nl + 1 : SHORT_SUFFIX_CHARS);
  }
  return { prefix, suffix };
}

/** Characters each side of the cursor looked at to decide that the text is binary. */
const BINARY_SAMPLE_CHARS = 2_048;

/**
 * Why no completion should be asked for at these windows, or undefined:
 * - a private key or a credential (API key, token, JWT, password value; secretTokens.ts)
 *   anywhere in them, pasted into any file: the windows are what the request would carry, and
 *   secrets never leave the machine;
 * - binary data opened as text (NULs, control characters) is not code: a request would only
 *   cost money. Looks at a few KB around the cursor, whatever the file's size.
 * Pass the provider's `WindowScreen` so typing re-checks only the line at the cursor.
 */
export function windowSkipReason(windows: Pick<CursorWindows, 'prefix' | 'suffix'>, screen: WindowScreen = new WindowScreen()): string | undefined {
  // The junction catches a key marker the cursor splits in two.
  const secret = secretContentReason(windows.prefix) ?? secretContentReason(windows.suffix) ?? secretContentReason(windows.prefix.slice(-64) + windows.suffix.slice(0, 64)) ?? screen.tokenReason(windows);
  if (secret !== undefined) {
    return `${secret}: never sent`;
  }
  const sample = windows.prefix.slice(-BINARY_SAMPLE_CHARS) + windows.suffix.slice(0, BINARY_SAMPLE_CHARS);
  return looksBinary(sample) ? 'binary text around the cursor' : undefined;
}

/**
 * Looks for credentials in the completion windows, keystroke after keystroke, without a full
 * scan each time: while the prefix only grows (typing) and the suffix stays (it is measured from
 * the cursor), only the prefix's last line is looked at again; anything else scans both whole.
 */
export class WindowScreen {
  private last: { prefix: string; suffix: string; prefixReason: string | undefined; suffixReason: string | undefined } | undefined;

  tokenReason(windows: Pick<CursorWindows, 'prefix' | 'suffix'>): string | undefined {
    const { prefix, suffix } = windows;
    const last = this.last;
    let prefixReason: string | undefined;
    if (last !== undefined && last.prefixReason === undefined && prefix.length >= last.prefix.length && prefix.startsWith(last.prefix)) {
      prefixReason = secretTokenReason(prefix.slice(prefix.lastIndexOf('\n', last.prefix.length - 1) + 1));
    } else {
      prefixReason = secretTokenReason(prefix);
    }
    const suffixReason = last !== undefined && last.suffix === suffix ? last.suffixReason : secretTokenReason(suffix);
    this.last = { prefix, suffix, prefixReason, suffixReason };
    if (prefixReason !== undefined || suffixReason !== undefined) {
      return prefixReason ?? suffixReason;
    }
    // A token the cursor splits in two: the cursor's line, both halves.
    const lineStart = prefix.lastIndexOf('\n') + 1;
    const lineEnd = suffix.indexOf('\n');
    return secretTokenReason(prefix.slice(lineStart) + (lineEnd < 0 ? suffix : suffix.slice(0, lineEnd)));
  }
}
