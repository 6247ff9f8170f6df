// Small helpers shared by the integration tests that run inside VS Code.
import * as vscode from 'vscode';

/** The extension under test, as `publisher.name` from package.json. */
export const extensionId = 'moonpilot.moonpilot';

/**
 * Polls `predicate` every 50 ms until it returns a truthy value, which is returned; fails after
 * `timeoutMs` with a message naming `what`. Use instead of fixed sleeps.
 */
export async function waitFor<T>(
  predicate: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) {
        return value;
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The folder the launcher opened: a fresh copy of `test/fixtures/workspace/`. */
export function fixtureWorkspace(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    throw new Error('no workspace folder is open; the launcher should open a copy of test/fixtures/workspace');
  }
  return folder.uri;
}

/** The extension under test; fails when VS Code does not know it. */
export function getExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) {
    throw new Error(`extension ${extensionId} is not installed in this VS Code`);
  }
  return extension;
}

/**
 * Activates the extension under test, waits until its features have loaded (activation only
 * registers stand-ins; see src/shell/) and returns what its `activate()` returned.
 */
export async function getExtensionApi<T = unknown>(): Promise<T> {
  const api = (await getExtension().activate()) as { ready(): Promise<void> };
  await api.ready();
  return api as T;
}

/** Focuses the Moonpilot chat view and waits for its webview's ready handshake. */
export async function openChatView(api: { chat: { view(): { ready: number } } }): Promise<void> {
  await vscode.commands.executeCommand('moonpilot.chatView.focus');
  await waitFor(() => api.chat.view().ready > 0, 20_000, 'the chat webview to say ready');
}
