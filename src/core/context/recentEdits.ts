import type { EditedRange } from './contextTypes';

/** Edited ranges kept at most (the oldest go first). */
export const MAX_RECENT_EDITS = 20;

/**
 * Records one change of the document `uri` in `edits` (in place, most recent last): the lines
 * from `startLine` that `insertedText` now covers. Typing on the same lines extends the last
 * range instead of adding one per keystroke.
 */
export function recordEdit(edits: EditedRange[], uri: string, startLine: number, insertedText: string): void {
  let newLines = 0;
  for (let i = insertedText.indexOf('\n'); i >= 0; i = insertedText.indexOf('\n', i + 1)) {
    newLines++;
  }
  const last = edits[edits.length - 1];
  const endLine = startLine + newLines;
  if (last && last.uri === uri && startLine <= last.endLine + 1 && endLine >= last.startLine - 1) {
    last.startLine = Math.min(last.startLine, startLine);
    last.endLine = Math.max(last.endLine, endLine);
  } else {
    edits.push({ uri, startLine, endLine });
    if (edits.length > MAX_RECENT_EDITS) {
      edits.splice(0, edits.length - MAX_RECENT_EDITS);
    }
  }
}
