import * as vscode from 'vscode';
import type { ProjectInstructionsFile } from '../../core/context/blockRendering';
import { secretContentReason } from '../../core/context/secretFiles';
import type { WorkspaceExclusions } from './workspaceExclusions';

/** The project's instructions files for coding assistants, read from each workspace folder's root, in this order. */
const PROJECT_INSTRUCTIONS_FILES = ['AGENTS.md', '.github/copilot-instructions.md', 'CLAUDE.md'] as const;
/** Characters of one instructions file sent at most. */
const MAX_INSTRUCTIONS_CHARS = 32_000;

/** Reads AGENTS.md, .github/copilot-instructions.md and CLAUDE.md at each folder's root (those not excluded). */
async function readProjectInstructions(exclusions: WorkspaceExclusions): Promise<ProjectInstructionsFile[]> {
  const found: ProjectInstructionsFile[] = [];
  const folders = vscode.workspace.workspaceFolders ?? [];
  for (const folder of folders) {
    for (const name of PROJECT_INSTRUCTIONS_FILES) {
      const uri = vscode.Uri.joinPath(folder.uri, name);
      if (exclusions.rulesPending(uri)) {
        await exclusions.whenLoaded(2_000);
      }
      if (exclusions.reasonFor(uri, 'context') !== undefined) {
        continue;
      }
      try {
        const bytes = await vscode.workspace.fs.readFile(uri);
        const text = new TextDecoder().decode(bytes);
        if (text.trim() !== '' && !secretContentReason(text)) {
          found.push({ path: folders.length > 1 ? `${folder.name}/${name}` : name, text: text.length > MAX_INSTRUCTIONS_CHARS ? `${text.slice(0, MAX_INSTRUCTIONS_CHARS)}\n… (cut at ${MAX_INSTRUCTIONS_CHARS} characters)\n` : text });
        }
      } catch {
        // not there
      }
    }
  }
  return found;
}

/** The project's instructions files as last read, read again when one of them changes. */
export class ProjectInstructions implements vscode.Disposable {
  private files: ProjectInstructionsFile[] = [];
  private readonly subscriptions: vscode.Disposable[];

  /** `changed` is called after each read. */
  constructor(
    private readonly exclusions: WorkspaceExclusions,
    private readonly changed: () => void,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{AGENTS.md,CLAUDE.md,copilot-instructions.md}');
    this.subscriptions = [watcher, watcher.onDidChange(() => void this.load()), watcher.onDidCreate(() => void this.load()), watcher.onDidDelete(() => void this.load())];
  }

  /** The files as last read (the same array until the next read). */
  get current(): ProjectInstructionsFile[] {
    return this.files;
  }

  /** Reads the files again. */
  async load(): Promise<void> {
    this.files = await readProjectInstructions(this.exclusions);
    this.changed();
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}
