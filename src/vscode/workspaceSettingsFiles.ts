import * as vscode from 'vscode';

/** The text of one workspace settings file, as written (VS Code drops some values without a trace). */
export interface WorkspaceSettingsText {
  text: string;
  /** A `.code-workspace` file (settings under `"settings"`), not a folder's `.vscode/settings.json`. */
  workspaceFile: boolean;
}

/** Reads every folder's `.vscode/settings.json` and the `.code-workspace` file; missing ones are skipped. */
export async function readWorkspaceSettingsFiles(): Promise<WorkspaceSettingsText[]> {
  const files: { uri: vscode.Uri; workspaceFile: boolean }[] = (vscode.workspace.workspaceFolders ?? []).map((f) => ({
    uri: vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json'),
    workspaceFile: false,
  }));
  if (vscode.workspace.workspaceFile?.scheme === 'file') {
    files.push({ uri: vscode.workspace.workspaceFile, workspaceFile: true });
  }
  const read: WorkspaceSettingsText[] = [];
  for (const file of files) {
    try {
      read.push({ text: new TextDecoder().decode(await vscode.workspace.fs.readFile(file.uri)), workspaceFile: file.workspaceFile });
    } catch {
      // No settings file there.
    }
  }
  return read;
}
