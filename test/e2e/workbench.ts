// Playwright helpers for driving VS Code's web workbench the way a user does: the command palette (F1),
// Quick Open, the editor, the status bar and webview views. Every wait is on a selector or a condition.
import type { FrameLocator, Locator, Page } from 'playwright-core';

/** The quick input (command palette, Quick Open, quick picks, input boxes). */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/** Rows of the visible quick input list. */
function quickInputRows(page: Page): Locator {
  return quickInput(page).locator('.quick-input-list .monaco-list-row');
}

/** Picks the row whose text contains `label` in the open quick input. */
export async function pickQuickInputRow(page: Page, label: string, timeout = 10_000): Promise<void> {
  const row = quickInputRows(page).filter({ hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout });
  await row.click();
}

/** Runs a command from the palette (F1) by its title, e.g. `Moonpilot: Generate Code from Mockup Image`. */
export async function runCommand(page: Page, title: string): Promise<void> {
  // A quick input still closing from the last command would take the F1 and then vanish.
  await quickInput(page).locator('input').waitFor({ state: 'hidden' });
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await pickQuickInputRow(page, title);
}

/**
 * Chooses a file in VS Code's own open dialog (a quick input holding a path, used by remote windows):
 * types the path once the dialog has listed its start folder (it resets the value until then), and
 * accepts with the dialog's button.
 */
export async function chooseInFileDialog(page: Page, absolutePath: string, okLabel: string): Promise<void> {
  const dialog = quickInput(page);
  const input = dialog.locator('input');
  await dialog.locator('.monaco-list-row', { hasText: '..' }).first().waitFor();
  const name = absolutePath.split('/').pop() ?? absolutePath;
  await waitUntil(async () => {
    await input.fill(absolutePath);
    const listed = await dialog.locator('.monaco-list-row', { hasText: name }).first().waitFor({ timeout: 2_000 }).then(() => true, () => false);
    return listed && (await input.inputValue()) === absolutePath;
  }, `the open dialog to show ${absolutePath}`);
  await dialog.locator('.monaco-button', { hasText: okLabel }).click();
}

/** Opens a workspace file with Quick Open (Ctrl+P) and waits for its tab to be active. */
export async function openFile(page: Page, relativePath: string): Promise<Locator> {
  const name = relativePath.split('/').pop() ?? relativePath;
  await page.keyboard.press('Control+P');
  const input = quickInput(page).locator('input');
  await input.waitFor({ state: 'visible' });
  await input.fill(relativePath);
  await pickQuickInputRow(page, name);
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
  return activeEditor(page);
}

/** The Monaco editor of the active editor group. */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/** The text of the visible lines of an editor (Monaco renders spaces as U+00A0). */
export async function visibleText(editor: Locator): Promise<string> {
  const lines = await editor.locator('.view-lines .view-line').evaluateAll((nodes) =>
    nodes
      .map((n) => ({ top: parseFloat((n as HTMLElement).style.top || '0'), text: n.textContent ?? '' }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text),
  );
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

/** A status bar entry by its contributed id (`publisher.extension.itemId`). */
export function statusItem(page: Page, id: string): Locator {
  return page.locator(`[id="${id}"]`);
}

/** Polls `condition` until it holds; rejects with `what` after `timeoutMs`. */
export async function waitUntil(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The content frame of the visible webview: VS Code puts each webview in an `iframe.webview` (in an
 * overlay over its view, not inside it), whose document holds the extension's HTML in `#active-frame`.
 */
export function visibleWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
}

/** The notification toasts currently shown. */
export function notificationToast(page: Page, text: string): Locator {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text });
}
