// Mockup image → code as a user runs it from the command palette: pick the image, the target, no
// instruction; the generated page streams into a new editor.
import * as assert from 'assert';
import * as path from 'path';
import { e2e } from './e2eContext';
import { activeEditor, chooseInFileDialog, pickQuickInputRow, quickInput, runCommand, visibleText } from './workbench';

function hasImagePart(messages: unknown): boolean {
  return Array.isArray(messages) && messages.some((m: { content?: unknown }) => Array.isArray(m.content) && m.content.some((p: { type?: string }) => p.type === 'image_url'));
}

describe('mockup to code', () => {
  it('turns an image into an HTML page in a new editor', async () => {
    const { page, sim, workspace, mockupImage, screenshot } = e2e();
    const before = sim.requests.length;
    await runCommand(page, 'Moonpilot: Generate Code from Mockup Image');

    // The open dialog of a remote window is VS Code's own (a quick input holding a path).
    await chooseInFileDialog(page, path.join(workspace, mockupImage), 'Generate Code');
    await pickQuickInputRow(page, 'HTML + CSS');
    await quickInput(page).locator('.quick-input-title', { hasText: 'anything the code should follow' }).waitFor();
    await page.keyboard.press('Enter'); // no extra instruction

    await page.locator('.tabs-container .tab.active', { hasText: 'Untitled' }).waitFor();
    const done = page.locator('.notifications-toasts .notification-toast', { hasText: 'generated HTML + CSS' });
    await done.waitFor({ timeout: 30_000 });
    const text = await visibleText(activeEditor(page));
    assert.match(text, /^<!DOCTYPE html>/);
    assert.match(text, /<title>Sign in · Lunar Shop<\/title>/);
    await page.locator('[id="status.editor.mode"]', { hasText: 'HTML' }).waitFor();
    const request = sim.requests.slice(before).find((r) => hasImagePart(r.body?.messages));
    assert.ok(request, 'the image reached the simulator');
    assert.equal(request.completed, true);
    await screenshot('mockup');
  });
});
