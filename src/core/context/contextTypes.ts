/**
 * The context builder's public types, shared by completion, chat and mockup → code.
 * Pure data: the VS Code tracker fills `TrackedDocument`s; the packer renders blocks.
 */

export type ContextPurpose = 'completion' | 'chat' | 'mockup';

/** An open document as the tracker saw it (unsaved edits included). */
export interface TrackedDocument {
  /** `uri.toString()`; the identity. */
  uri: string;
  /** Workspace-relative path with `/` separators (or the file name when outside a folder). */
  path: string;
  languageId: string;
  text: string;
  /** Order in which the document was first opened (append-only sequence). */
  firstOpened: number;
}

export type ContextBlockKind = 'instructions' | 'workspaceSummary' | 'file' | 'activeFile' | 'cursorWindow';

export interface ContextBlock {
  kind: ContextBlockKind;
  /** Stable key: the path for files, the kind otherwise. */
  key: string;
  /** Exactly the bytes that go into the prompt for this block. */
  text: string;
  /** Estimated tokens of `text`. */
  tokens: number;
}

export interface ExcludedItem {
  path: string;
  reason: string;
}

export interface ContextReport {
  purpose: ContextPurpose;
  budgetTokens: number;
  totalTokens: number;
  included: { key: string; kind: ContextBlockKind; tokens: number }[];
  /** Files left out: secrets, ignored, binary, too large, generated, non-file schemes, over budget. */
  excluded: ExcludedItem[];
}

export interface PackedContext {
  blocks: ContextBlock[];
  /** All blocks joined, in order: the stable prefix first, the most volatile block last. */
  text: string;
  tokens: number;
  report: ContextReport;
}
