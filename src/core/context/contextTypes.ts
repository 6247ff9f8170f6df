/**
 * The context builder's public types, shared by completion and chat (mockup → code sends only the image and the task).
 * Pure data: the VS Code tracker fills `TrackedDocument`s; the packer renders blocks.
 */

export type ContextPurpose = 'completion' | 'chat';

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
  /** Document version; the packer's caches key on the text itself, this is for adapters. */
  version?: number;
  /** Identity of the workspace folder holding the file (its URI), for ignore rules. */
  folderKey?: string;
  /** Path relative to that folder, `/`-separated; absent outside any folder. */
  relativePath?: string;
  /** Absolute file-system path (`/`-separated), only for secret checks; never rendered. */
  absolutePath?: string;
  /** An `untitled:` document (never saved); rendered with that mark. */
  untitled?: boolean;
  /** Parked by the last compaction (least recently used while over budget): left out. */
  parked?: boolean;
}

/** The cursor in the active document, 0-based. */
export interface CursorPosition {
  line: number;
  character: number;
}

/** A range of lines recently edited (0-based, inclusive), most recent last. */
export interface EditedRange {
  uri: string;
  startLine: number;
  endLine: number;
}

export type ContextBlockKind = 'instructions' | 'projectInstructions' | 'workspaceSummary' | 'file' | 'activeFile' | 'cursorWindow' | 'fileChanges' | 'definitions';

export interface ContextBlock {
  kind: ContextBlockKind;
  /** Stable key: the path for files, the kind otherwise. */
  key: string;
  /** Exactly the bytes that go into the prompt for this block. */
  text: string;
  /** Estimated tokens of `text`. */
  tokens: number;
}

/** Why a file was left out, by kind (the `reason` says it in words). */
export type ExclusionKind = 'secret' | 'ignored' | 'content' | 'scheme' | 'budget' | 'parked' | 'pending' | 'active';

export interface ExcludedItem {
  path: string;
  reason: string;
  kind?: ExclusionKind;
}

export interface ContextReport {
  purpose: ContextPurpose;
  budgetTokens: number;
  totalTokens: number;
  included: { key: string; kind: ContextBlockKind; tokens: number }[];
  /** Files left out: secrets, ignored, binary, too large, generated, non-file schemes, over budget. */
  excluded: ExcludedItem[];
  /** Files sent with credentials masked (API keys, tokens, JWTs, password values), and what was masked. */
  masked?: { path: string; reason: string }[];
  /** Each definition offered for the definitions block, included or not, with where it came from and why. */
  definitions?: DefinitionReportEntry[];
}

/** One definition in the context report. */
export interface DefinitionReportEntry {
  name: string;
  kind: string;
  path: string;
  /** 1-based line where the declaration starts. */
  line: number;
  /** Who found it: the language server (VS Code's definition provider) or the import graph. */
  source: 'languageServer' | 'importGraph';
  /** Why it was looked up ("`x` used on line 12", "imported as `x`"). */
  reason: string;
  tokens: number;
  included: boolean;
  /** Why it was left out. */
  note?: string;
}

export interface PackedContext {
  blocks: ContextBlock[];
  /** All blocks joined, in order: the stable prefix first, the most volatile block last. */
  text: string;
  tokens: number;
  /**
   * The active file, when its text is one of the blocks (a completion prompt for that file then
   * needs only short windows): its URI, and the path its block is headed with.
   */
  activeFile?: { uri: string; path: string };
  report: ContextReport;
}
