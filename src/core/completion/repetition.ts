/**
 * Repetition in what the model wrote, for completion clean-up: the current line written again
 * from its start, text the file already has on the next line written again, and loops (one line
 * over and over, `foo = foo = foo = …`, one declaration pattern until the output limit). Each
 * rule only cuts text, never adds any.
 */
import { indentOf } from './completionTypes';

/**
 * Lines that may stand twice in a row in real code, or that two blocks share: closers (`}`,
 * `</div>`, `end`), short keywords. A repeat of such a line is not evidence of anything.
 */
function meaningful(line: string): boolean {
  const t = line.trim();
  return /[A-Za-z0-9_]/.test(t) && !/^(?:<\/[\w.:-]+>|(?:end|fi|done|esac|endif|endfor|endwhile|wend|loop|next)\b\W*)$/.test(t);
}

/** The next non-blank line after the cursor's line, trimmed, when it is one a repeat of which means something. */
export function nextExistingLine(suffix: string): string | undefined {
  const next = suffix.split('\n').slice(1).find((line) => line.trim() !== '');
  return next !== undefined && meaningful(next) ? next.trim() : undefined;
}

/**
 * Cuts the completion where it writes the next existing line again, with any indentation: at its
 * first line when the cursor's line would become that line (`before` + first line + `after`),
 * or at a later line equal to it.
 */
export function cutAtNextLineRepeat(text: string, before: string, after: string, suffix: string): string {
  const next = nextExistingLine(suffix);
  if (next === undefined) {
    return text;
  }
  const lines = text.split('\n');
  const at = lines.findIndex((line, i) => (i === 0 ? (before + line).trim() === next || (lines.length === 1 && (before + line + after).trim() === next) : line.trim() === next));
  return at >= 0 ? lines.slice(0, at).join('\n') : text;
}

/** Words, numbers and strings replaced by placeholders: the pattern of a line (`const b = 1;` → `a a = 0;`). */
function shape(line: string): string {
  return line
    .trim()
    .replace(/(["'`])(?:\\.|(?!\1).)*\1/g, 's')
    .replace(/\b\d[\d_.]*\b/g, '0')
    .replace(/[A-Za-z_$][\w$]*/g, 'a');
}

/**
 * Repetition loops, cut down to their first round:
 * - a line written again right after itself (`hello();` ten times → once);
 * - with `ranOut` (the answer was cut by the output limit or ended mid-statement): a run of three
 *   or more lines of one pattern that goes on to the end (`const b = 1;` … `const j = 1;`): the
 *   model was enumerating with no end in sight; only its first line is a suggestion;
 * - a piece of three or more characters holding a word written four times in a row
 *   (`foo = foo = foo = foo = …`; not `0x00, 0x00, …`): cut in front of the loop.
 */
export function cutRepetitionLoops(text: string, ranOut: boolean): string {
  let lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (meaningful(lines[i]) && lines[i].trim() === lines[i - 1].trim()) {
      lines = lines.slice(0, i);
      break;
    }
  }
  if (ranOut && lines.length >= 3) {
    const last = shape(lines[lines.length - 1]);
    let start = lines.length - 1;
    while (start > 0 && shape(lines[start - 1]) === last) {
      start--;
    }
    if (lines.length - start >= 3 && last.length >= 3) {
      lines = lines.slice(0, start + 1);
    }
  }
  const out = lines.join('\n');
  const loop = /([^\n]{3,}?)\1{3,}/.exec(out);
  if (loop && /[A-Za-z_]{2}/.test(loop[1])) {
    return out.slice(0, loop.index).trimEnd();
  }
  return out;
}

/**
 * The last line of a multi-line answer that stops mid-statement (`const k =`, `a &&`): the
 * model ran out of output, whatever the finish reason says.
 */
export function endsUnfinished(text: string): boolean {
  const nl = text.lastIndexOf('\n');
  if (nl < 0) {
    return false;
  }
  // Not a `.` (a sentence in a docstring ends with one), nor `++`/`--`.
  return /(?:[^=!<>]=|&&|\|\||=>|[^+]\+|[^-]-|\s[*/%])\s*$/.test(text.slice(nl + 1)) && !/^\s*(?:\/\/|#|\*)/.test(text.slice(nl + 1));
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
