// The workspace the integration tests open: a fresh copy of test/fixtures/workspace per run, so tests
// may edit files (and generate canaries such as a .env) without touching the repository.
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from '../repoRoot';

/** Copies `test/fixtures/<fixture>/` (default `workspace`) to `target` (created) and returns `target`. */
export function copyFixtureWorkspace(target: string, fixture = 'workspace'): string {
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', fixture), target, { recursive: true });
  return target;
}
