/**
 * The text of one declaration as the context sends it: its doc comment and signature; for a
 * class, interface, enum or object type the signatures of its members; a body only when the
 * whole declaration is small. Works on the text alone (brackets, strings and comments of
 * C-family languages: TypeScript, JavaScript, Java, C#, Go, Rust…); for other languages it keeps
 * the first lines. Pure and O(size of the declaration).
 */
import type { DefinitionKind } from './definitionTypes';
import { estimateTokens } from './tokenEstimate';

/** A whole declaration up to this many tokens is sent as is (body included). */
export const SMALL_DECLARATION_TOKENS = 200;
/** No declaration sends more than this many tokens; the rest is cut with a marker line. */
export const MAX_DECLARATION_TOKENS = 1_500;
/** Lines scanned at most for one declaration's end. */
const MAX_SCAN_LINES = 2_000;

export interface Declaration {
  startLine: number;
  endLine: number;
  kind: DefinitionKind;
  name: string;
  text: string;
}

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

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    starts.push(i + 1);
  }
  return starts;
}

const CONTINUES = /(?:[=,|&(\[{:?+\-*/<]|=>|\bextends|\bimplements)\s*$/;
const CONTINUED = /^\s*(?:[.|&?:)\]}>]|=>|extends\b|implements\b)/;

/**
 * Offset just past the end of the statement or member starting at `start` in `mask`: a `;` or a
 * closing bracket at the starting depth, or a line end there once nothing is left open and the
 * line does not go on.
 */
