/**
 * Whether a document may be sent at all, before anything reads its text: the one verdict that
 * inline completion, the context builder and the chat share (schemes, secret files, the ignore
 * rules). Pure; the VS Code exclusion service supplies the paths and the loaded rules.
 */
import type { ExclusionKind } from './contextTypes';
import type { IgnoreRules } from './ignoreRules';
import { secretFileReason } from './secretFiles';
import { schemeReason, type SchemeUse } from './uriSchemes';

export interface DocumentRef {
  scheme: string;
  /** Path shown to the user and checked for secret names (workspace-relative when in a folder). */
  path: string;
  /** Absolute path (`/`-separated), for the home-folder secret stores. */
  absolutePath?: string;
  /** Workspace folder identity and the path relative to it; absent outside any folder. */
  folderKey?: string;
  relativePath?: string;
  /** The URI's own path (`/`-separated), whatever its scheme. */
  uriPath?: string;
}

/**
 * VS Code's user data folder (the `User` folder holding settings.json, keybindings.json, mcp.json,
 * snippets and profiles), as a `/`-separated path. Where VS Code opens those files under another
 * scheme than `vscode-userdata:` (a browser or remote workbench keeps them on the server), they
 * are still recognised by where they are.
 */
export interface UserDataFolder {
  path: string;
}

/** The reason while the ignore rules of a document's folders are still being read. */
export const PENDING_RULES_REASON = 'waiting for ignore rules to load';

export interface ExclusionVerdict {
  kind: Extract<ExclusionKind, 'scheme' | 'secret' | 'ignored' | 'pending'>;
  reason: string;
}

/**
 * Why `doc` must not be sent for `use`, or undefined. Order: scheme, secret file (even when the
 * ignore rules would bring it back), then the ignore rules; while the rules of its folders are
 * still loading (`rulesPending`) the answer is "not yet", never "yes".
 */
export function documentExclusion(doc: DocumentRef, use: SchemeUse, rules: IgnoreRules, rulesPending: boolean, userData?: UserDataFolder): ExclusionVerdict | undefined {
  const scheme = schemeReason(doc.scheme, use);
  if (scheme !== undefined) {
    return { kind: 'scheme', reason: scheme };
  }
  const userDir = userData?.path.replace(/\/+$/, '');
  if (userDir && [doc.uriPath, doc.absolutePath].some((p) => p !== undefined && p.startsWith(`${userDir}/`))) {
    return { kind: 'scheme', reason: "VS Code's user settings and files (in its User folder), never sent" };
  }
  const secret = secretFileReason(doc.relativePath ?? doc.path, doc.absolutePath);
  if (secret !== undefined) {
    return { kind: 'secret', reason: secret };
  }
  if (doc.folderKey === undefined || doc.relativePath === undefined) {
    return undefined;
  }
  if (rulesPending) {
    return { kind: 'pending', reason: PENDING_RULES_REASON };
  }
  const ignored = rules.reasonFor(doc.folderKey, doc.relativePath);
  return ignored !== undefined ? { kind: 'ignored', reason: ignored } : undefined;
}
