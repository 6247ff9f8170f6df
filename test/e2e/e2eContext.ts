// What the end-to-end runner shares with the test files it loads: the workbench page, the simulator the
// extension host talks to, and the session's workspace. Set once by run.ts before mocha loads the tests.
import type { Page } from 'playwright-core';
import type { KimiSimulator } from '../support/simulator/kimiSimulator';
import type { ScriptHandler } from '../support/simulator/types';

export interface E2eContext {
  /** The VS Code workbench, opened on the workspace with the installed moonpilot.vsix. */
  readonly page: Page;
  /** The Kimi simulator (in the runner's process) answering the extension host's requests. */
  readonly sim: KimiSimulator;
  /** Absolute path of the session's workspace folder (a copy of test/fixtures/sandbox). */
  readonly workspace: string;
  /** Workspace-relative path of the mockup image copied in at run time. */
  readonly mockupImage: string;
  /** Writes a screenshot of the page to test-output/e2e/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /** A scripted answer tried before the sandbox's own; returns a function removing it. */
  override(handler: ScriptHandler): () => void;
}

let current: E2eContext | undefined;

export function setE2eContext(context: E2eContext | undefined): void {
  current = context;
}

/** The running session; throws when a test file is loaded outside the runner. */
export function e2e(): E2eContext {
  if (!current) {
    throw new Error('No end-to-end session: run the tests with `npm run test:e2e`.');
  }
  return current;
}
