import * as vscode from 'vscode';
import type { ExclusionPolicy, WorkspaceFolderRef } from '../../core/chat/workspaceFiles';
import { secretContentReason, secretFileReason } from '../../core/context/secretFiles';

/** The ignore rules the context builder keeps per workspace folder (`IgnoreRules.reasonFor`). */
export interface IgnoreReasons {
  reasonFor(folderKey: string, relativePath: string): string | undefined;
}

/**
 * What the chat never reads, attaches or sends: the context builder's secret files (checked on
 * the relative and the absolute path) and its ignore rules, so tools, attachments and the packed
 * context all leave out the same files; and any text holding a private key.
 */
export class ChatExclusions {
  constructor(
    /** The ignore rules and the key they file a folder under, once the context tracker has them. */
    private readonly ignore?: { rules: () => IgnoreReasons | undefined; folderKey: (folder: WorkspaceFolderRef) => string },
  ) {}

  readonly policy: ExclusionPolicy = (relativePath, folder) =>
    secretFileReason(relativePath, `${folder.path}/${relativePath}`) ?? this.ignore?.rules()?.reasonFor(this.ignore.folderKey(folder), relativePath.replace(/\/+$/, ''));

  readonly content = (text: string): string | undefined => secretContentReason(text);

  /** Why a document must not be attached or packed, or undefined. */
  forUri(uri: vscode.Uri): string | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) {
      return secretFileReason(uri.path, uri.path);
    }
    const base = folder.uri.path.replace(/\/+$/, '');
    const relative = uri.path.startsWith(`${base}/`) ? uri.path.slice(base.length + 1) : uri.path;
    return this.policy(relative, { name: folder.name, path: base });
  }
}
