/**
 * The indentation of a completion made to match the editor's: no second indentation on a line the
 * editor already indented, no line one column off its neighbour, a body in the editor's
 * indentation step, and the editor's tabs-or-spaces. Only re-indents text.
 */
import { indentOf, indentWidth, type CursorSnapshot } from './completionTypes';

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
