/**
 * The code mask of a C-family text (strings and comments blanked) and the bracket scans on it
 * that find where a statement, a body or a block of members ends (declarationText.ts).
 */
/**
 * The text with string and comment contents blanked (same length, newlines kept), so brackets
 * and semicolons can be counted on it.
 */
export function codeMask(text: string): string {
  const out = text.split('');
  const n = text.length;
  let i = 0;
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      if (out[k] !== '\n') {
        out[k] = ' ';
      }
    }
  };
  while (i < n) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let k = i + 1;
      while (k < n && text[k] !== c && !(c !== '`' && text[k] === '\n')) {
        k += text[k] === '\\' ? 2 : 1;
      }
      blank(i + 1, Math.min(k, n));
      i = k + 1;
    } else {
      i++;
    }
  }
  return out.join('');
}

const CONTINUES = /(?:[=,|&(\[{:?+\-*/<]|=>|\bextends|\bimplements)\s*$/;
const CONTINUED = /^\s*(?:[.|&?:)\]}>]|=>|extends\b|implements\b)/;

/**
 * Offset just past the end of the statement or member starting at `start` in `mask`: a `;` or a
 * closing bracket at the starting depth, or a line end there once nothing is left open and the
 * line does not go on.
 */
export function statementEnd(mask: string, start: number, limit = mask.length): number {
  let depth = 0;
  let closedBlock = false;
  for (let i = start; i < limit; i++) {
    const c = mask[i];
    if (c === '{' || c === '(' || c === '[') {
      depth++;
    } else if (c === '}' || c === ')' || c === ']') {
      depth--;
      if (depth < 0) {
        return i; // the enclosing block ends: the member had no terminator
      }
      if (depth === 0 && c === '}') {
        closedBlock = true;
      }
    } else if (c === ';' && depth === 0) {
      return i + 1;
    } else if (c === '\n' && depth === 0) {
      const lineStart = mask.lastIndexOf('\n', i - 1) + 1;
      const line = mask.slice(lineStart, i);
      const nextEnd = mask.indexOf('\n', i + 1);
      const next = mask.slice(i + 1, nextEnd < 0 ? limit : Math.min(nextEnd, limit));
      if (line.trim() === '' && i > start) {
        return i;
      }
      if ((closedBlock && !CONTINUED.test(next)) || (!CONTINUES.test(line) && !CONTINUED.test(next) && line.trim() !== '')) {
        return i;
      }
    }
  }
  return limit;
}

/** Index of the body's `{` in `mask` from `from` to `to` (a `{` after `:`, `|`, `<`… opens a type, not a body), or -1. */
export function bodyBrace(mask: string, from: number, to: number): number {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = mask[i];
    if (c === '(' || c === '[') {
      depth++;
    } else if (c === ')' || c === ']') {
      depth--;
    } else if (c === '{' && depth === 0) {
      const before = mask.slice(from, i).trimEnd();
      const prev = before[before.length - 1] ?? '';
      if (':|&<,(='.includes(prev) && !before.endsWith('=>')) {
        // A type literal or initializer object: skip over it.
        let d = 0;
        for (let k = i; k < to; k++) {
          if (mask[k] === '{') {
            d++;
          } else if (mask[k] === '}' && --d === 0) {
            i = k;
            break;
          }
        }
        continue;
      }
      return i;
    }
  }
  return -1;
}

/** The members of the block `{ … }` at `open`..`close` in `mask`: their start and end offsets. */
export function members(mask: string, open: number, close: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let i = open + 1;
  while (i < close) {
    while (i < close && /[\s,;]/.test(mask[i])) {
      i++;
    }
    if (i >= close) {
      break;
    }
    const end = Math.min(statementEnd(mask, i, close), close);
    out.push({ start: i, end: Math.max(end, i + 1) });
    i = Math.max(end, i + 1);
  }
  return out;
}

/** Offset of the `}` that closes the `{` at `open` in `mask`, or `limit`. */
export function matchingClose(mask: string, open: number, limit: number): number {
  let d = 0;
  for (let k = open; k < limit; k++) {
    if (mask[k] === '{') {
      d++;
    } else if (mask[k] === '}' && --d === 0) {
      return k;
    }
  }
  return limit;
}
