import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS, INTERNAL_COMMANDS } from '../../../src/core/config/commandIds';
import { repoRoot } from '../../support/repoRoot';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const contributed: string[] = (manifest.contributes.commands as { command: string }[]).map((c) => c.command);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

describe('command ids', () => {
  it('are exactly the commands package.json contributes, both ways', () => {
    assert.deepEqual(Object.values(COMMANDS).sort(), [...contributed].sort());
  });

  it('internal commands are not contributed (no palette entry) and do not collide', () => {
    for (const id of Object.values(INTERNAL_COMMANDS)) {
      assert.ok(id.startsWith('moonpilot.'), id);
      assert.ok(!contributed.includes(id), `${id} is internal`);
    }
  });

  it('are written out only in src/core/config/commandIds.ts', () => {
    const own = path.join(repoRoot, 'src', 'core', 'config', 'commandIds.ts');
    const ids = [...Object.values(COMMANDS), ...Object.values(INTERNAL_COMMANDS)];
    const offenders: string[] = [];
    for (const file of sourceFiles(path.join(repoRoot, 'src')).filter((f) => f !== own)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const id of ids) {
        // A quoted string literal (comments name commands in backticks, which is fine).
        if (new RegExp(`(['"])${id.replace(/\./g, '\\.')}\\1`).test(text)) {
          offenders.push(`${path.relative(repoRoot, file)}: ${id}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });
});
