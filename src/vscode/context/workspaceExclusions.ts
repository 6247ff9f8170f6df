import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExclusionPolicy, WorkspaceFolderRef } from '../../core/chat/workspaceFiles';
import { documentExclusion, type ExclusionVerdict, type UserDataFolder } from '../../core/context/documentExclusion';
import { IgnoreRules, type IgnoreFileName } from '../../core/context/ignoreRules';
import { secretContentReason, secretFileReason } from '../../core/context/secretFiles';
import { isFileScheme, type SchemeUse } from '../../core/context/uriSchemes';
import type { SettingsReader } from '../settingsReader';

const IGNORE_FILES = '**/{.gitignore,.moonpilotignore}';
const IGNORE_FILE_NAMES: readonly IgnoreFileName[] = ['.gitignore', '.moonpilotignore'];
const MAX_IGNORE_FILES = 2_000;

/**
 * The one exclusion service of the extension: what the user keeps out (`.gitignore` and
 * `.moonpilotignore` at any depth, `files.exclude`, `moonpilot.context.exclude`), secret files and
 * the URI schemes never sent, for completion, the context builder and the chat tools alike. It
 * owns the only ignore-file watcher and the only `IgnoreRules`; the decisions are the core's
 * (`documentExclusion.ts`, `ignoreRules.ts`, `secretFiles.ts`, `uriSchemes.ts`).
 *
 * Ignore files are read lazily, folder by folder from the workspace root down to each document
 * asked about (a document's verdict depends only on those), or all at once for the chat tools
 * (`ready()`), and again when the watcher sees them change.
 */
export class WorkspaceExclusions implements vscode.Disposable {
  private readonly rules = new IgnoreRules();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a rule changed (an ignore file, a setting, the workspace folders). */
  readonly onDidChange = this.changed.event;
  /** `folderKey\0dir` → loading; `undefined` once read. Present once requested. */
  private readonly dirs = new Map<string, Promise<void> | undefined>();
  /** Documents whose ignore files have all been read (the keystroke path skips the walk). */
  private readonly rulesReady = new Set<string>();
  /** Ignore files read so far, to notice deleted ones on a full scan. */
  private readonly known = new Set<string>();
  private scanned: Promise<void> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly userData: UserDataFolder | undefined;

