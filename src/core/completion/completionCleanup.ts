/**
 * Post-processing of what the model wrote at the cursor, from failure patterns seen in real
 * completion output: markdown fences and chatty prose, the current line repeated, doubled or
 * foreign indentation, text that already follows the cursor written again, closing brackets
 * the file already has, and empty answers; and from the peer engines' cases (Tabby, Continue):
 * repetition loops and a last line the output limit cut (repetition.ts), lines one column off,
 * a body in another indentation step than the editor's, a doubled space. Every rule only
 * removes or re-indents text.
 */
import { scanBrackets, scanRulesFor } from './bracketScan';
import { cursorLine, indentOf, indentWidth, type CompletionMode, type CursorSnapshot } from './completionTypes';
import { cutAtNextLineRepeat, cutRepetitionLoops, endsUnfinished } from './repetition';

/** What to show: insert `text` at the cursor, replacing the next `overwrite` characters. */
export interface CleanCompletion {
  text: string;
  /** Characters after the cursor (on its line) the item replaces; 0 = pure insertion. */
  overwrite: number;
}

const FENCE = /^[ \t]*(```|~~~)/;
const PROSE_OPENER = /^\s*(here(?:'s| is| are)|sure\b|certainly\b|of course\b|okay\b|the (?:completion|code|rest)\b|i(?:'ll| will| have)\b|this (?:completes|code)\b|below\b)/i;
/** Characters that may follow the cursor and still be written over by a completion (closers, quotes, `;`, `,`). */
const OVERWRITABLE = /^[\s)\]}>'"`;,]*$/;
const PROSE_LIKE = new Set(['plaintext', 'markdown', 'latex', 'restructuredtext', 'asciidoc', 'git-commit', 'scminput']);

export interface CleanOptions {
  /** The server stopped at the output limit (`finish_reason: length`): the last line is cut off. */
  cutByLimit?: boolean;
}

export function cleanCompletion(raw: string, snapshot: CursorSnapshot, mode: CompletionMode, options: CleanOptions = {}): CleanCompletion | undefined {
  const { before, after } = cursorLine(snapshot);
  const prose = PROSE_LIKE.has(snapshot.languageId);
  let text = raw.replace(/\r\n/g, '\n');

  // A line cut off by the output limit is not a suggestion: keep only the lines it completed.
  let ranOut = options.cutByLimit === true;
  if (ranOut) {
    const nl = text.lastIndexOf('\n');
    text = nl < 0 ? '' : text.slice(0, nl);
  }
  if (!prose) {
    text = stripFencesAndProse(text);
  }
  text = stripRepeatedLine(text, before);
  if (mode === 'singleLine' || after.trim() !== '') {
    // Mid-line or single-line: never more than the rest of this line.
    const nl = text.indexOf('\n');
    if (nl >= 0) {
      text = text.slice(0, nl);
    }
  } else if (!prose && endsUnfinished(text.trimEnd())) {
    // The answer stopped mid-statement (`const k =`): the model ran out; drop that line.
    text = text.trimEnd().replace(/\n[^\n]*$/, '');
    ranOut = true;
  }
  if (!prose) {
    text = cutRepetitionLoops(text, ranOut);
  }
  if (/\s$/.test(before) && before.trim() !== '') {
    // `x = ` + ` 1`: the space is already there.
    text = text.replace(/^[ \t]+/, '');
  }
  text = fixIndentation(text, snapshot, before);
  // The next line of the file written again (any mode, any indentation).
  text = cutAtNextLineRepeat(text, before, after, snapshot.suffix);

  let overwrite = 0;
  const rest = after.trimEnd();
  if (rest.trim() !== '') {
    const fitted = fitRestOfLine(text, rest);
    text = fitted.text;
    overwrite = fitted.overwrite;
  }
  const rules = scanRulesFor(snapshot.languageId);
  if (rules) {
    text = dropExtraClosers(text, snapshot, overwrite, rules);
    if (overwrite === 0 && rest.trim() !== '') {
      text = cutAtClosingRest(text, snapshot, rest.trim(), rules);
    }
  }
  // Mid-line, a space the completion ends with separates it from the text after it (`error, ` + `message)`).
  const rightAfter = after.slice(overwrite);
  text = rightAfter.trim() !== '' && /^\S/.test(rightAfter) ? text.replace(/\s*\n\s*$/, '') : text.trimEnd();
  if (text.trim() === '') {
    return undefined;
  }
  return { text, overwrite };
}

