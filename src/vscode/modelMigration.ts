import * as vscode from 'vscode';
import type { KimiClient } from '../core/kimi/kimiClient';
import type { ModelInfo } from '../core/kimi/kimiTypes';
import { modelProblem, type ModelProblem, type ModelSetting } from '../core/kimi/modelMigration';
import type { Notifier } from './notifier';
import type { OutputLogger } from './outputLogger';
import type { SettingsReader } from './settingsReader';

const OPEN_SETTINGS = 'Open Settings';

/**
 * Tells the user, once per setting and model, that a configured model is not served (it is not
 * in `/models`, or it answered 404), naming what replaces it, and puts the replacement in the
 * setting in one click. Features check on first use and report 404s; they never loop on them
 * (completion pauses until the settings change, see completionBackoff.ts).
 */
export class ModelMigration {
  private readonly told = new Set<string>();

  constructor(
    private readonly settings: SettingsReader,
    private readonly modelList: (client: KimiClient) => Promise<ModelInfo[] | undefined>,
    private readonly notifier: Notifier,
    private readonly log: OutputLogger,
  ) {}

  /** The model a setting names now. */
  modelOf(setting: ModelSetting): string {
    const s = this.settings.current;
    return setting === 'completion.model' ? s.completionModel : setting === 'chat.model' ? s.chatModel : s.visionModel;
  }

  /**
   * Checks the setting's model against the endpoint's `/models` (fetched once per client). Resolves
   * the problem, after telling the user, when the endpoint lists models but not this one.
   */
  async check(setting: ModelSetting, client: KimiClient): Promise<ModelProblem | undefined> {
    const model = this.modelOf(setting);
    const listed = await this.modelList(client);
    const problem = modelProblem(setting, model, listed, 'unlisted', this.host());
    if (problem) {
      this.tell(problem);
    }
    return problem;
  }

  /** A request for the setting's model answered 404: tell the user (once) what replaces it. */
  async notFound(setting: ModelSetting, client: KimiClient | undefined, model: string = this.modelOf(setting)): Promise<ModelProblem> {
    const listed = client ? await this.modelList(client) : undefined;
    const problem = modelProblem(setting, model, listed, 'notFound', this.host()) as ModelProblem;
    this.tell(problem);
    return problem;
  }

  private host(): string {
    try {
      return new URL(this.settings.current.baseUrl).host;
    } catch {
      return 'the endpoint';
    }
  }

  private tell(problem: ModelProblem): void {
    const key = `${problem.setting}\u0000${problem.model}`;
    if (this.told.has(key)) {
      return;
    }
    this.told.add(key);
    this.log.warn('models', problem.message);
    const use = problem.replacement !== undefined ? `Use ${problem.replacement}` : undefined;
    void this.notifier.show('warning', `Moonpilot: ${problem.message}`, ...(use ? [use] : []), OPEN_SETTINGS).then(async (choice) => {
      if (use !== undefined && choice === use && problem.replacement !== undefined) {
        await this.apply(problem.setting, problem.replacement);
      } else if (choice === OPEN_SETTINGS) {
        await vscode.commands.executeCommand('workbench.action.openSettings', `moonpilot.${problem.setting}`);
      }
    });
  }

  /** Writes the replacement where the old value was set (workspace or user), so it takes effect. */
  async apply(setting: ModelSetting, model: string): Promise<void> {
    const target = this.settings.inspect(setting)?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await this.settings.update(setting, model, target);
    this.log.info('models', `moonpilot.${setting} set to ${model}`);
  }
}
