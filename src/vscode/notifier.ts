import * as vscode from 'vscode';

export interface NotificationRecord {
  severity: 'info' | 'warning' | 'error';
  message: string;
  actions: string[];
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
    this.recent.push({ severity, message, actions });
    if (this.recent.length > 20) {
      this.recent.shift();
    }
    switch (severity) {
      case 'info':
        return vscode.window.showInformationMessage(message, ...actions);
      case 'warning':
        return vscode.window.showWarningMessage(message, ...actions);
      case 'error':
        return vscode.window.showErrorMessage(message, ...actions);
    }
  }
}
