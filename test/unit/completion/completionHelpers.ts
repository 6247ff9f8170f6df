// Shared by the completion unit tests: cursor snapshots written as text with a cursor mark.
import type { CursorSnapshot } from '../../../src/core/completion/completionTypes';

/** The cursor mark in test texts (`|` is too common in code). */
export const CURSOR = '█';

/** A snapshot from text with one `█` at the cursor. */
export function snap(textWithCursor: string, overrides: Partial<CursorSnapshot> = {}): CursorSnapshot {
  const at = textWithCursor.indexOf(CURSOR);
  if (at < 0) {
    throw new Error('no cursor mark in test text');
  }
  return {
    docKey: 'file:///w/src/app.ts',
    path: 'src/app.ts',
    languageId: 'typescript',
    prefix: textWithCursor.slice(0, at),
    suffix: textWithCursor.slice(at + CURSOR.length),
    indent: { insertSpaces: true, tabSize: 2 },
    explicit: false,
    ...overrides,
  };
}