  /**
   * @param settings `moonpilot.context.exclude`, read per workspace folder (a resource-scoped setting).
   * @param globalStorage the extension's global storage folder: VS Code keeps it in the user data
   *   folder (`…/User/globalStorage/<extension>`), so its grandparent is that folder.
   */
  constructor(
    private readonly settings: SettingsReader,
    globalStorage?: vscode.Uri,
  ) {
    const storageRoot = globalStorage && path.posix.dirname(globalStorage.path);
    this.userData = storageRoot && path.posix.basename(storageRoot) === 'globalStorage' ? { path: path.posix.dirname(storageRoot) } : undefined;
    const watcher = vscode.workspace.createFileSystemWatcher(IGNORE_FILES);
    const reload = (uri: vscode.Uri): void => {
      void this.readIgnoreFile(uri).then(() => this.changed.fire());
    };
    this.subscriptions.push(
      this.changed,
      watcher,
      watcher.onDidCreate(reload),
      watcher.onDidChange(reload),
      watcher.onDidDelete(reload),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('files.exclude') || e.affectsConfiguration('moonpilot.context')) {
          this.loadGlobs();
          this.changed.fire();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.rulesReady.clear();
        this.scanned = undefined;
        this.loadGlobs();
        this.requestRoots();
        this.changed.fire();
      }),
    );
    this.loadGlobs();
  }

  /**
   * Why the document at `uri` must not be sent for `use` (scheme, secret file, ignored, or its
   * ignore rules still loading), or undefined. Synchronous and cached: safe on every keystroke.
   */
  reasonFor(uri: vscode.Uri, use: SchemeUse): ExclusionVerdict | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const relativePath = folder ? path.posix.relative(folder.uri.path, uri.path) : undefined;
    const pending = folder !== undefined && isFileScheme(uri.scheme) && this.pending(uri, folder);
    return documentExclusion(
      {
        scheme: uri.scheme,
        path: vscode.workspace.asRelativePath(uri, false),
        absolutePath: uri.scheme === 'file' ? uri.fsPath.replace(/\\/g, '/') : uri.path,
        folderKey: folder && isFileScheme(uri.scheme) ? folder.uri.toString() : undefined,
        relativePath: isFileScheme(uri.scheme) ? relativePath : undefined,
        uriPath: uri.path,
      },
      use,
      this.rules,
      pending,
      this.userData,
    );
  }

  /** The ignore rules themselves (the context packer checks every open file against them). */
  get ignoreRules(): IgnoreRules {
    return this.rules;
  }

  /** Whether ignore files that apply to `uri` are still being read; starts reading them if not asked for yet. */
  rulesPending(uri: vscode.Uri): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder !== undefined && this.pending(uri, folder);
  }

  /** Starts reading the ignore files at the root of every workspace folder. */
  requestRoots(): void {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      this.requestDir(folder, '');
    }
  }

  /** Forgets that a closed document's rules were complete (its folders may be re-read later). */
  forget(uri: vscode.Uri): void {
    this.rulesReady.delete(uri.toString());
  }

  /** Resolves when every ignore file requested so far has been read, or after `timeoutMs`. */
  async whenLoaded(timeoutMs?: number): Promise<void> {
    if (timeoutMs !== undefined) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([this.whenLoaded(), timeout]);
      clearTimeout(timer);
      return;
    }
    for (;;) {
      const pending = [...this.dirs.values()].filter((p): p is Promise<void> => p !== undefined);
      if (pending.length === 0) {
        return;
      }
      await Promise.all(pending);
    }
  }

  /**
   * Reads every ignore file of the workspace if not done since the last `refreshBeforeNextUse`
   * (the chat tools await this before each call: listing and searching need them all).
   */
  ready(): Promise<void> {
    this.scanned ??= this.scanAll();
    return this.scanned;
  }

  /** Makes the next `ready()` scan the ignore files again (a turn starts: watcher events can lag a quick edit). */
  refreshBeforeNextUse(): void {
    this.scanned = undefined;
  }

  // ── For the chat ───────────────────────────────────────────────────────────────────────────

  /** Secret files, for attachments and everything else the user hands over explicitly. */
  readonly secrets: ExclusionPolicy = (relativePath, folder) => secretFileReason(relativePath, `${folder.path}/${relativePath}`);

  /** Secret and ignored files, for what the model asks for through tools. */
  readonly policy: ExclusionPolicy = (relativePath, folder) =>
    this.secrets(relativePath, folder) ?? this.rules.reasonFor(folderKey(folder), relativePath.replace(/\/+$/, ''));

  /** Text that must never be sent whatever its file (a private key). */
  readonly content = (text: string): string | undefined => secretContentReason(text);

  /** Why a document must not be attached (scheme or secret file: attaching is explicit, so ignore rules do not apply). */
  attachmentReasonFor(uri: vscode.Uri): string | undefined {
    const verdict = this.reasonFor(uri, 'attachment');
    return verdict && (verdict.kind === 'scheme' || verdict.kind === 'secret') ? verdict.reason : undefined;
  }

  // ── Loading ────────────────────────────────────────────────────────────────────────────────

  private pending(uri: vscode.Uri, folder: vscode.WorkspaceFolder): boolean {
    const key = uri.toString();
    if (this.rulesReady.has(key)) {
      return false;
    }
    const dirs = path.posix.dirname(path.posix.relative(folder.uri.path, uri.path)).split('/').filter((s) => s !== '.' && s !== '');
    let pending = false;
    for (let i = 0; i <= dirs.length; i++) {
      const dir = dirs.slice(0, i).join('/');
      this.requestDir(folder, dir);
      if (this.dirs.get(dirKey(folder, dir)) !== undefined) {
        pending = true;
      }
    }
    if (!pending) {
      this.rulesReady.add(key);
    }
    return pending;
  }

  private requestDir(folder: vscode.WorkspaceFolder, dir: string): void {
    const id = dirKey(folder, dir);
    if (this.dirs.has(id)) {
      return;
    }
    const loading = Promise.all(IGNORE_FILE_NAMES.map((name) => this.readIgnoreFile(vscode.Uri.joinPath(folder.uri, dir, name)))).then(() => {
      this.dirs.set(id, undefined);
      this.changed.fire();
    });
    this.dirs.set(id, loading);
  }

  private async scanAll(): Promise<void> {
    this.loadGlobs();
    const files = await vscode.workspace.findFiles(IGNORE_FILES, '**/node_modules/**', MAX_IGNORE_FILES);
    const found = new Set(files.map((uri) => uri.toString()));
    const gone = [...this.known].filter((key) => !found.has(key)).map((key) => vscode.Uri.parse(key));
    await Promise.all([...files, ...gone].map((uri) => this.readIgnoreFile(uri)));
    this.changed.fire();
  }

  private loadGlobs(): void {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const key = folder.uri.toString();
      // VS Code's own setting, read here where it is used (Moonpilot's are read by the SettingsReader).
      const filesExclude = vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude') ?? {};
      this.rules.setGlobs(key, 'files.exclude', Object.keys(filesExclude).filter((glob) => filesExclude[glob] === true));
      this.rules.setGlobs(key, 'moonpilot.context.exclude', this.settings.forResource(folder.uri).context.exclude);
    }
  }

  private async readIgnoreFile(uri: vscode.Uri): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) {
      return;
    }
    const relative = path.posix.relative(folder.uri.path, uri.path);
    const dir = path.posix.dirname(relative) === '.' ? '' : path.posix.dirname(relative);
    const name = path.posix.basename(relative) as IgnoreFileName;
    let content: string | undefined;
    try {
      content = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      this.known.add(uri.toString());
    } catch {
      content = undefined; // Absent or deleted.
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

function dirKey(folder: vscode.WorkspaceFolder, dir: string): string {
  return `${folder.uri.toString()}\u0000${dir}`;
}

/** The key the ignore rules file a folder under: its URI. */
function folderKey(folder: WorkspaceFolderRef): string {
  const match = (vscode.workspace.workspaceFolders ?? []).find((f) => f.uri.path.replace(/\/+$/, '') === folder.path);
  return match ? match.uri.toString() : folder.path;
}
