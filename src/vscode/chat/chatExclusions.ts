import * as vscode from 'vscode';
import type { ExclusionPolicy, WorkspaceFolderRef } from '../../core/chat/workspaceFiles';
import { parseContextSettings } from '../../core/context/contextBudget';
import { IgnoreRules, type IgnoreFileName } from '../../core/context/ignoreRules';
import { secretContentReason, secretFileReason } from '../../core/context/secretFiles';

const IGNORE_FILES = '**/{.gitignore,.moonpilotignore}';
const MAX_IGNORE_FILES = 2_000;

/**
 * What the chat never reads, attaches or sends, by the context builder's rules:
 * - secret files (`secretFiles.ts`, on the relative and the absolute path) and any text holding
 *   a private key: never, not even when the user attaches them;
 * - for the tools also the ignore rules (`.gitignore`, `.moonpilotignore`, `files.exclude`,
 *   `moonpilot.context.exclude`, via the context builder's `IgnoreRules`), so the model cannot
 *   read through a tool what the context leaves out. All ignore files of the workspace are read
 *   at a turn's first tool call, and again when they change.
 */
export class ChatExclusions implements vscode.Disposable {
  private readonly rules = new IgnoreRules();
  private loaded: Promise<void> | undefined;
  /** Ignore files read so far (URIs), to notice deleted ones. */
  private readonly known = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(IGNORE_FILES);
    const reload = (uri: vscode.Uri): void => {
      if (this.loaded) {
        this.loaded = this.loaded.then(() => this.readIgnoreFile(uri));
      }
    };
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate(reload),
      watcher.onDidChange(reload),
      watcher.onDidDelete(reload),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('files.exclude') || e.affectsConfiguration('moonpilot.context')) {
          this.loadGlobs();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.loaded = undefined;
      }),
    );
  }

  /** Secret files, for attachments and everything else the user hands over explicitly. */
  readonly secrets: ExclusionPolicy = (relativePath, folder) => secretFileReason(relativePath, `${folder.path}/${relativePath}`);

  /** Secret and ignored files, for what the model asks for through tools. */
  readonly policy: ExclusionPolicy = (relativePath, folder) =>
    this.secrets(relativePath, folder) ?? this.rules.reasonFor(folderKey(folder), relativePath.replace(/\/+$/, ''));

  readonly content = (text: string): string | undefined => secretContentReason(text);

  /**
   * Reads the ignore rules if they may be stale (tools await this before each call). The watcher
   * keeps them current, but its events can lag a quick edit, so each turn reads them again at its
   * first tool call (see `refreshBeforeNextUse`).
   */
  ready(): Promise<void> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  /** Makes the next `ready()` read the ignore files again (called as a turn starts). */
  refreshBeforeNextUse(): void {
    this.loaded = undefined;
  }

  /** Why a document must not be attached or sent, or undefined (secrets only: attaching is explicit). */
  secretReasonFor(uri: vscode.Uri): string | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) {
      return secretFileReason(uri.path, uri.path);
    }
    const base = folder.uri.path.replace(/\/+$/, '');
    const relative = uri.path.startsWith(`${base}/`) ? uri.path.slice(base.length + 1) : uri.path;
    return this.secrets(relative, { name: folder.name, path: base });
  }

  private async load(): Promise<void> {
    this.loadGlobs();
    const files = await vscode.workspace.findFiles(IGNORE_FILES, '**/node_modules/**', MAX_IGNORE_FILES);
    const found = new Set(files.map((uri) => uri.toString()));
    const gone = [...this.known].filter((key) => !found.has(key)).map((key) => vscode.Uri.parse(key));
    await Promise.all([...files, ...gone].map((uri) => this.readIgnoreFile(uri)));
  }

  private loadGlobs(): void {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const key = folder.uri.toString();
      const filesExclude = vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude') ?? {};
      this.rules.setGlobs(key, 'files.exclude', Object.keys(filesExclude).filter((glob) => filesExclude[glob] === true));
      const own = parseContextSettings((k) => vscode.workspace.getConfiguration('moonpilot', folder.uri).get(k));
      this.rules.setGlobs(key, 'moonpilot.context.exclude', own.exclude);
    }
  }

  private async readIgnoreFile(uri: vscode.Uri): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) {
      return;
    }
    const base = folder.uri.path.replace(/\/+$/, '');
    const relative = uri.path.slice(base.length + 1);
    const slash = relative.lastIndexOf('/');
    const dir = slash === -1 ? '' : relative.slice(0, slash);
    const name = relative.slice(slash + 1) as IgnoreFileName;
    let content: string | undefined;
    try {
      content = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      this.known.add(uri.toString());
    } catch {
      content = undefined; // Deleted.
      this.known.delete(uri.toString());
    }
    this.rules.setIgnoreFile(folder.uri.toString(), dir, name, content);
  }

  dispose(): void {
    for (const s of this.subscriptions) {
      s.dispose();
    }
  }
}

/** The key the ignore rules file a folder under: its URI, as the context tracker does. */
function folderKey(folder: WorkspaceFolderRef): string {
  const match = (vscode.workspace.workspaceFolders ?? []).find((f) => f.uri.path.replace(/\/+$/, '') === folder.path);
  return match ? match.uri.toString() : folder.path;
}
