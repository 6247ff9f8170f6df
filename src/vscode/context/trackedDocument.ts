import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrackedDocument } from '../../core/context/contextTypes';

/** The document as the packer sees it, its text read now (unsaved edits included); `firstOpened` as given. */
export function trackedDocument(doc: vscode.TextDocument, firstOpened: number): TrackedDocument {
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  const relativePath = folder ? path.posix.relative(folder.uri.path, doc.uri.path) : undefined;
  return {
    uri: doc.uri.toString(),
    path: displayPath(doc.uri),
    languageId: doc.languageId,
    text: doc.getText(),
    firstOpened,
    version: doc.version,
    folderKey: folder?.uri.toString(),
    relativePath,
    absolutePath: doc.uri.scheme === 'file' ? doc.uri.fsPath.replace(/\\/g, '/') : doc.uri.path,
    untitled: doc.uri.scheme === 'untitled',
  };
}

/** Workspace-relative path (with the folder name in a multi-root workspace), or the file name outside any folder. */
export function displayPath(uri: vscode.Uri): string {
  if (uri.scheme === 'untitled') {
    return uri.path;
  }
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  return folder ? vscode.workspace.asRelativePath(uri, multiRoot) : path.posix.basename(uri.path);
}

/** Characters in the document, from its line index (the text is not copied). */
export function documentLength(doc: vscode.TextDocument): number {
  return doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
}
