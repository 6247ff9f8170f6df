import * as vscode from 'vscode';
import { COMMANDS, INTERNAL_COMMANDS } from '../../core/config/commandIds';
import type { PauseState } from '../../core/completion/completionBackoff';
import { describeStats, type CompletionStats } from '../../core/completion/completionStats';

/** Everything the status bar item shows. */
export interface CompletionStatus {
  enabled: boolean;
  inFlight: number;
  pause: PauseState | undefined;
  /** The last failure worth showing, until a request succeeds again. */
  lastError: string | undefined;
  lastStats: CompletionStats | undefined;
  /** `estimated`: part of the cost is estimated (requests stopped before Kimi reported usage). */
  session: { requests: number; cost: number; estimated?: boolean };
  /** The completion model, and what reasoning first costs next to K2.6 when it does (`reasoningCostNote`). */
  model?: { label: string; reasoningNote: string | undefined };
  /** Why the active editor's document gets no completion (excluded, secret, user file), if so. */
  excluded?: string;
  /** The endpoint origin waiting for the user's approval (completion is off until answered). */
  approval?: string;
}

/**
 * One status bar item for completion: on/off (click toggles), a spinner while a request is in
 * flight, a warning when the last request failed or completion is paused (click shows why).
 * The tooltip has the last completion's latency, tokens and cost.
 */
export class CompletionStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('moonpilot.completion', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Moonpilot Completion';
    this.item.show();
  }

  /** The text shown now (for tests and the diagnostics API). */
  get text(): string {
    return this.item.text;
  }

  render(status: CompletionStatus): void {
    const problem = status.pause?.message ?? status.lastError;
    if (!status.enabled) {
      this.item.text = '$(circle-slash) Kimi';
      this.item.command = COMMANDS.toggleCompletion;
    } else if (status.excluded !== undefined) {
      this.item.text = '$(eye-closed) Kimi';
      this.item.command = INTERNAL_COMMANDS.showCompletionError;
    } else if (status.approval !== undefined) {
      this.item.text = `$(shield) Kimi: approve ${status.approval}`;
      this.item.command = COMMANDS.approveEndpoint;
    } else if (status.pause?.reason === 'offline') {
      this.item.text = '$(debug-disconnect) Kimi';
      this.item.command = INTERNAL_COMMANDS.showCompletionError;
    } else if (problem !== undefined) {
      this.item.text = '$(warning) Kimi';
      this.item.command = INTERNAL_COMMANDS.showCompletionError;
    } else if (status.inFlight > 0) {
      this.item.text = '$(loading~spin) Kimi';
      this.item.command = COMMANDS.toggleCompletion;
    } else {
      this.item.text = '$(sparkle) Kimi';
      this.item.command = COMMANDS.toggleCompletion;
    }
    this.item.tooltip = tooltip(status, problem);
  }

  dispose(): void {
    this.item.dispose();
  }
}

function tooltip(status: CompletionStatus, problem: string | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**Moonpilot completion**: ${status.enabled ? 'on' : 'off'}${status.model ? ` (${escape(status.model.label)})` : ''}`);
  if (status.excluded !== undefined && status.enabled) {
    md.appendMarkdown(`\n\n$(eye-closed) Off in this file: ${escape(status.excluded)}. Nothing from it is sent.`);
  } else if (status.approval !== undefined && status.enabled) {
    md.appendMarkdown(`\n\n$(shield) Moonpilot asks before sending your API key to ${escape(status.approval)}, which is not Moonshot's API. Completion waits for your answer — click to answer.`);
  } else if (problem !== undefined && status.enabled) {
    const paused = status.pause ? (status.pause.reason === 'offline' ? ' (paused; resumes by itself)' : ' (paused)') : '';
    md.appendMarkdown(`\n\n$(warning) ${escape(problem)}${paused} — click for details`);
  } else {
    md.appendMarkdown(` — click to turn ${status.enabled ? 'off' : 'on'}`);
  }
  if (status.model?.reasoningNote) {
    md.appendMarkdown(`\n\n$(clock) ${escape(status.model.reasoningNote)}`);
  }
  if (status.lastStats) {
    md.appendMarkdown('\n\nLast completion:\n');
    for (const line of describeStats(status.lastStats)) {
      md.appendMarkdown(`\n- ${escape(line)}`);
    }
  }
  if (status.session.requests > 0) {
    md.appendMarkdown(`\n\nThis session: ${status.session.requests} requests, ${status.session.estimated ? '≈' : ''}$${status.session.cost.toFixed(4)}${status.session.estimated ? ' (includes estimates for requests stopped before Kimi reported usage)' : ''}`);
  }
  return md;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>$]/g, (c) => `\\${c}`);
}
