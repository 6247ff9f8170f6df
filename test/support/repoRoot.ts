import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Walks up from `start` to the repository root: the folder with package.json beside esbuild.mjs
 * (so out/, where tsc may copy package.json, is never taken for it). Works from test/ and out/test/.
 */
export function findRepoRoot(start: string = __dirname): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'esbuild.mjs'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no repository root (package.json beside esbuild.mjs) above ${start}`);
    }
  }
}

/** The repository root of this checkout. */
export const repoRoot = findRepoRoot();
