import * as vscode from 'vscode';
import type { Definition, DefinitionResolver } from '../../core/context/definitionTypes';
import type { Logger } from '../../core/log/logger';

/** Pause after a move to another line before the definitions are looked up again. */
export const DEFINITION_DEBOUNCE_MS = 400;
/** Pause after an edit: typing on one line rarely changes what the code around it uses. */
export const DEFINITION_EDIT_DEBOUNCE_MS = 1_000;

/**
 * Finds the definitions the active editor's code uses, off the keystroke path: after the active
 * editor changes, and (debounced) after an edit or a move to another line; never while a
 * completion waits. Keeps the latest result per document, valid for the document version and
 * cursor line it was made for, and hands out the same array while the set is unchanged, so the
 * context's definitions block keeps its bytes. The first request after opening a file may go
 * without them; none waits for them.
 */
export class DefinitionService implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly results = new Map<string, { version: number; line: number; definitions: readonly Definition[] }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: AbortController | undefined;
  private lastKey: string | undefined;
  private readonly found = new vscode.EventEmitter<string>();
  /** Fires with the document's URI when its definitions changed. */
  readonly onDidFind = this.found.event;

  constructor(
    private readonly resolver: DefinitionResolver,
    /** Leaves out definitions from excluded files (secrets, ignored). */
    private readonly allowed: (d: Definition) => boolean,
    private readonly log: Logger,
  ) {
    const w = vscode.window;
    this.subscriptions.push(
      this.found,
      w.onDidChangeActiveTextEditor(() => this.schedule(0)),
      w.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor === w.activeTextEditor && this.lineOf(e.textEditor) !== this.lastLine(e.textEditor)) {
          this.schedule(DEFINITION_DEBOUNCE_MS);
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && e.document === w.activeTextEditor?.document) {
          this.schedule(DEFINITION_EDIT_DEBOUNCE_MS);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.results.delete(d.uri.toString())),
      { dispose: () => this.cancel() },
    );
    this.schedule(0);
  }

  /** The definitions last found for `uri` ([] when none yet): the same array while unchanged. */
  current(uri: string | undefined): readonly Definition[] {
    return (uri !== undefined ? this.results.get(uri)?.definitions : undefined) ?? NONE;
  }

  /** Looks up now for the active editor (tests, Show Context); resolves when done. */
  async refresh(): Promise<void> {
    this.cancel();
    await this.run();
  }

  private lineOf(editor: vscode.TextEditor): number {
    return editor.selection.active.line;
  }

  private lastLine(editor: vscode.TextEditor): number | undefined {
    return this.results.get(editor.document.uri.toString())?.line;
  }

  private schedule(ms: number): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, ms);
  }

  private cancel(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.inFlight?.abort();
    this.inFlight = undefined;
  }

  private async run(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !['file', 'untitled', 'vscode-remote', 'vscode-vfs'].includes(editor.document.uri.scheme)) {
      return;
    }
    const doc = editor.document;
    const uri = doc.uri.toString();
    const line = this.lineOf(editor);
    const sel = editor.selection;
    const selection = sel.isEmpty ? undefined : { startLine: sel.start.line, endLine: sel.end.line };
    const key = `${uri}\u0000${doc.version}\u0000${line}\u0000${selection ? `${selection.startLine}-${selection.endLine}` : ''}`;
    if (key === this.lastKey) {
      return;
    }
    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    try {
      const found = await this.resolver.resolve(
        { uri, path: vscode.workspace.asRelativePath(doc.uri), languageId: doc.languageId, text: doc.getText(), version: doc.version, cursor: { line, character: editor.selection.active.character }, selection },
        controller.signal,
      );
      if (controller.signal.aborted) {
        return;
      }
      this.lastKey = key;
      const definitions = found.filter((d) => this.allowed(d));
      const old = this.results.get(uri);
      const same = old !== undefined && sameDefinitions(old.definitions, definitions);
      this.results.set(uri, { version: doc.version, line, definitions: same ? old.definitions : definitions });
      if (!same) {
        this.log.debug('context', `definitions for ${doc.uri.path}: ${definitions.length} found`);
        this.found.fire(uri);
      }
    } catch (err) {
      this.log.debug('context', `definition lookup failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      if (this.inFlight === controller) {
        this.inFlight = undefined;
      }
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) {
      s.dispose();
    }
  }
}

const NONE: readonly Definition[] = Object.freeze([]);

function sameDefinitions(a: readonly Definition[], b: readonly Definition[]): boolean {
  return a.length === b.length && a.every((d, i) => d.uri === b[i].uri && d.range.startLine === b[i].range.startLine && d.text === b[i].text && d.rank === b[i].rank && d.reason === b[i].reason);
}
