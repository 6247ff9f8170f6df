// After a run: the test key must not appear in anything VS Code or Moonpilot wrote (settings,
// state databases, logs, the workspace, the session log). SecretStorage in the web workbench lives
// in the browser's profile, which is not under these folders.
import * as fs from 'fs';
import * as path from 'path';

const MAX_BYTES = 64 * 1024 * 1024;

/** Files under `roots` (folders or files) whose bytes contain `secret`. */
export function filesContaining(roots: readonly string[], secret: string): string[] {
  const needle = Buffer.from(secret, 'utf8');
  const hits: string[] = [];
  const visit = (p: string): void => {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(p);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p)) {
        visit(path.join(p, entry));
      }
    } else if (stat.isFile() && stat.size <= MAX_BYTES && fs.readFileSync(p).includes(needle)) {
      hits.push(p);
    }
  };
  roots.forEach(visit);
  return hits;
}