function statementEnd(mask: string, start: number, limit = mask.length): number {
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

const KIND_WORDS: [RegExp, DefinitionKind][] = [
  [/\b(?:class|struct|record|trait|impl)\s/, 'class'],
  [/\binterface\s/, 'interface'],
  [/\benum\s/, 'enum'],
  [/\b(?:namespace|module)\s/, 'namespace'],
  [/\btype\s+[\w$]+\s*(?:<[^=]*>)?\s*=/, 'type'],
  [/\b(?:function|func|fn|def)\b/, 'function'],
  [/\b(?:const|let|var|val)\s/, 'variable'],
];

function kindOf(header: string, nested: boolean): DefinitionKind {
  for (const [re, kind] of KIND_WORDS) {
    if (re.test(header)) {
      return kind === 'variable' && /=>|\bfunction\b/.test(header) ? 'function' : kind;
    }
  }
  if (nested) {
    return /^\s*(?:[\w$#]+\s+)*[\w$#]+\s*[<(]/.test(header) ? 'method' : 'property';
  }
  return 'other';
}

/** Start offset of the doc comment (or decorators) directly above `lineStart`, or `lineStart`. */
function leadingStart(text: string, starts: number[], line: number): number {
  let first = line;
  let inBlock = false;
  for (let l = line - 1; l >= 0 && line - l <= 60; l--) {
    const s = text.slice(starts[l], (starts[l + 1] ?? text.length + 1) - 1).trim();
    if (inBlock) {
      first = l;
      if (s.startsWith('/*')) {
        inBlock = false;
      }
      continue;
    }
    if (s.endsWith('*/')) {
      first = l;
      inBlock = !s.startsWith('/*');
    } else if (s.startsWith('//') || s.startsWith('@') || s.startsWith('#[')) {
      first = l;
    } else {
      break;
    }
  }
  return starts[first];
}

/** Index of the body's `{` in `mask` from `from` to `to` (a `{` after `:`, `|`, `<`… opens a type, not a body), or -1. */
function bodyBrace(mask: string, from: number, to: number): number {
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
function members(mask: string, open: number, close: number): { start: number; end: number }[] {
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

/** A member as listed: its signature, and `{ … }` for a body. */
function memberSignature(text: string, mask: string, start: number, end: number): string | undefined {
  const head = mask.slice(start, end);
  if (/^\s*(?:private\b|#)/.test(head) || /^\s*(?:static\s+)?\{/.test(head)) {
    return undefined; // private members and static blocks are not part of the type's surface
  }
  const brace = bodyBrace(mask, start, end);
  const sig = brace < 0 ? text.slice(start, end) : `${text.slice(start, brace).trimEnd()} { … }`;
  return sig.trimEnd();
}

/**
 * The declaration whose name is on `line` (0-based) of `text`, summarized for the prompt, or
 * undefined when the line is out of range or blank.
 */
export function declarationAt(text: string, line: number, name?: string): Declaration | undefined {
  const starts = lineStarts(text);
  if (line < 0 || line >= starts.length) {
    return undefined;
  }
  const mask = codeMask(text);
  const lineStart = starts[line];
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0].length ?? 0;
  const declStart = lineStart + indent;
  if (text.slice(declStart, (starts[line + 1] ?? text.length + 1) - 1).trim() === '') {
    return undefined;
  }
  const limit = starts[Math.min(starts.length - 1, line + MAX_SCAN_LINES)] ?? text.length;
  const end = statementEnd(mask, declStart, limit === lineStart ? text.length : limit);
  const lead = leadingStart(text, starts, line);
  const endLine = lineOf(starts, Math.max(declStart, end - 1));
  const header = mask.slice(declStart, Math.min(end, mask.indexOf('\n', declStart) < 0 ? end : mask.indexOf('\n', declStart)));
  const kind = kindOf(header, indent > 0 && !/^\s*export\b/.test(header));
  const whole = text.slice(lead, end);
  const declName = name ?? /^[\w$#]+/.exec(header.replace(/^\s*(?:(?:export|default|declare|abstract|async|public|protected|static|readonly|override)\s+)*(?:(?:class|interface|enum|type|function\*?|const|let|var|namespace|module|get|set)\s+)?/, '').trimStart())?.[0] ?? '';
  let out: string;
  if (estimateTokens(whole) <= SMALL_DECLARATION_TOKENS || kind === 'type') {
    out = whole;
  } else {
    const brace = bodyBrace(mask, declStart, end);
    const doc = text.slice(lead, declStart);
    if (brace < 0) {
      out = whole;
    } else if (kind === 'class' || kind === 'interface' || kind === 'enum' || kind === 'namespace') {
      const close = matchingClose(mask, brace, end);
      const list: string[] = [];
      for (const m of members(mask, brace, close)) {
        const sig = memberSignature(text, mask, m.start, m.end);
        if (sig !== undefined) {
          const memberIndent = text.slice(starts[lineOf(starts, m.start)], m.start);
          list.push(`${/^\s*$/.test(memberIndent) ? memberIndent : '  '}${sig}`);
        }
      }
      out = `${doc}${text.slice(declStart, brace + 1)}\n${list.join('\n')}${list.length > 0 ? '\n' : ''}${' '.repeat(indent)}}`;
    } else {
      out = `${doc}${text.slice(declStart, brace).trimEnd()} { … }`;
    }
  }
  out = capTokens(out, MAX_DECLARATION_TOKENS);
  // Indentation of the first line is kept for the lines after it: strip what they all share.
  return { startLine: lineOf(starts, lead), endLine, kind, name: declName, text: dedent(out, indent) };
}

function matchingClose(mask: string, open: number, limit: number): number {
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

/** The 0-based line holding `offset`, given each line's start offset (ascending). */
export function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

function dedent(text: string, indent: number): string {
  if (indent === 0) {
    return text;
  }
  const re = new RegExp(`^[ \\t]{0,${indent}}`);
  return text
    .split('\n')
    .map((l) => l.replace(re, ''))
    .join('\n');
}

/** `text` cut to whole lines within `max` tokens, with a line saying how many were left out. */
export function capTokens(text: string, max: number): string {
  if (estimateTokens(text) <= max) {
    return text;
  }
  const lines = text.split('\n');
  let used = 0;
  let kept = 0;
  for (const line of lines) {
    const t = estimateTokens(line) + 1;
    if (used + t > max - 12) {
      break;
    }
    used += t;
    kept++;
  }
  return `${lines.slice(0, kept).join('\n')}\n// … (${lines.length - kept} more lines)`;
}

/**
 * The line (0-based) of the class, interface, enum or namespace that declares the member on
 * `line`, or undefined when the line is not inside one (found by indentation).
 */
export function enclosingDeclarationLine(text: string, line: number): number | undefined {
  const lines = text.split('\n');
  const indentOf = (l: string): number => /^[ \t]*/.exec(l)?.[0].length ?? 0;
  const own = indentOf(lines[line] ?? '');
  if (own === 0) {
    return undefined;
  }
  for (let l = line - 1; l >= 0 && line - l <= MAX_SCAN_LINES; l--) {
    const s = lines[l];
    const t = s.trim();
    if (t === '' || t.startsWith('*') || t.startsWith('/') || t.startsWith('@') || indentOf(s) >= own) {
      continue;
    }
    return /\b(?:class|interface|enum|namespace|struct|trait|impl)\b/.test(t) ? l : undefined;
  }
  return undefined;
}
