import * as vscode from 'vscode';

const SECRET_KEY = 'moonpilot.apiKey';

/**
 * The API key lives only in VS Code's SecretStorage; when none is stored, the
 * `MOONSHOT_API_KEY` environment variable is used. Never in settings, never logged.
 */
export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage, private readonly env: NodeJS.ProcessEnv = process.env) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === SECRET_KEY) {
        this.changed.fire();
      }
    });
  }

  /** The key to use, or undefined when neither SecretStorage nor the environment has one. */
  async get(): Promise<string | undefined> {
    const stored = await this.secrets.get(SECRET_KEY);
    const key = stored?.trim() || this.env.MOONSHOT_API_KEY?.trim();
    return key ? key : undefined;
  }

  async source(): Promise<'secretStorage' | 'environment' | 'none'> {
    if (await this.secrets.get(SECRET_KEY)) {
      return 'secretStorage';
    }
    return this.env.MOONSHOT_API_KEY?.trim() ? 'environment' : 'none';
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
