import * as vscode from 'vscode';
import { parseSettings, type Settings } from '../core/config/settings';

const SECTION = 'moonpilot';

/** Reads `moonpilot.*` into the typed `Settings`, re-reading when the configuration changes. */
export class SettingsReader implements vscode.Disposable {
  private cached: Settings | undefined;
  private readonly changed = new vscode.EventEmitter<Settings>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) {
        this.cached = undefined;
        this.changed.fire(this.current);
      }
    });
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
    this.subscription.dispose();
    this.changed.dispose();
  }
}
