// Entry point of the integration suite inside the extension host (`extensionTestsPath`), shared by the
// offline launcher (code-server's VS Code in Chromium) and the @vscode/test-electron launcher.
import { runMochaSuite } from './mochaRunner';

/** Runs every `*.test.js` next to this file; rejects when a test fails. */
export function run(): Promise<void> {
  return runMochaSuite({ suite: 'integration', testsRoot: __dirname });
}
