/**
 * Post-processing of what the model wrote at the cursor, from failure patterns seen in real
 * completion output: markdown fences and chatty prose, the current line repeated, doubled or
 * foreign indentation, text that already follows the cursor written again, closing brackets
 * the file already has, and empty answers; and from the peer engines' cases (Tabby, Continue):
 * repetition loops and a last line the output limit cut (repetition.ts), lines one column off,
 * a body in another indentation step than the editor's, a doubled space. Every rule only
 * removes or re-indents text.
 */
import { scanRulesFor } from './bracketScan';
import { dropExtraClosers } from './bracketBalance';
import { cursorLine, type CleanCompletion, type CompletionMode, type CursorSnapshot } from './completionTypes';
import { stripFencesAndProse } from './fencesAndProse';
import { fixIndentation } from './indentationFix';
import { cutAtNextLineRepeat, cutRepetitionLoops, endsUnfinished, stripRepeatedLine } from './repetition';
import { cutAtClosingRest, fitRestOfLine } from './restOfLine';

const PROSE_LIKE = new Set(['plaintext', 'markdown', 'latex', 'restructuredtext', 'asciidoc', 'git-commit', 'scminput']);

export interface CleanOptions {
  /** The server stopped at the output limit (`finish_reason: length`): the last line is cut off. */
  cutByLimit?: boolean;
}

/** What to show for what the model wrote at this cursor, or undefined when nothing useful is left. */
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
