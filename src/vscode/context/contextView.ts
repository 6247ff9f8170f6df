import * as vscode from 'vscode';
import { renderContextView } from '../../core/context/contextReportView';
import type { ContextTracker } from './contextTracker';

export const CONTEXT_SCHEME = 'moonpilot-context';
const VIEW_URI = vscode.Uri.from({ scheme: CONTEXT_SCHEME, path: '/Moonpilot Context.md' });

/**
 * "Moonpilot: Show Context for Current Editor": a read-only virtual document showing exactly what
 * chat would send for the active editor. Rendered when the command runs (running it again
 * refreshes it), not on every keystroke.
 */
export class ContextView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private content = '';

  constructor(private readonly tracker: ContextTracker) {}

  provideTextDocumentContent(): string {
    return this.content;
  }

  /** Packs for chat, renders the view and shows it beside the editor; returns the view's URI. */
  async show(): Promise<vscode.Uri> {
    await this.tracker.whenRulesLoaded();
    const packed = this.tracker.pack('chat');
    const budget = this.tracker.budgetFor('chat');
    const snapshot = this.tracker.snapshot();
    const active = snapshot.documents.find((d) => d.uri === snapshot.activeUri);
    this.content = renderContextView(packed, { ...budget, activePath: active?.path });
    this.changed.fire(VIEW_URI);
    const doc = await vscode.workspace.openTextDocument(VIEW_URI);
    // Running it again refreshes the view where it is, instead of opening one more group beside it.
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === VIEW_URI.toString());
    await vscode.window.showTextDocument(doc, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
    return VIEW_URI;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
