import * as vscode from 'vscode';

export interface NotificationRecord {
  severity: 'info' | 'warning' | 'error';
  message: string;
  actions: string[];
  /** A modal dialog (VS Code never hides it; the user must answer or cancel). */
  modal?: boolean;
}

/**
 * Shows notifications and remembers the last few, so the diagnostics API (and the integration
 * tests in a real VS Code) can see what the user was shown.
 */
export class Notifier {
  private readonly recent: NotificationRecord[] = [];

  get history(): readonly NotificationRecord[] {
    return this.recent;
  }

  show(severity: NotificationRecord['severity'], message: string, ...actions: string[]): Thenable<string | undefined> {
    this.remember({ severity, message, actions });
    switch (severity) {
      case 'info':
        return vscode.window.showInformationMessage(message, ...actions);
      case 'warning':
        return vscode.window.showWarningMessage(message, ...actions);
      case 'error':
        return vscode.window.showErrorMessage(message, ...actions);
    }
  }

  /** A modal warning with a detail line; resolves undefined when cancelled. */
  ask(message: string, detail: string, ...actions: string[]): Thenable<string | undefined> {
    this.remember({ severity: 'warning', message, actions, modal: true });
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions);
  }

  private remember(record: NotificationRecord): void {
    this.recent.push(record);
    if (this.recent.length > 20) {
      this.recent.shift();
    }
  }
}
