import * as vscode from 'vscode';
import { COMMANDS } from '../core/config/commandIds';
import { EndpointApprovals, type ApprovalCheck } from '../core/security/endpointApprovals';
import { endpointKeysInSettingsText, workspaceOverrides, type OriginDecisions } from '../core/security/endpointTrust';
import type { Notifier } from './notifier';
import type { OutputLogger } from './outputLogger';
import type { SettingsReader } from './settingsReader';
import { readWorkspaceSettingsFiles } from './workspaceSettingsFiles';

/** Answers per origin (`https://host[:port]`). Answers stored per host by earlier versions are not carried over. */
const APPROVALS_KEY = 'moonpilot.endpointOrigins';
const TOLD_OVERRIDE_KEY = 'moonpilot.toldWorkspaceOverride';
export const ALLOW = 'Allow';
export const DONT_ALLOW = "Don't Allow";

/**
 * Guards where the key goes: asks once per origin that is not Moonshot's API over https
 * (remembered in global state; see core/security/endpointApprovals.ts for when it asks how) and
 * tells the user once per workspace when its settings try to redirect requests (ignored).
 */
export class EndpointGuard {
  readonly approvals: EndpointApprovals;

  constructor(
    private readonly globalState: vscode.Memento,
    private readonly workspaceState: vscode.Memento,
    private readonly notifier: Notifier,
    private readonly log: OutputLogger,
    private readonly settings: SettingsReader,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const toAnswer = (choice: string | undefined): boolean | undefined => (choice === ALLOW ? true : choice === DONT_ALLOW ? false : undefined);
    this.approvals = new EndpointApprovals(
      {
        get: () => this.globalState.get<OriginDecisions>(APPROVALS_KEY, {}),
        set: (next) => this.globalState.update(APPROVALS_KEY, next),
      },
      {
        modal: async (origin) => {
          this.log.warn('security', `asking (modal) before sending the API key to ${origin}`);
          const answer = toAnswer(await this.notifier.ask(`Send your Moonpilot API key to ${origin}?`, promptDetail(origin), ALLOW, DONT_ALLOW));
          this.logAnswer(origin, answer);
          return answer;
        },
        notification: async (origin) => {
          this.log.warn('security', `asking before sending the API key to ${origin}; completion waits for the answer`);
          const answer = toAnswer(
            await this.notifier.show('warning', `Moonpilot is about to send your API key to ${origin}, which is not a Moonshot API origin. Allow requests to ${origin}?`, ALLOW, DONT_ALLOW),
          );
          this.logAnswer(origin, answer);
          return answer;
        },
      },
      () => env.MOONSHOT_BASE_URL,
    );
  }

  /**
   * Resolves when the key may be sent to `baseUrl`; throws a `KimiError` (`endpointNotApproved`
   * or `cancelled`) otherwise. `interactive` asks with a modal and waits; otherwise it never waits.
   */
  check(baseUrl: string, options: ApprovalCheck): Promise<void> {
    return this.approvals.check(baseUrl, options);
  }

  /** What is decided about `baseUrl` without asking (see EndpointApprovals.decided). Never prompts. */
  decided(baseUrl: string): boolean | undefined {
    return this.approvals.decided(baseUrl);
  }

  private logAnswer(origin: string, answer: boolean | undefined): void {
    this.log.info('security', answer === undefined ? `no answer about ${origin} (asked again later)` : `${answer ? 'allowed' : 'refused'} ${origin}`);
  }

  /** "Approve ORIGIN" (the completion status bar's click) and "Manage Endpoint Approvals". */
  registerCommands(register: (id: string, handler: (...args: never[]) => unknown) => vscode.Disposable, baseUrl: () => string): vscode.Disposable {
    return vscode.Disposable.from(
      register(COMMANDS.approveEndpoint, async (): Promise<boolean | undefined> => this.approvals.askAgain(baseUrl())),
      register(COMMANDS.manageEndpoints, async (): Promise<string[]> => this.manage()),
    );
  }

  /** Lists remembered answers; the ones the user picks are forgotten (asked again next time). */
  private async manage(): Promise<string[]> {
    const answers = this.approvals.list();
    if (answers.length === 0) {
      void this.notifier.show('info', 'Moonpilot has no approved or refused endpoints. Moonshot\'s API over https and MOONSHOT_BASE_URL are trusted without asking.');
      return [];
    }
    const picked = await vscode.window.showQuickPick(
      answers.map((a) => ({ label: a.origin, description: a.allowed ? 'approved' : 'refused', origin: a.origin })),
      { canPickMany: true, title: 'Moonpilot: endpoint approvals', placeHolder: 'Pick the answers to revoke (Moonpilot asks again next time)' },
    );
    const origins = (picked ?? []).map((p) => p.origin);
    if (origins.length > 0) {
      await this.approvals.forget(origins);
      this.log.info('security', `revoked the answers for ${origins.join(', ')}`);
    }
    return origins;
  }

  /**
   * Tells the user, once per workspace, that workspace endpoint settings are ignored. Reads the
   * settings files too: VS Code drops machine-scoped values from workspace scope without a trace.
   */
  async checkWorkspaceOverrides(): Promise<void> {
    if (this.workspaceState.get<boolean>(TOLD_OVERRIDE_KEY)) {
      return;
    }
    const keys = new Set<string>(workspaceOverrides((key) => this.settings.inspect(key)));
    for (const file of await readWorkspaceSettingsFiles()) {
      endpointKeysInSettingsText(file.text, file.workspaceFile).forEach((k) => keys.add(k));
    }
    if (keys.size === 0 || this.workspaceState.get<boolean>(TOLD_OVERRIDE_KEY)) {
      return;
    }
    await this.workspaceState.update(TOLD_OVERRIDE_KEY, true);
    const names = [...keys].map((k) => `moonpilot.${k}`).join(', ');
    this.log.warn('security', `workspace settings tried to set ${names}; ignored`);
    void this.notifier.show('warning', `This workspace's settings set ${names}. Moonpilot ignores it: only your user settings decide where your API key is sent.`);
  }

  /** Re-checks when a workspace settings file changes. */
  watch(): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/settings.json');
    const recheck = (): void => void this.checkWorkspaceOverrides();
    return vscode.Disposable.from(watcher, watcher.onDidCreate(recheck), watcher.onDidChange(recheck), vscode.workspace.onDidChangeConfiguration(recheck));
  }
}

function promptDetail(origin: string): string {
  return `${origin} is not Moonshot's API (https://api.moonshot.ai or https://api.moonshot.cn). If you allow it, Moonpilot sends your API key and the code in your requests there. "Moonpilot: Manage Endpoint Approvals" revokes the answer.`;
}
