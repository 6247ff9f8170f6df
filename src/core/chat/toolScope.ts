import type { ToolCallView } from './protocol';
import type { ExclusionPolicy, WorkspaceFileSystem } from './workspaceFiles';

/** How much one tool call may list, read or search, so it cannot flood the context window. */
export interface ToolLimits {
  maxListEntries: number;
  maxReadChars: number;
  maxReadBytes: number;
  maxSearchFiles: number;
  maxSearchFileBytes: number;
  maxSearchMatches: number;
}

/** The limits the chat uses. */
export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  maxListEntries: 300,
  maxReadChars: 60_000,
  maxReadBytes: 4_000_000,
  maxSearchFiles: 5_000,
  maxSearchFileBytes: 1_000_000,
  maxSearchMatches: 60,
};

/** What a tool call produced: the text for the model and a compact line for the transcript. */
export interface ToolOutcome {
  content: string;
  view: ToolCallView;
}

/** What every tool works over: the workspace port, what is excluded, and the limits. */
export interface ToolScope {
  readonly fs: WorkspaceFileSystem;
  readonly policy: ExclusionPolicy;
  /** Why a file's text must not be sent (e.g. a private key pasted into it), or undefined. */
  readonly contentPolicy: (text: string) => string | undefined;
  readonly limits: ToolLimits;
}

/** Makes the call's transcript line with a status and a short detail. */
export type ToolViewOf = (status: ToolCallView['status'], detail: string) => ToolCallView;
