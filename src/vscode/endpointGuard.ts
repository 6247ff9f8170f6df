import * as vscode from 'vscode';
import { endpointKeysInSettingsText, hostOf, trustFor, workspaceOverrides } from '../core/security/endpointTrust';
import type { Notifier } from './notifier';
import type { OutputLogger } from './outputLogger';

const APPROVALS_KEY = 'moonpilot.approvedHosts';
const TOLD_OVERRIDE_KEY = 'moonpilot.toldWorkspaceOverride';
export const ALLOW = 'Allow';
export const DONT_ALLOW = "Don't Allow";

/**
 * Guards where the key goes: asks once per non-Moonshot host (remembered in global state) and
 * tells the user once per workspace when its settings try to redirect requests (ignored).
 */
export class EndpointGuard {
  private pending = new Map<string, Promise<boolean>>();

  constructor(
    private readonly globalState: vscode.Memento,
    private readonly workspaceState: vscode.Memento,
    private readonly notifier: Notifier,
    private readonly log: OutputLogger,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Whether the key may be sent to `baseUrl`; asks the user the first time (once per host). */
  async mayUse(baseUrl: string, options: { wait: boolean }): Promise<boolean> {
    const host = hostOf(baseUrl);
    if (!host) {
      return false;
    }
    const remembered = this.globalState.get<Record<string, boolean>>(APPROVALS_KEY, {});
    const decision = trustFor(host, remembered, this.env.MOONSHOT_BASE_URL);
    if (decision === 'trusted' || decision === 'approved') {
      return true;
    }
    if (decision === 'denied') {
      return false;
    }
    let answer = this.pending.get(host);
    if (!answer) {
      answer = this.ask(host);
      this.pending.set(host, answer);
    }
    return options.wait ? answer : false;
  }

  /**
   * What is decided about `baseUrl` without asking: true (trusted or allowed before), false
   * (refused before, or not a URL), undefined (the user has not been asked). Never prompts.
   */
  decided(baseUrl: string): boolean | undefined {
    const host = hostOf(baseUrl);
    if (!host) {
      return false;
    }
    const decision = trustFor(host, this.globalState.get<Record<string, boolean>>(APPROVALS_KEY, {}), this.env.MOONSHOT_BASE_URL);
    return decision === 'trusted' || decision === 'approved' ? true : decision === 'denied' ? false : undefined;
  }

  private async ask(host: string): Promise<boolean> {
    this.log.warn('security', `asking before sending the API key to ${host}`);
    const choice = await this.notifier.show(
      'warning',
      `Moonpilot is about to send your API key to ${host}, which is not a Moonshot API host. Allow requests to ${host}?`,
      ALLOW,
      DONT_ALLOW,
    );
    this.pending.delete(host);
    if (choice === undefined) {
      return false; // Dismissed: ask again next time.
    }
    const allowed = choice === ALLOW;
    const remembered = { ...this.globalState.get<Record<string, boolean>>(APPROVALS_KEY, {}), [host]: allowed };
    await this.globalState.update(APPROVALS_KEY, remembered);
    this.log.info('security', `${allowed ? 'allowed' : 'refused'} ${host}`);
    return allowed;
  }

  /**
   * Tells the user, once per workspace, that workspace endpoint settings are ignored. Reads the
   * settings files too: VS Code drops machine-scoped values from workspace scope without a trace.
   */
  async checkWorkspaceOverrides(): Promise<void> {
    if (this.workspaceState.get<boolean>(TOLD_OVERRIDE_KEY)) {
      return;
    }
    const config = vscode.workspace.getConfiguration('moonpilot');
    const keys = new Set(workspaceOverrides((key) => config.inspect(key)));
    const files: { uri: vscode.Uri; workspaceFile: boolean }[] = (vscode.workspace.workspaceFolders ?? []).map((f) => ({
      uri: vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json'),
      workspaceFile: false,
    }));
    if (vscode.workspace.workspaceFile?.scheme === 'file') {
      files.push({ uri: vscode.workspace.workspaceFile, workspaceFile: true });
    }
    for (const file of files) {
      try {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file.uri));
        endpointKeysInSettingsText(text, file.workspaceFile).forEach((k) => keys.add(k));
      } catch {
        // No settings file: nothing to ignore.
      }
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
