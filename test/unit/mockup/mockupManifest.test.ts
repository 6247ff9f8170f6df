import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/repoRoot';

/** The mockup command as contributed: palette title and category, explorer menu on image files only. */
describe('mockup manifest', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

  it('contributes the command to the palette in the Moonpilot category', () => {
    const command = manifest.contributes.commands.find((c: { command: string }) => c.command === 'moonpilot.mockupToCode');
    assert.deepEqual(command, { command: 'moonpilot.mockupToCode', title: 'Generate Code from Mockup Image', category: 'Moonpilot' });
  });

  it('shows it in the explorer context menu for png, jpg, jpeg, webp and gif only', () => {
    const entry = manifest.contributes.menus['explorer/context'].find((m: { command: string }) => m.command === 'moonpilot.mockupToCode');
    const match = /^resourceExtname =~ \/(.+)\/(i?)$/.exec(entry.when);
    assert.ok(match, entry.when);
    const regex = new RegExp(match[1], match[2]);
    for (const ext of ['.png', '.jpg', '.jpeg', '.webp', '.gif', '.PNG', '.JPG']) {
      assert.ok(regex.test(ext), ext);
    }
    for (const ext of ['.svg', '.html', '.pngx', '.bmp', '']) {
      assert.ok(!regex.test(ext), ext);
    }
  });
});
