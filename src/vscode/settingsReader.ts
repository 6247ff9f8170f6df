import * as vscode from 'vscode';
import { parseSettings, type Settings } from '../core/config/settings';

const SECTION = 'moonpilot';

/** Reads `moonpilot.*` into the typed `Settings`, re-reading when the configuration changes. */
export class SettingsReader implements vscode.Disposable {
  private cached: Settings | undefined;
  private readonly changed = new vscode.EventEmitter<Settings>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {
    const reread = (): void => {
      this.cached = undefined;
      this.changed.fire(this.current);
    };
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION)) {
          reread();
        }
      }),
      // Trusting the folder applies its restricted settings (ignored in Restricted Mode).
      vscode.workspace.onDidGrantWorkspaceTrust(reread),
    ];
  }

  get current(): Settings {
    if (!this.cached) {
      const config = vscode.workspace.getConfiguration(SECTION);
      this.cached = parseSettings(
        {
          get: (key) => config.get(key),
          // Only the user/machine-level value counts for settings that decide where requests go.
          userValue: (key) => config.inspect(key)?.globalValue,
        },
        this.env,
      );
    }
    return this.cached;
  }

  /** Raw access for feature settings parsed by their own modules. */
  get configuration(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}
