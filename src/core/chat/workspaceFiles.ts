/**
 * The chat tools' view of the workspace: a small file-system port (the VS Code adapter implements
 * it with `vscode.workspace.fs`), and the one function that turns a path the model asked for into
 * a file inside a workspace folder, or a refusal. Pure: paths are `/`-separated URI paths.
 *
 * Refused: empty or absolute paths outside the folders, any `..` segment, `~`, URLs, NUL bytes,
 * anything whose real path (symlinks resolved) leaves the folders, and anything the exclusion
 * policy names (secret files, ignored files, `.git`), checked on both the asked and the real path.
 */

export type EntryType = 'file' | 'directory' | 'other';

export interface WorkspaceFolderRef {
  name: string;
  /** URI path of the folder, `/`-separated, no trailing slash (e.g. `/home/me/project`). */
  path: string;
}

export interface EntryStat {
  type: EntryType;
  isSymlink: boolean;
  size: number;
}

export interface WorkspaceFileSystem {
  folders(): readonly WorkspaceFolderRef[];
  /** Undefined when nothing is there. */
  stat(path: string): Promise<EntryStat | undefined>;
  /** The path with every symlink resolved; undefined when that cannot be known (the caller refuses). */
  realPath(path: string): Promise<string | undefined>;
  readDirectory(path: string): Promise<Array<{ name: string; type: EntryType; isSymlink: boolean }>>;
  readFile(path: string): Promise<Uint8Array>;
  /** Files under `folder` matching a glob relative to it, at most `max`, as URI paths. */
  findFiles(folder: WorkspaceFolderRef, glob: string, max: number): Promise<string[]>;
}

/**
 * Says why a path relative to `folder` must not be read (a secret, an ignored file), or undefined
 * when it may. The context builder's predicates plug in here.
 */
export type ExclusionPolicy = (relativePath: string, folder: WorkspaceFolderRef) => string | undefined;

export interface ResolvedPath {
  folder: WorkspaceFolderRef;
  /** URI path. */
  path: string;
  /** Relative to the folder, `/`-separated, '' for the folder itself. */
  relative: string;
  /** How the tools show it to the model: relative, prefixed with the folder name in multi-root workspaces. */
  display: string;
}

export type Resolution = { ok: true; value: ResolvedPath } | { ok: false; reason: string };

const refuse = (reason: string): Resolution => ({ ok: false, reason });

/** Always refused, whatever the policy says: the repository's own database can hold credentials. */
function builtinExclusion(relative: string): string | undefined {
  return relative.split('/').includes('.git') ? 'inside .git' : undefined;
}

/**
 * How a path is shown to the model, in a form `resolveRequestedPath` maps back to the same folder:
 * prefixed with the folder's name in a multi-root workspace, or with its whole path when another
 * folder has the same name.
 */
export function displayPath(folder: WorkspaceFolderRef, relative: string, folders: readonly WorkspaceFolderRef[]): string {
  if (folders.length > 1) {
    const shared = folders.some((f) => f !== folder && f.name === folder.name);
    const prefix = shared ? folder.path : folder.name;
    return relative ? `${prefix}/${relative}` : prefix;
  }
  return relative || '.';
}

function isInside(path: string, root: string): string | undefined {
  if (path === root) {
    return '';
  }
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
}

