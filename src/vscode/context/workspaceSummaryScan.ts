import * as path from 'node:path';
import * as vscode from 'vscode';
import { secretFileReason } from '../../core/context/secretFiles';
import type { WorkspaceSummaryInput } from '../../core/context/workspaceSummary';
import type { Logger } from '../../core/log/logger';
import type { WorkspaceExclusions } from './workspaceExclusions';

const SUMMARY_SCAN_LIMIT = 2_000;
const SUMMARY_EXCLUDE = '**/{node_modules,.git,out,dist,build,coverage,target,.next,.venv,venv,__pycache__}/**';

/**
 * Lists the workspace's files for the summary (workspaceSummary.ts), without secret or ignored
 * ones, once its folders' ignore files are read. Throws what `findFiles` throws.
 */
async function scanWorkspaceSummary(exclusions: WorkspaceExclusions): Promise<WorkspaceSummaryInput> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const files: string[] = [];
  let total = 0;
  for (const folder of folders) {
    await exclusions.whenLoaded();
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), SUMMARY_EXCLUDE, SUMMARY_SCAN_LIMIT);
    for (const uri of found) {
      const rel = path.posix.relative(folder.uri.path, uri.path);
      if (secretFileReason(rel) || exclusions.ignoreRules.reasonFor(folder.uri.toString(), rel)) {
        continue;
      }
      total++;
      files.push(folders.length > 1 ? `${folder.name}/${rel}` : rel);
    }
  }
  return { folders: folders.map((f) => f.name), files, totalFiles: total };
}

/** The workspace summary's input as last listed: once at the start, again when the folders change and at a compaction. */
export class WorkspaceSummaryScan implements vscode.Disposable {
  private summary: WorkspaceSummaryInput | undefined;
  private readonly subscription: vscode.Disposable;

  /** `changed` is called after each listing. */
  constructor(
    private readonly exclusions: WorkspaceExclusions,
    private readonly log: Logger,
    private readonly changed: () => void,
  ) {
    this.subscription = vscode.workspace.onDidChangeWorkspaceFolders(() => {
      void this.refresh();
    });
  }

  /** The last listing; undefined until the first one ends. */
  get current(): WorkspaceSummaryInput | undefined {
    return this.summary;
  }

  /** Lists the workspace's files again, without secret or ignored ones. */
  async refresh(): Promise<void> {
    try {
      this.summary = await scanWorkspaceSummary(this.exclusions);
      this.changed();
    } catch (err) {
      this.log.warn('context', `workspace summary failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
