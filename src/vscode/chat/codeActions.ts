import * as vscode from 'vscode';
import { languageIdForFence } from '../../core/chat/fenceLanguages';
import type { CodeAction } from '../../core/chat/protocol';
import type { Notifier } from '../notifier';

/**
 * Copy, Insert at Cursor and Open in New Editor for code blocks in the chat. The chat view takes
 * focus when a button is clicked, so "the cursor" is the last text editor the user was in.
 */
export class CodeActions implements vscode.Disposable {
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly subscription = vscode.window.onDidChangeActiveTextEditor((editor) => {
    if (editor) {
      this.lastEditor = editor;
    }
  });

  constructor(private readonly notifier: Notifier) {}

  async run(action: CodeAction, code: string, language: string): Promise<void> {
    switch (action) {
      case 'copy':
        await vscode.env.clipboard.writeText(code);
        vscode.window.setStatusBarMessage('Moonpilot: code copied', 2_000);
        return;
      case 'insert':
        await this.insert(code);
        return;
      case 'openInEditor': {
        const languageId = languageIdForFence(language, await vscode.languages.getLanguages());
        const doc = await vscode.workspace.openTextDocument({ content: code, language: languageId });
        await vscode.window.showTextDocument(doc, { preview: false });
        return;
      }
    }
  }

  private async insert(code: string): Promise<void> {
    const editor = vscode.window.activeTextEditor ?? this.visibleLastEditor();
    if (!editor) {
      void this.notifier.show('info', 'Open a file and place the cursor where the code should go, then click Insert again.');
      return;
    }
    const ok = await editor.edit((edit) => {
      for (const selection of editor.selections) {
        edit.replace(selection, code);
      }
    });
    if (ok) {
      await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
    }
  }

  private visibleLastEditor(): vscode.TextEditor | undefined {
    const last = this.lastEditor;
    return last && vscode.window.visibleTextEditors.includes(last) ? last : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
