import { safeGlob, str, type ToolArgs } from './toolArgs';
import { relativeTo } from './toolFiles';
import type { ToolOutcome, ToolScope, ToolViewOf } from './toolScope';
import { checkWorkspacePath, displayPath, isListable, resolveWorkspacePath, workspacePathIn } from './workspaceFiles';

/**
 * `list_files`: one directory's entries, or the files under it matching a glob; only what is
 * listable (not excluded, not outside the workspace through a link), sorted, bounded.
 */
export async function listFiles(args: ToolArgs, view: ToolViewOf, scope: ToolScope): Promise<ToolOutcome> {
  const dir = await resolveWorkspacePath(str(args, 'path') ?? '.', scope.fs, scope.policy);
  if (!dir.ok) {
    return { content: `Refused: ${dir.reason}.`, view: view('refused', dir.reason) };
  }
  const { folder, relative, display } = dir.value;
  const stat = await scope.fs.stat(dir.value.path);
  if (stat?.type !== 'directory') {
    return { content: `Error: ${display} is not a directory.`, view: view('error', 'not a directory') };
  }
  const folders = scope.fs.folders();
  const rawPattern = str(args, 'pattern');
  let lines: string[];
  let more = false;
  if (rawPattern !== undefined) {
    const pattern = safeGlob(rawPattern);
    if (!pattern) {
      return { content: 'Refused: the pattern must be a relative glob without "..".', view: view('refused', 'bad pattern') };
    }
    const glob = relative ? `${relative}/${pattern}` : pattern;
    const found = await scope.fs.findFiles(folder, glob, scope.limits.maxListEntries * 2);
    const candidates = found.map((p) => relativeTo(p, folder)).filter((r): r is string => r !== undefined && isListable(r, folder, scope.policy));
    // VS Code's file search follows symbolic links: a name found through a linked folder that
    // leads outside the workspace (or to an excluded file) is not listed.
    const rels: string[] = [];
    for (const r of candidates) {
      if ((await checkWorkspacePath(workspacePathIn(folder, r, folders), scope.fs, scope.policy)).ok) {
        rels.push(r);
      }
    }
    rels.sort();
    more = rels.length > scope.limits.maxListEntries;
    lines = rels.slice(0, scope.limits.maxListEntries).map((r) => displayPath(folder, r, folders));
  } else {
    const entries = await scope.fs.readDirectory(dir.value.path);
    const shown = entries
      .filter((e) => {
        const rel = relative ? `${relative}/${e.name}` : e.name;
        // A directory is hidden too when what is inside it would be (`.aws/`, `node_modules/`).
        return isListable(rel, folder, scope.policy) && (e.type !== 'directory' || isListable(`${rel}/file`, folder, scope.policy));
      })
      .sort((a, b) => (a.type === b.type ? (a.name < b.name ? -1 : 1) : a.type === 'directory' ? -1 : 1));
    more = shown.length > scope.limits.maxListEntries;
    lines = shown.slice(0, scope.limits.maxListEntries).map((e) => `${e.name}${e.type === 'directory' ? '/' : ''}${e.isSymlink ? ' (symlink)' : ''}`);
  }
  const header = rawPattern !== undefined ? `Files matching ${rawPattern} under ${display}:` : `Contents of ${display}:`;
  const tail = more ? `\n… more entries left out; narrow the pattern.` : '';
  return { content: `${header}\n${lines.join('\n') || '(none)'}${tail}`, view: view('ok', `${lines.length}${more ? '+' : ''} entries`) };
}
