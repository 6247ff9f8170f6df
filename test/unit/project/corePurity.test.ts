import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/repoRoot';

/** The pure core must not import `vscode`; only kimiClient.ts may import `openai`. */
describe('core purity', () => {
  const root = path.resolve(repoRoot, 'src');
  function files(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  }
  const imports = (file: string, mod: string): boolean => new RegExp(`from ['"]${mod}(/[^'"]*)?['"]|require\\(['"]${mod}['"]\\)`).test(fs.readFileSync(file, 'utf8'));

  it('src/core has no vscode import', () => {
    const offenders = files(path.join(root, 'core')).filter((f) => imports(f, 'vscode'));
    assert.deepEqual(offenders, []);
  });

  it('only the Kimi client imports openai', () => {
    const offenders = files(root).filter((f) => imports(f, 'openai')).map((f) => path.relative(root, f));
    assert.deepEqual(offenders, [path.join('core', 'kimi', 'kimiClient.ts')]);
  });
});
