import * as vscode from 'vscode';
import { formatCost } from '../../core/chat/format';
import type { UsageMeter } from '../../core/lm/usageMeter';

/**
 * The meter of VS Code's chat on Kimi: a status bar item, shown from the first metered request,
 * with the session's cost; the tooltip has tokens, the cached share and what the cache saved.
 */
export class LmUsageStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(private readonly meter: UsageMeter) {
    this.item = vscode.window.createStatusBarItem('moonpilot.languageModels', vscode.StatusBarAlignment.Right, 98);
    this.item.name = "Moonpilot: Kimi in VS Code's chat";
  }

  /** The text shown now (for tests and the diagnostics API). */
  get text(): string {
    return this.item.text;
  }

  render(): void {
    const t = this.meter.totals;
    if (t.requests === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(comment-discussion) Kimi ${formatCost(t.cost)}`;
    const cachedShare = t.promptTokens > 0 ? Math.round((100 * t.cachedTokens) / t.promptTokens) : 0;
    const md = new vscode.MarkdownString();
    md.appendMarkdown("**Kimi in VS Code's chat** (this window)\n\n");
    md.appendMarkdown(`- ${t.requests} requests, ${formatCost(t.cost)}\n`);
    md.appendMarkdown(`- ${t.promptTokens.toLocaleString('en-US')} prompt tokens, ${cachedShare} % from the cache (saved ${formatCost(t.cacheSaved)})\n`);
    md.appendMarkdown(`- ${t.outputTokens.toLocaleString('en-US')} output tokens (reasoning included)\n`);
    this.item.tooltip = md;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
