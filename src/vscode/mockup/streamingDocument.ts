import * as vscode from 'vscode';

/**
 * A new untitled editor that text is streamed into. Appends are queued and coalesced: while one
 * edit is being applied, further text collects and goes in with the next, so a fast stream
 * costs a handful of edits, not one per chunk.
 */
export class StreamingDocument {
  private pending = '';
  private writing: Promise<void> | undefined;
  /** Set when an edit failed (e.g. the document was closed); later text is dropped. */
  failure: Error | undefined;

  private constructor(readonly document: vscode.TextDocument) {}

  /** Opens an empty untitled document in `languageId` (or the fallback when VS Code lacks it) beside nothing, focused. */
  static async open(languageId: string, fallbackLanguageId: string): Promise<StreamingDocument> {
    const known = await vscode.languages.getLanguages();
    const language = known.includes(languageId) ? languageId : fallbackLanguageId;
    const document = await vscode.workspace.openTextDocument({ language, content: '' });
    await vscode.window.showTextDocument(document, { preview: false });
    return new StreamingDocument(document);
  }

  get uri(): vscode.Uri {
    return this.document.uri;
  }

  append(text: string): void {
    if (text === '' || this.failure) {
      return;
    }
    this.pending += text;
    this.writing ??= this.drain();
  }

  /** Resolves once every appended character is in the document. */
  async flush(): Promise<void> {
    while (this.writing) {
      await this.writing;
    }
  }

  /** Inserts `text` at the very top (after flushing what was appended). */
  async prepend(text: string): Promise<void> {
    await this.flush();
    const edit = new vscode.WorkspaceEdit();
    edit.insert(this.document.uri, new vscode.Position(0, 0), text);
    await vscode.workspace.applyEdit(edit);
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending !== '') {
        const text = this.pending;
        this.pending = '';
        const edit = new vscode.WorkspaceEdit();
        const last = this.document.lineAt(this.document.lineCount - 1);
        edit.insert(this.document.uri, last.range.end, text);
        if (!(await vscode.workspace.applyEdit(edit))) {
          throw new Error('VS Code refused the edit (was the document closed?)');
        }
      }
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err));
      this.pending = '';
    } finally {
      this.writing = undefined;
    }
  }
}
