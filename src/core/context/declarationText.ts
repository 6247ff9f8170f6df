/**
 * The text of one declaration as the context sends it: its doc comment and signature; for a
 * class, interface, enum or object type the signatures of its members; a body only when the
 * whole declaration is small. Works on the text alone (brackets, strings and comments of
 * C-family languages: TypeScript, JavaScript, Java, C#, Go, Rust…); for other languages it keeps
 * the first lines. Pure and O(size of the declaration).
 */
import { bodyBrace, codeMask, matchingClose, members, statementEnd } from './codeMask';
import type { DefinitionKind } from './definitionTypes';
import { estimateTokens } from './tokenEstimate';

/** A whole declaration up to this many tokens is sent as is (body included). */
export const SMALL_DECLARATION_TOKENS = 200;
/** No declaration sends more than this many tokens; the rest is cut with a marker line. */
export const MAX_DECLARATION_TOKENS = 1_500;
/** Lines scanned at most for one declaration's end. */
const MAX_SCAN_LINES = 2_000;

/** A declaration found at a line: where it is, what kind, its name and the text sent for it. */
export interface Declaration {
  startLine: number;
  endLine: number;
  kind: DefinitionKind;
  name: string;
  text: string;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    starts.push(i + 1);
  }
  return starts;
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
