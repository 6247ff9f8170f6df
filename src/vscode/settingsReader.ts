import * as vscode from 'vscode';
import { parseSettings, type RawSettings, type SettingKey, type Settings } from '../core/config/settings';

const SECTION = 'moonpilot';

/** Where a setting is set: `inspect` of VS Code, narrowed to what Moonpilot looks at. */
export interface SettingValues {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The one adapter between VS Code's configuration and the typed `Settings`: the only
 * `getConfiguration('moonpilot')` of the extension (reads, inspections and writes). Re-reads
 * when the configuration changes. Built first in the composition root, so its change listener
 * runs before any other component's and they all see the new values.
 */
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

  /** The settings of the window (no resource scope), parsed once per change. */
  get current(): Settings {
    this.cached ??= this.parse(vscode.workspace.getConfiguration(SECTION));
    return this.cached;
  }

  /** The settings as they apply to `uri` (resource-scoped ones, `context.exclude`, may differ per folder). */
  forResource(uri: vscode.Uri): Settings {
    return this.parse(vscode.workspace.getConfiguration(SECTION, uri));
  }

  /** Where a setting is set (user, workspace, folder): to tell the user about ignored values or to write it back there. */
  inspect(key: SettingKey): SettingValues | undefined {
    return vscode.workspace.getConfiguration(SECTION).inspect(key);
  }

  /** Writes a setting (the user's choice in a notification or a command). */
  update(key: SettingKey, value: unknown, target: vscode.ConfigurationTarget): Thenable<void> {
    return vscode.workspace.getConfiguration(SECTION).update(key, value, target);
  }

  private parse(config: vscode.WorkspaceConfiguration): Settings {
    const raw: RawSettings = {
      get: (key) => config.get(key),
      // Only the user/machine-level value counts for settings that decide where requests go.
      userValue: (key) => config.inspect(key)?.globalValue,
    };
    return parseSettings(raw, this.env);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}
