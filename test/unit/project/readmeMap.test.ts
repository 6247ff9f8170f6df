import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/repoRoot';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full) : [path.relative(repoRoot, full).split(path.sep).join('/')];
  });
}

describe('README map of the tree', () => {
  it('names only files and folders that exist (a moved file must move in the map too)', () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const start = readme.indexOf('### Map of the tree');
    assert.ok(start >= 0, 'the README has a "Map of the tree" section');
    const end = readme.indexOf('\n### ', start + 1);
    const map = readme.slice(start, end < 0 ? undefined : end);
    const tree = [...files(path.join(repoRoot, 'src')), ...files(path.join(repoRoot, 'test'))];
    const named = [...map.matchAll(/`([\w./-]+\.ts)`/g)].map((m) => m[1]);
    assert.ok(named.length >= 30, `the map names files (${named.length} found)`);
    // A bare name or a path below src/ may be given: it must end exactly one real path.
    const missing = named.filter((name) => !tree.some((file) => file === name || file.endsWith(`/${name}`)));
    assert.deepEqual(missing, []);
    const folders = [...map.matchAll(/`((?:src|test)\/[\w/]*\/)`/g)].map((m) => m[1]);
    assert.deepEqual(folders.filter((folder) => !fs.existsSync(path.join(repoRoot, folder))), []);
  });
});