/** Removes an opening fence line, everything from a closing fence on, and prose lines at the start. */
export function stripFencesAndProse(text: string): string {
  const lines = text.split('\n');
  // A chatty first line ("Here is the completion:") followed by code.
  while (lines.length > 0 && PROSE_OPENER.test(lines[0]) && /[:.!]\s*$/.test(lines[0])) {
    lines.shift();
  }
  if (lines.length > 0 && FENCE.test(lines[0]) && lines[0].trim().length <= 24 && !/[;(){}=]/.test(lines[0].replace(FENCE, ''))) {
    lines.shift(); // ```ts
  }
  const close = lines.findIndex((line, i) => (i > 0 || lines.length === 1 ? FENCE.test(line) : false));
  if (close >= 0) {
    lines.length = close;
  }
  // Trailing explanation after a blank line: "\n\nThis adds the two numbers."
  const blank = lines.findIndex((line, i) => i > 0 && line.trim() === '' && i + 1 < lines.length && looksLikeProse(lines[i + 1]));
  if (blank >= 0) {
    lines.length = blank;
  }
  return lines.join('\n');
}

function looksLikeProse(line: string): boolean {
  const t = line.trim();
  return /^[A-Z][a-z]+(?: [a-z'’,]+){3,}.*[.:!]$/.test(t) && !/[;{}=()<>]|\/\/|#/.test(t);
}

/** The model repeated the current line from its start ("const total = " → "const total = add(…)"). */
export function stripRepeatedLine(text: string, before: string): string {
  const typed = before.trimStart();
  if (typed.length >= 3) {
    const lead = indentOf(text);
    if (text.slice(lead.length).startsWith(typed)) {
      return text.slice(lead.length + typed.length);
    }
  }
  return text;
}

/**
 * Indentation that matches: no second indentation on a line the editor already indented; a
 * line the model set one column off its neighbour put back in line; a body indented in another
 * step than the editor's (2 spaces where the editor says 4) re-indented in the editor's step; and
 * the editor's tabs-or-spaces on every following line.
 */
export function fixIndentation(text: string, snapshot: CursorSnapshot, before: string): string {
  const { tabSize, insertSpaces } = snapshot.indent;
  let out = text;
  const beforeWidth = indentWidth(before, tabSize);
  const fresh = before.trim() === ''; // the completion's first line is a whole line
  if (before !== '' && fresh) {
    const lead = indentOf(out);
    const width = indentWidth(before + lead, tabSize);
    if (lead !== '' && (width > expectedIndentWidth(snapshot.prefix, tabSize) || width - beforeWidth === 1)) {
      out = out.slice(lead.length);
    }
  }
  const lines = out.split('\n');
  // Column widths of the completion's lines (the first one as it will stand in the file).
  const widths = lines.map((line, i) => (i === 0 ? (fresh ? indentWidth(before + indentOf(line), tabSize) : indentWidth(indentOf(before), tabSize)) : indentWidth(indentOf(line), tabSize)));
  const blank = lines.map((line, i) => line.trim() === '' && !(i === 0 && !fresh));
  rescaleSteps(lines, widths, blank, fresh ? previousCodeLine(snapshot.prefix) : undefined, before, tabSize, insertSpaces);
  let previous = blank[0] ? undefined : 0;
  for (let i = 1; i < lines.length; i++) {
    if (blank[i]) {
      continue;
    }
    if (previous !== undefined && !/^\s*\*/.test(lines[i])) {
      const prevText = previous === 0 && !fresh ? before + lines[0] : lines[previous];
      const candidates = [widths[previous], ...(OPENER_END.test(prevText) ? [widths[previous] + tabSize] : [])];
      const near = candidates.find((c) => Math.abs(widths[i] - c) === 1);
      if (near !== undefined) {
        widths[i] = near; // one column off its neighbour: a slip, not a structure
        lines[i] = ' '.repeat(near) + lines[i].slice(indentOf(lines[i]).length);
      }
    }
    previous = i;
  }
  for (let i = 1; i < lines.length; i++) {
    const lead = indentOf(lines[i]);
    const wrongTabs = insertSpaces && lead.includes('\t');
    const wrongSpaces = !insertSpaces && lead.includes(' '.repeat(tabSize));
    if (wrongTabs || wrongSpaces) {
      const width = indentWidth(lead, tabSize);
      const fixed = insertSpaces ? ' '.repeat(width) : '\t'.repeat(Math.floor(width / tabSize)) + ' '.repeat(width % tabSize);
      lines[i] = fixed + lines[i].slice(lead.length);
    }
  }
  return lines.join('\n');
}

const OPENER_END = /(?:[{([:]|=>)\s*$/;

/** The last non-blank line before the cursor's line, or undefined. */
function previousCodeLine(prefix: string): string | undefined {
  const lines = prefix.split('\n');
  for (let i = lines.length - 2; i >= 0 && i >= lines.length - 50; i--) {
    if (lines[i].trim() !== '') {
      return lines[i];
    }
  }
  return undefined;
}

/**
 * The first whole line of the completion opens a body one step in from a block opener: when that
 * step is not the editor's (2 columns where the editor says 4, or 4 where it says 2) and every
 * deeper line is a multiple of it, all of them are re-indented in the editor's step. In place.
 */
function rescaleSteps(lines: string[], widths: number[], blank: boolean[], previousLine: string | undefined, before: string, tabSize: number, insertSpaces: boolean): void {
  // A first line after indentation the editor or the user set is left as it is, and so is the rest.
  const ref = !blank[0] && before === '' ? 0 : before.trim() !== '' && lines.length > 1 && !blank[1] ? 1 : -1;
  if (ref < 0) {
    return;
  }
  const opener = ref === 0 ? previousLine : before + lines[0];
  if (opener === undefined || !OPENER_END.test(opener)) {
    return;
  }
  const base = indentWidth(indentOf(opener), tabSize);
  const step = widths[ref] - base;
  if (step <= 0 || step === tabSize || (tabSize % step !== 0 && step % tabSize !== 0)) {
    return;
  }
  const body = widths.map((w, i) => i >= ref && !blank[i] && w > base);
  if (!body.every((inBody, i) => !inBody || (widths[i] - base) % step === 0)) {
    return;
  }
  const beforeWidth = indentWidth(before, tabSize);
  for (let i = ref; i < lines.length; i++) {
    if (!body[i]) {
      continue;
    }
    const width = base + ((widths[i] - base) * tabSize) / step;
    const own = i === 0 ? width - beforeWidth : width;
    if (own < 0) {
      continue;
    }
    widths[i] = width;
    const lead = insertSpaces ? ' '.repeat(own) : '\t'.repeat(Math.floor(own / tabSize)) + ' '.repeat(own % tabSize);
    lines[i] = lead + lines[i].slice(indentOf(lines[i]).length);
  }
}

/** The deepest indentation a new line at the cursor can sensibly have: the previous code line's, one level more after an opener. */
function expectedIndentWidth(prefix: string, tabSize: number): number {
  const lines = prefix.split('\n');
  for (let i = lines.length - 2; i >= 0 && i >= lines.length - 50; i--) {
    if (lines[i].trim() !== '') {
      const width = indentWidth(indentOf(lines[i]), tabSize);
      return /(?:[{([:]|=>)\s*$/.test(lines[i]) ? width + tabSize : width;
    }
  }
  return tabSize;
}

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
  if (OVERWRITABLE.test(rest) && isSubsequence(rest.replace(/\s+/g, ''), body)) {
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

function isSubsequence(needle: string, haystack: string): boolean {
  let j = 0;
  for (let i = 0; i < haystack.length && j < needle.length; i++) {
    if (haystack[i] === needle[j]) {
      j++;
    }
  }
  return j === needle.length;
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
