// Inline completion as a user sees it: ghost text from the simulator while typing, Tab accepts it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { e2e } from './e2eContext';
import { activeEditor, openFile, runCommand, visibleText, waitUntil } from './workbench';

describe('inline completion', () => {
  it('shows the simulator\'s completion as ghost text; Tab accepts it into the file', async () => {
    const { page, sim, workspace, screenshot } = e2e();
    const file = 'src/playground.ts';
    const editor = await openFile(page, file);
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    const before = sim.requests.length;
    // Brackets are auto-closed as usual; Enter then opens an indented line inside the braces.
    await page.keyboard.type('function add(a: number, b: number): number {', { delay: 15 });
    await page.keyboard.press('Enter');

    // Ghost text is syntax-highlighted: one span per token, all with the ghost-text class.
    const ghostClasses = '.ghost-text-decoration, .ghost-text-decoration-preview';
    const ghost = editor.locator(ghostClasses);
    const ghostLine = editor.locator('.view-line', { has: page.locator(ghostClasses) });
    const ghostReturn = ghostLine.filter({ hasText: /^\s*return\s+a\s+\+\s+b;\s*$/ }).first();
    const shown = await ghostReturn.waitFor({ timeout: 10_000 }).then(() => true, () => false);
    if (!shown) {
      // Seen in 2 of 4 full CI runs, never alone: no ghost text after Enter until VS Code asks
      // again. Ask once as a user would (Trigger Inline Suggestion) and say so in the output.
      console.log('    [e2e] no ghost text 10 s after Enter; asking again with Trigger Inline Suggestion');
      await runCommand(page, 'Trigger Inline Suggestion');
      await ghostReturn.waitFor({ timeout: 20_000 });
    }
    assert.equal((await ghost.allTextContents()).join('').replace(/\u00a0/g, ' '), 'return a + b;');
    const partial = sim.requests.slice(before).find((r) => {
      const messages = r.body?.messages;
      return Array.isArray(messages) && (messages[messages.length - 1] as { partial?: boolean }).partial === true;
    });
    assert.ok(partial, 'a partial-mode request reached the simulator');
    await screenshot('completion');

    await page.keyboard.press('Tab');
    await waitUntil(async () => (await ghost.count()) === 0, 'the ghost text to be accepted');
    assert.match(await visibleText(activeEditor(page)), /function add\(a: number, b: number\): number \{\n\s+return a \+ b;\n\}/);

    await page.keyboard.press('Control+S');
    const onDisk = path.join(workspace, file);
    await waitUntil(() => fs.readFileSync(onDisk, 'utf8').includes('return a + b;'), `${file} to be saved`);
    assert.match(fs.readFileSync(onDisk, 'utf8'), /function add\(a: number, b: number\): number \{\n {2}return a \+ b;\n\}\n?$/);
  });
});
