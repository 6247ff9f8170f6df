import * as vscode from 'vscode';
import type { CursorPosition } from '../../core/context/contextTypes';
import type { DefinitionLocation, DefinitionLocator } from '../../core/context/definitionTypes';

/** Provider calls in flight at once per lookup (each is a round trip to the language server). */
const CONCURRENCY = 8;
/** Files larger than this are not read for a declaration. */
const MAX_READ_BYTES = 2_000_000;

type Answer = vscode.Location | vscode.LocationLink;

/**
 * VS Code's own definition and type-definition providers as the core's `DefinitionLocator`:
 * every language with a language server answers. Files are read from the open document when
 * there is one (unsaved edits included), else from disk.
 */
export class VsCodeDefinitionLocator implements DefinitionLocator {
  definitionsAt(uri: string, positions: readonly CursorPosition[], signal?: AbortSignal): Promise<DefinitionLocation[][]> {
    return this.ask('vscode.executeDefinitionProvider', uri, positions, signal);
  }

  typeDefinitionsAt(uri: string, positions: readonly CursorPosition[], signal?: AbortSignal): Promise<DefinitionLocation[][]> {
    return this.ask('vscode.executeTypeDefinitionProvider', uri, positions, signal);
  }

  private async ask(command: string, uri: string, positions: readonly CursorPosition[], signal?: AbortSignal): Promise<DefinitionLocation[][]> {
    const target = vscode.Uri.parse(uri);
    const out: DefinitionLocation[][] = positions.map(() => []);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < positions.length && !signal?.aborted) {
        const i = next++;
        const p = positions[i];
        try {
          const answers = (await vscode.commands.executeCommand<Answer[] | undefined>(command, target, new vscode.Position(p.line, p.character))) ?? [];
          out[i] = answers.map((a) => ('targetUri' in a ? { uri: a.targetUri.toString(), line: (a.targetSelectionRange ?? a.targetRange).start.line } : { uri: a.uri.toString(), line: a.range.start.line }));
        } catch {
          out[i] = []; // no provider, or it failed: the import graph stands in
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, positions.length) }, worker));
    return out;
  }

  async readText(uri: string): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    if (open) {
      return open.getText();
    }
    try {
      const target = vscode.Uri.parse(uri);
      const stat = await vscode.workspace.fs.stat(target);
      if (stat.size > MAX_READ_BYTES || stat.type !== vscode.FileType.File) {
        return undefined;
      }
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    } catch {
      return undefined;
    }
  }

  pathOf(uri: string): string {
    const parsed = vscode.Uri.parse(uri);
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    return vscode.workspace.getWorkspaceFolder(parsed) ? vscode.workspace.asRelativePath(parsed, multiRoot) : parsed.path.split('/').pop() ?? uri;
  }
}
