/**
 * Chat habits in a completion: a chatty first line ("Here is the completion:"), markdown fences
 * around the code, and an explanation after it. Only removes text.
 */

const FENCE = /^[ \t]*(```|~~~)/;
const PROSE_OPENER = /^\s*(here(?:'s| is| are)|sure\b|certainly\b|of course\b|okay\b|the (?:completion|code|rest)\b|i(?:'ll| will| have)\b|this (?:completes|code)\b|below\b)/i;

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
