/**
 * Plain data shared by the completion core: what the editor saw at the cursor, and how the
 * completion should be shaped. No `vscode` import: the adapter fills these from a TextDocument,
 * the unit tests and the benchmark from strings.
 */
import type { ContextPurpose, PackedContext } from '../context/contextTypes';

/** Single-line completions end at the newline; multi-line ones at the end of the block. */
export type CompletionMode = 'singleLine' | 'multiLine';

export interface IndentStyle {
  insertSpaces: boolean;
  tabSize: number;
}

/** The text around the cursor at one keystroke. */
export interface CursorSnapshot {
  /** Identity of the document (`uri.toString()`). */
  docKey: string;
  /** Workspace-relative path (for the prompt). */
  path: string;
  languageId: string;
  /**
   * The text before the cursor, from a window start that stays put while the user types
   * (so the cached prompt prefix keeps growing); the whole text before the cursor in small files.
   */
  prefix: string;
  /** The text after the cursor, up to a window end at a line end. */
  suffix: string;
  indent: IndentStyle;
  /** The user asked explicitly (no delay). */
  explicit: boolean;
}

/** What to show: insert `text` at the cursor, replacing the next `overwrite` characters. */
export interface CleanCompletion {
  text: string;
  /** Characters after the cursor (on its line) the item replaces; 0 = pure insertion. */
  overwrite: number;
}

/** The line the cursor is on, split at the cursor. */
export function cursorLine(snapshot: Pick<CursorSnapshot, 'prefix' | 'suffix'>): { before: string; after: string } {
  const nl = snapshot.prefix.lastIndexOf('\n');
  const end = snapshot.suffix.indexOf('\n');
  return { before: snapshot.prefix.slice(nl + 1), after: end < 0 ? snapshot.suffix : snapshot.suffix.slice(0, end) };
}

/**
 * The editor's suggest widget's selected item (open after `item.`), as plain data: the text it
 * would insert and the characters before and after the cursor it would replace.
 */
export interface SelectedItem {
  text: string;
  /** Characters before the cursor the item replaces (the word typed so far). */
  replacesBefore: number;
  /** Characters after the cursor it replaces. */
  replacesAfter: number;
}

/**
 * The snapshot as if the selected item were accepted: its text in place of its range, the cursor
 * after it. A completion asked for there extends the item, as the editor requires of ghost text
 * shown with the widget open; once the user accepts the item, the same state is a cache hit.
 */
export function withSelectedItem(snapshot: CursorSnapshot, selected: SelectedItem | undefined): CursorSnapshot {
  if (!selected) {
    return snapshot;
  }
  return {
    ...snapshot,
    prefix: snapshot.prefix.slice(0, snapshot.prefix.length - selected.replacesBefore) + selected.text,
    suffix: snapshot.suffix.slice(selected.replacesAfter),
  };
}

/** Leading whitespace of a line. */
export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/** Indentation width in columns (tabs count `tabSize`). */
export function indentWidth(indent: string, tabSize: number): number {
  let width = 0;
  for (const ch of indent) {
    width += ch === '\t' ? tabSize : 1;
  }
  return width;
}

/**
 * Where the workspace context comes from: the context builder's tracker. Completion asks for
 * purpose `completion`: the open files with the active one as a copy kept while the user types
 * near the cursor (its current text near the cursor goes into the prefix and suffix).
 */
export interface CompletionContextSource {
  pack(purpose: ContextPurpose, options?: { budgetTokens?: number; includeActiveFile?: boolean }): PackedContext;
}
