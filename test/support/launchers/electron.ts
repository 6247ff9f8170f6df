// Electron launcher: the same integration suite in VS Code desktop, downloaded by @vscode/test-electron
// into .vscode-test/. Needs internet access to update.code.visualstudio.com on the first run; where
// there is none, use the offline launcher (`npm run test:integration`).
//
//   node out/test/support/launchers/electron.js
//
// Environment: MOONPILOT_VSCODE_VERSION ('stable' by default, 'insiders' or e.g. '1.101.0'),
// MOONPILOT_TEST_GREP (substring of test titles).
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { copyFixtureWorkspace } from './fixtureWorkspace';
import { suiteEnvironment } from './suiteEnvironment';
import { seconds } from './toolchain';
import { repoRoot } from '../repoRoot';

async function main(): Promise<number> {
  const started = Date.now();
  const extensionTestsPath = path.join(repoRoot, 'out', 'test', 'integration', 'index');
  for (const [file, hint] of [
    [`${extensionTestsPath}.js`, 'npm run compile-tests'],
    [path.join(repoRoot, 'dist', 'extension.js'), 'npm run build'],
  ]) {
    if (!fs.existsSync(file)) {
      console.error(`[electron] ${path.relative(repoRoot, file)} is missing; run \`${hint}\` first.`);
      return 1;
    }
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'moonpilot-electron-'));
  const workspace = copyFixtureWorkspace(path.join(root, 'workspace'));
  try {
    await runTests({
      version: process.env.MOONPILOT_VSCODE_VERSION ?? 'stable',
      // An idle timeout for the download, so a machine without internet fails in seconds.
      timeout: 15_000,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      extensionTestsEnv: { ...(await suiteEnvironment()), MOONPILOT_TEST_GREP: process.env.MOONPILOT_TEST_GREP },
      launchArgs: [workspace, '--disable-extensions'],
    });
    console.log(`[electron] PASSED in ${seconds(Date.now() - started)}`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof TestRunFailedError) {
      console.error(`[electron] FAILED: ${message}`);
    } else {
      console.error(
        `[electron] could not start VS Code desktop: ${message}\n` +
          '[electron] @vscode/test-electron downloads it from update.code.visualstudio.com; ' +
          'without internet access run `npm run test:integration` instead.',
      );
    }
    return 1;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[electron] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
