/**
 * Which documents may reach Kimi, by their URI scheme: one list for every feature (inline
 * completion, the context builder, chat attachments and tools, mockup → code). Pure.
 *
 * - Never, by any feature: VS Code's own user files (`vscode-userdata:` — user settings.json,
 *   mcp.json, keybindings, snippets, profiles), and views that are not documents anyone types
 *   code into (output and debug panes, SCM input and diff/history views, terminals, notebook
 *   outputs, Moonpilot's own context view).
 * - As a file in the context or a chat attachment: only real files and unsaved new ones
 *   (`file:`, `untitled:`, remote and virtual workspaces' `vscode-remote:`, `vscode-vfs:`).
 * - Inline completion: any other scheme too (notebook cells, a writable virtual file system),
 *   because there the user is typing and the text around the cursor is the prompt.
 */

/** Features that send a document's text. */
export type SchemeUse = 'completion' | 'context' | 'attachment';

/** Scheme → why its documents are never sent. */
const NEVER_SENT: ReadonlyMap<string, string> = new Map([
  ['vscode-userdata', "VS Code's user settings and files"],
  ['output', 'an output pane'],
  ['debug', 'a debug view'],
  ['git', 'a git history view'],
  ['gitfs', 'a git history view'],
  ['vscode-scm', 'the source control input'],
  ['vscode-notebook-cell-output', 'a notebook output'],
  ['vscode-terminal', 'a terminal'],
  ['moonpilot-context', "Moonpilot's context view"],
]);

/** Schemes whose documents are files (or unsaved new ones) that may go into the context. */
const FILE_SCHEMES: ReadonlySet<string> = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

/** Why a document of `scheme` must not be sent for `use`, or undefined when it may be. */
export function schemeReason(scheme: string, use: SchemeUse): string | undefined {
  const never = NEVER_SENT.get(scheme);
  if (never !== undefined) {
    return `${never} (${scheme}: scheme), never sent`;
  }
  if (use !== 'completion' && !FILE_SCHEMES.has(scheme)) {
    return `not a file (${scheme}: scheme)`;
  }
  return undefined;
}

/** Whether documents of `scheme` are files the context builder tracks (and loads ignore rules for). */
export function isFileScheme(scheme: string): boolean {
  return FILE_SCHEMES.has(scheme);
}
