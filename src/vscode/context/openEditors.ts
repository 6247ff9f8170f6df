import * as vscode from 'vscode';

/**
 * The URIs open in tabs (text, diff and custom editors) and visible editors, each once, in a
 * deterministic order of appearance; the context view's own document is not one of them.
 */
export function openEditorUris(): string[] {
  const seen = new Set<string>();
  const uris: string[] = [];
  const add = (uri: vscode.Uri | undefined): void => {
    const key = uri?.toString();
    if (key && !seen.has(key) && uri?.scheme !== 'moonpilot-context') {
      seen.add(key);
      uris.push(key);
    }
  };
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputText) {
        add(tab.input.uri);
      } else if (tab.input instanceof vscode.TabInputTextDiff) {
        add(tab.input.original);
        add(tab.input.modified);
      } else if (tab.input instanceof vscode.TabInputCustom) {
        // Images, PDFs, hex views, custom text editors: included when VS Code holds their text,
        // otherwise reported with the reason (binary) instead of silently missing.
        add(tab.input.uri);
      }
    }
  }
  for (const editor of vscode.window.visibleTextEditors) {
    add(editor.document.uri);
  }
  return uris;
}
