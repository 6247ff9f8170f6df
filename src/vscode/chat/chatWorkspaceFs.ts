import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { pathWithoutLinks, type EntryStat, type EntryType, type WorkspaceFileSystem, type WorkspaceFolderRef } from '../../core/chat/workspaceFiles';

/** Folders and search results never worth a tool's time. */
const FIND_EXCLUDE = '**/{node_modules,.git}/**';

function entryType(type: vscode.FileType): EntryType {
  return type & vscode.FileType.Directory ? 'directory' : type & vscode.FileType.File ? 'file' : 'other';
}

/**
 * The chat tools' file-system port over `vscode.workspace.fs` (any scheme, remote included).
 * Real paths come from the OS for `file:` folders; on other schemes a symbolic link cannot be
 * resolved here, so a path with a link anywhere below its folder is refused.
 */
export class VsCodeWorkspaceFs implements WorkspaceFileSystem {
  folders(): readonly WorkspaceFolderRef[] {
    return (vscode.workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, path: f.uri.path.replace(/\/+$/, '') || '/' }));
  }

  private uri(path: string): vscode.Uri {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const folder = folders.find((f) => path === f.uri.path || path.startsWith(`${f.uri.path.replace(/\/+$/, '')}/`)) ?? folders[0];
    if (!folder) {
      throw new Error('no workspace folder is open');
    }
    return folder.uri.with({ path });
  }

  async stat(path: string): Promise<EntryStat | undefined> {
    try {
      const s = await vscode.workspace.fs.stat(this.uri(path));
      return { type: entryType(s.type), isSymlink: (s.type & vscode.FileType.SymbolicLink) !== 0, size: s.size };
    } catch {
      return undefined;
    }
  }

  async realPath(path: string): Promise<string | undefined> {
    const uri = this.uri(path);
    if (uri.scheme === 'file') {
      try {
        return vscode.Uri.file(await fs.promises.realpath(uri.fsPath)).path;
      } catch {
        return undefined;
      }
    }
    const folder = this.folders().find((f) => path === f.path || path.startsWith(`${f.path}/`));
    return folder ? pathWithoutLinks(path, folder.path, (p) => this.stat(p)) : undefined;
  }

  async readDirectory(path: string): Promise<Array<{ name: string; type: EntryType; isSymlink: boolean }>> {
    const entries = await vscode.workspace.fs.readDirectory(this.uri(path));
    return entries.map(([name, type]) => ({ name, type: entryType(type), isSymlink: (type & vscode.FileType.SymbolicLink) !== 0 }));
  }

  async readFile(path: string): Promise<Uint8Array> {
    return vscode.workspace.fs.readFile(this.uri(path));
  }

  async findFiles(folder: WorkspaceFolderRef, glob: string, max: number): Promise<string[]> {
    const base = this.uri(folder.path);
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(base, glob), FIND_EXCLUDE, max);
    return found.map((u) => u.path);
  }
}
