import { safeGlob, str, type ToolArgs } from './toolArgs';
import { decodeUtf8, hasNulByte, relativeTo } from './toolFiles';
import type { ToolOutcome, ToolScope, ToolViewOf } from './toolScope';
import { checkWorkspacePath, isListable, workspacePathIn } from './workspaceFiles';

/**
 * `search_text`: a literal string in the listable text files (case-insensitive unless it has
 * capitals), as `path:line: text`, bounded; Stop ends it.
 */
export async function searchText(args: ToolArgs, view: ToolViewOf, scope: ToolScope, signal?: AbortSignal): Promise<ToolOutcome> {
  const query = str(args, 'query');
  if (!query || query.length > 500) {
    return { content: 'Error: query must be a non-empty string of at most 500 characters.', view: view('error', 'bad query') };
  }
  const include = str(args, 'include');
  const glob = include === undefined ? '**/*' : safeGlob(include);
  if (!glob) {
    return { content: 'Refused: include must be a relative glob without "..".', view: view('refused', 'bad include') };
  }
  const caseSensitive = query !== query.toLowerCase();
  const needle = caseSensitive ? query : query.toLowerCase();
  const folders = scope.fs.folders();
  const matches: string[] = [];
  let filesSearched = 0;
  let truncated = false;
  outer: for (const folder of folders) {
    const files = await scope.fs.findFiles(folder, glob, scope.limits.maxSearchFiles);
    files.sort();
    for (const path of files) {
      if (signal?.aborted) {
        break outer;
      }
      const relative = relativeTo(path, folder);
      if (relative === undefined || !isListable(relative, folder, scope.policy)) {
        continue;
      }
      // The full check (symlinks resolved) only for files that pass the cheap one.
      // Checked in the folder it was found in (not by its display name, which two folders can share).
      const checked = await checkWorkspacePath(workspacePathIn(folder, relative, folders), scope.fs, scope.policy);
      if (!checked.ok) {
        continue;
      }
      const stat = await scope.fs.stat(path);
      if (stat?.type !== 'file' || stat.size > scope.limits.maxSearchFileBytes) {
        continue;
      }
      const bytes = await scope.fs.readFile(path);
      if (hasNulByte(bytes)) {
        continue;
      }
      const decoded = decodeUtf8(bytes);
      if (scope.contentPolicy(decoded)) {
        continue;
      }
      filesSearched++;
      const lines = decoded.split(/\r?\n/);
      for (let i = 0; i < lines.length; i++) {
        const hay = caseSensitive ? lines[i] : lines[i].toLowerCase();
        if (hay.includes(needle)) {
          if (matches.length >= scope.limits.maxSearchMatches) {
            truncated = true;
            break outer;
          }
          const line = lines[i].trim();
          matches.push(`${checked.value.display}:${i + 1}: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`);
        }
      }
    }
  }
  const tail = truncated ? `\n… more matches left out; narrow the query or include.` : '';
  return {
    content: matches.length > 0 ? `${matches.join('\n')}${tail}` : `No matches for "${query}" in ${filesSearched} files.`,
    view: view('ok', `${matches.length}${truncated ? '+' : ''} matches`),
  };
}