/** Normalises what the model wrote into folder-relative segments (no I/O). */
export function resolveRequestedPath(requested: string, folders: readonly WorkspaceFolderRef[]): Resolution {
  if (folders.length === 0) {
    return refuse('no workspace folder is open');
  }
  if (typeof requested !== 'string' || requested.includes('\0') || requested.length > 1_000) {
    return refuse('not a valid path');
  }
  let p = requested.trim().replace(/\\/g, '/');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p) || /^~/.test(p)) {
    return refuse('only paths inside the workspace can be read');
  }
  let folder: WorkspaceFolderRef | undefined;
  if (p.startsWith('/') || /^[a-z]:\//i.test(p)) {
    const asUri = p.startsWith('/') ? p : `/${p}`;
    for (const f of folders) {
      const rel = isInside(asUri, f.path) ?? isInside(asUri.toLowerCase(), f.path.toLowerCase());
      if (rel !== undefined) {
        folder = f;
        p = rel;
        break;
      }
    }
    if (!folder) {
      return refuse('the path is outside the workspace');
    }
  }
  const segments = p.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) {
    return refuse('paths with ".." are not allowed');
  }
  if (!folder) {
    if (folders.length > 1 && segments.length > 0) {
      folder = folders.find((f) => f.name === segments[0]);
      if (folder) {
        segments.shift();
      }
    }
    folder = folder ?? folders[0];
  }
  const relative = segments.join('/');
  return {
    ok: true,
    value: { folder, relative, path: relative ? `${folder.path}/${relative}` : folder.path, display: displayPath(folder, relative, folders) },
  };
}

/**
 * Resolves and checks a path against the exclusions and symlink escapes. The real path must lie
 * inside one of the folders' real paths, and is checked against the policy as well (a harmless
 * name linking to `.env` is still `.env`).
 */
export async function resolveWorkspacePath(requested: string, fs: WorkspaceFileSystem, policy: ExclusionPolicy): Promise<Resolution> {
  const resolved = resolveRequestedPath(requested, fs.folders());
  return resolved.ok ? checkWorkspacePath(resolved.value, fs, policy) : resolved;
}

/** A path under a known folder (e.g. a search result) as a resolved path, for `checkWorkspacePath`. */
export function workspacePathIn(folder: WorkspaceFolderRef, relative: string, folders: readonly WorkspaceFolderRef[]): ResolvedPath {
  return { folder, relative, path: relative ? `${folder.path}/${relative}` : folder.path, display: displayPath(folder, relative, folders) };
}

/**
 * The checks of `resolveWorkspacePath` for a path whose folder is already known: the file checked
 * is the file that will be read, even when two folders share a name.
 */
export async function checkWorkspacePath(value: ResolvedPath, fs: WorkspaceFileSystem, policy: ExclusionPolicy): Promise<Resolution> {
  const folders = fs.folders();
  const resolved: Resolution = { ok: true, value };
  const { relative } = value;
  const excluded = relative ? (builtinExclusion(relative) ?? policy(relative, resolved.value.folder)) : undefined;
  if (excluded) {
    return refuse(`${resolved.value.display} is excluded (${excluded})`);
  }
  const real = await fs.realPath(resolved.value.path);
  if (real === undefined) {
    return refuse(`${resolved.value.display} does not exist or cannot be resolved`);
  }
  for (const f of folders) {
    const folderReal = (await fs.realPath(f.path)) ?? f.path;
    const realRelative = isInside(real, folderReal);
    if (realRelative !== undefined) {
      const realExcluded = realRelative ? (builtinExclusion(realRelative) ?? policy(realRelative, f)) : undefined;
      if (realExcluded) {
        return refuse(`${resolved.value.display} is excluded (${realExcluded})`);
      }
      return resolved;
    }
  }
  return refuse(`${resolved.value.display} links outside the workspace`);
}

/** Whether `relative` may be listed or searched (cheap check without I/O, for bulk results). */
export function isListable(relative: string, folder: WorkspaceFolderRef, policy: ExclusionPolicy): boolean {
  return !builtinExclusion(relative) && !policy(relative, folder);
}

/**
 * The real path where links cannot be resolved (folders on other schemes than `file:`): the path
 * itself when no entry from the folder down to it is a symbolic link, undefined otherwise (or when
 * one is missing). Every segment is checked, so a linked directory in the middle is caught too.
 */
export async function pathWithoutLinks(path: string, folderPath: string, stat: (path: string) => Promise<EntryStat | undefined>): Promise<string | undefined> {
  const relative = isInside(path, folderPath);
  if (relative === undefined) {
    return undefined;
  }
  let current = folderPath;
  for (const segment of relative.split('/').filter((x) => x !== '')) {
    current = `${current}/${segment}`;
    const s = await stat(current);
    if (!s || s.isSymlink) {
      return undefined;
    }
  }
  return path;
}
