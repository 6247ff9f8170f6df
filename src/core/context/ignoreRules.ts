/**
 * Which workspace files the user has asked to keep out: `.gitignore` and `.moonpilotignore`
 * (gitignore syntax, via the `ignore` library, at any depth), VS Code's `files.exclude` and the
 * `moonpilot.context.exclude` globs (via `picomatch`). Pure: the VS Code adapter reads the files
 * and settings and hands their text in; answers are cached until the rules change.
 *
 * Semantics, per workspace folder (paths relative to it, `/`-separated):
 * - ignore files apply to the paths under their own folder, shallower ones first; at each
 *   level `.moonpilotignore` comes after `.gitignore`, so a `!pattern` there can bring back a
 *   file git ignores (deeper files and later rules win, as in git; unlike git, a deeper
 *   `!pattern` may re-include a file inside a folder a shallower `.gitignore` ignores).
 * - what a `.moonpilotignore` excludes stays excluded: no deeper ignore file's `!pattern` (a
 *   vendored package's `.gitignore`, a nested `.moonpilotignore` a clone brought along) brings
 *   it back. Only the same file's own `!pattern` lines can narrow it.
 * - globs exclude a file when they match its path or any folder above it (`**\/node_modules`
 *   excludes everything inside); a glob without `/` also matches the bare name (`*.log`). They
 *   are checked first, so no ignore file can re-include what they exclude.
 */
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

export type IgnoreFileName = '.gitignore' | '.moonpilotignore';
export type GlobSource = 'files.exclude' | 'moonpilot.context.exclude';

interface IgnoreFile {
  /** Folder of the file, relative to the workspace folder ('' at the root). */
  dir: string;
  name: IgnoreFileName;
  rules: Ignore;
}

interface GlobRule {
  glob: string;
  source: GlobSource;
  match: (path: string) => boolean;
}

interface FolderRules {
  files: IgnoreFile[];
  globs: GlobRule[];
}

export class IgnoreRules {
  private readonly folders = new Map<string, FolderRules>();
  private readonly cache = new Map<string, string | null>();

  private folder(key: string): FolderRules {
    let rules = this.folders.get(key);
    if (!rules) {
      rules = { files: [], globs: [] };
      this.folders.set(key, rules);
    }
    return rules;
  }

  /**
   * Sets (or with `content` undefined removes) the ignore file `name` in `dir` of the workspace
   * folder `folderKey` (any stable id of the folder, e.g. its URI).
   */
  setIgnoreFile(folderKey: string, dir: string, name: IgnoreFileName, content: string | undefined): void {
    const rules = this.folder(folderKey);
    const cleanDir = trimSlashes(dir);
    rules.files = rules.files.filter((f) => !(f.dir === cleanDir && f.name === name));
    if (content !== undefined && content.trim() !== '') {
      rules.files.push({ dir: cleanDir, name, rules: ignore({ allowRelativePaths: true }).add(content) });
      // Shallow folders first; at one level .gitignore before .moonpilotignore.
      rules.files.sort((a, b) => depth(a.dir) - depth(b.dir) || (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0) || (a.name === '.gitignore' ? -1 : 1));
    }
    this.cache.clear();
  }

  /** Replaces the globs of one source for a folder. */
  setGlobs(folderKey: string, source: GlobSource, globs: readonly string[]): void {
    const rules = this.folder(folderKey);
    rules.globs = rules.globs.filter((g) => g.source !== source);
    for (const glob of globs) {
      const clean = glob.trim().replace(/^\.\//, '');
      if (clean === '') {
        continue;
      }
      const match = picomatch(clean, { dot: true, basename: !clean.includes('/') });
      rules.globs.push({ glob: clean, source, match });
    }
    this.cache.clear();
  }

  /** Forgets a workspace folder (removed from the workspace). */
  removeFolder(folderKey: string): void {
    this.folders.delete(folderKey);
    this.cache.clear();
  }

  /** Why `relativePath` in the folder is excluded, or undefined. Cached until the rules change. */
  reasonFor(folderKey: string, relativePath: string): string | undefined {
    const cacheKey = `${folderKey}\u0000${relativePath}`;
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) {
      return cached ?? undefined;
    }
    const reason = this.compute(folderKey, trimSlashes(relativePath.replace(/\\/g, '/')));
    this.cache.set(cacheKey, reason ?? null);
    return reason;
  }

  private compute(folderKey: string, path: string): string | undefined {
    const rules = this.folders.get(folderKey);
    if (!rules || path === '') {
      return undefined;
    }
    const ancestors = ancestorsOf(path);
    for (const rule of rules.globs) {
      if (rule.match(path) || ancestors.some((a) => rule.match(a))) {
        return `excluded by ${rule.source} (${rule.glob})`;
      }
    }
    let verdict: string | undefined;
    for (const file of rules.files) {
      if (file.dir !== '' && !path.startsWith(`${file.dir}/`)) {
        continue;
      }
      const relative = file.dir === '' ? path : path.slice(file.dir.length + 1);
      const result = file.rules.test(relative);
      if (result.ignored) {
        const where = file.dir === '' ? file.name : `${file.dir}/${file.name}`;
        verdict = `ignored by ${where} (${result.rule?.pattern ?? 'a parent folder'})`;
        if (file.name === '.moonpilotignore') {
          // The user's own exclusion: final, whatever a deeper file's `!pattern` says.
          return verdict;
        }
      } else if (result.unignored) {
        verdict = undefined;
      }
    }
    return verdict;
  }
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}

/** `a/b/c.ts` → [`a`, `a/b`]. */
function ancestorsOf(path: string): string[] {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) {
    out.push(parts.slice(0, i).join('/'));
  }
  return out;
}
