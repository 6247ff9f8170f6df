// Offline launcher: runs the integration suite inside a real VS Code (code-server's VS Code server and
// web workbench, from the npm registry) opened in Debian's Chromium. Needs no internet beyond npm/apt.
//
//   node out/test/support/launchers/offline.js                 the extension from this repo in development mode
//   node out/test/support/launchers/offline.js --vsix [file]   packages (unless a file is given), installs the
//                                                      .vsix, and runs out/test/packaged against it
//   node out/test/support/launchers/offline.js --restricted    workspace trust on, test/fixtures/untrusted not
//                                                      trusted (Restricted Mode): runs out/test/integration-restricted
//
// Environment: MOONPILOT_TEST_GREP (substring of test titles), MOONPILOT_TEST_TIMEOUT_MS (default 10 min),
// MOONPILOT_KEEP_TEMP=1 keeps the session's temp folder after a passing run.
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_API_KEY } from '../simulator/kimiSimulator';
import type { TestRunResult } from '../../integration/testResult';
import { packageVsix } from './packageCheck';
import { filesContaining } from './secretScan';
import { ensureChromium } from './systemPackages';
import { seconds } from './toolchain';
import { repoRoot } from '../repoRoot';
import { suiteEnvironment } from './suiteEnvironment';
import { ensureVsCodeServer } from './vscodeServerInstall';
import { installVsix, prepareSession, runSuiteInWorkbench, type SessionOptions, type SuiteRun } from './workbenchSession';

interface LauncherArgs {
  /** `undefined`: development mode; `''`: package, then install; otherwise the .vsix to install. */
  readonly vsix?: string;
  /** Development mode in a folder that is not trusted (Restricted Mode). */
  readonly restricted?: boolean;
}

function parseArgs(argv: readonly string[]): LauncherArgs {
  const restricted = argv.includes('--restricted');
  const index = argv.indexOf('--vsix');
  if (index === -1) {
    return { restricted };
  }
  const next = argv[index + 1];
  return { vsix: next && !next.startsWith('--') ? path.resolve(next) : '', restricted };
}

/**
 * The Restricted Mode session: workspace trust on and never asked, so the folder stays untrusted;
 * the user's machine setting points moonpilot.baseUrl at the simulator under another origin
 * (localhost instead of 127.0.0.1), which Moonpilot must ask about before sending the key.
 */
function restrictedSession(env: Record<string, string>): SessionOptions {
  return {
    fixture: 'untrusted',
    userSettings: {
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.banner': 'never',
      // The suggest widget opening on the typed letter would make completion ask for nothing.
      'editor.quickSuggestions': { other: false, comments: false, strings: false },
    },
    machineSettings: { 'moonpilot.baseUrl': `http://localhost:${env.MOONPILOT_SIM_PORT}/v1` },
  };
}

function requireFile(file: string, hint: string): void {
  if (!fs.existsSync(file)) {
    throw new Error(`${path.relative(repoRoot, file)} is missing; run \`${hint}\` first.`);
  }
}

function printResult(result: TestRunResult): void {
  console.log(`\n[${result.suite}] VS Code ${result.vscodeVersion}, extension host Node ${result.nodeVersion}`);
  for (const line of result.lines) {
    console.log(line);
  }
  if (result.fatal) {
    console.log(`\n[${result.suite}] the suite could not run:\n${result.fatal}`);
  }
}

/** Shows the end of the session log (workbench and extension host console, server output). */
function printLogTail(logFile: string): void {
  if (!fs.existsSync(logFile)) {
    return;
  }
  const tail = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-25);
  console.error(`[offline] last lines of ${path.relative(repoRoot, logFile)}:`);
  for (const line of tail) {
    console.error(`  ${line.length > 300 ? `${line.slice(0, 300)}…` : line}`);
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const args = parseArgs(process.argv.slice(2));
  const timeoutMs = Number(process.env.MOONPILOT_TEST_TIMEOUT_MS ?? 10 * 60_000);
  const vsixMode = args.vsix !== undefined;
  if (vsixMode && args.restricted) {
    throw new Error('--restricted runs the development extension; it does not combine with --vsix');
  }
  const suite = vsixMode ? 'packaged' : args.restricted ? 'integration-restricted' : 'integration';
  requireFile(path.join(repoRoot, 'out', 'test', suite, 'index.js'), 'npm run compile-tests');
  if (!vsixMode) {
    requireFile(path.join(repoRoot, 'dist', 'extension.js'), 'npm run build');
  }

  const server = await ensureVsCodeServer();
  const chromiumPath = await ensureChromium();
  const vsix = vsixMode ? args.vsix || (await packageVsix()) : undefined;

  const devEnv = vsixMode ? {} : await suiteEnvironment();
  const dirs = args.restricted ? prepareSession('restricted', restrictedSession(devEnv)) : prepareSession(vsixMode ? 'vsix' : 'integration');
  let passed = false;
  try {
    const run: SuiteRun = vsix
      ? {
          // A do-nothing probe is the development extension, so the moonpilot under test is the installed one.
          extensionDevelopmentPath: path.join(repoRoot, 'test', 'fixtures', 'vsix-probe'),
          extensionTestsPath: path.join(repoRoot, 'out', 'test', 'packaged', 'index'),
          env: { MOONPILOT_TEST_EXTENSIONS_DIR: dirs.extensions },
          timeoutMs,
        }
      : {
          extensionDevelopmentPath: repoRoot,
          extensionTestsPath: path.join(repoRoot, 'out', 'test', suite, 'index'),
          env: devEnv,
          timeoutMs,
        };
    if (vsix) {
      await installVsix(server, dirs, vsix);
    }
    const result = await runSuiteInWorkbench(server, chromiumPath, dirs, run);
    printResult(result);
    passed = result.failures === 0 && !result.fatal && result.passes > 0;
    // The key the suite stored must not have been written anywhere but SecretStorage.
    const leaks = filesContaining([dirs.userData, dirs.serverData, dirs.workspace, dirs.logFile], DEFAULT_API_KEY);
    if (leaks.length > 0) {
      passed = false;
      console.log(`\n[offline] FAILED: the API key was written to ${leaks.map((f) => path.relative(dirs.root, f)).join(', ')}`);
    } else {
      console.log('[offline] key scan: the API key appears in no setting, state database, log or workspace file');
    }
    if (result.passes === 0 && result.failures === 0) {
      console.log('\n[offline] no test ran (check MOONPILOT_TEST_GREP)');
    }
  } catch (error) {
    console.error(`\n[offline] ${error instanceof Error ? error.message : String(error)}`);
    printLogTail(dirs.logFile);
  } finally {
    if (passed && process.env.MOONPILOT_KEEP_TEMP !== '1') {
      fs.rmSync(dirs.root, { recursive: true, force: true });
    } else {
      console.log(`[offline] session files kept in ${dirs.root}`);
    }
  }
  console.log(`[offline] log: ${path.relative(repoRoot, dirs.logFile)}`);
  console.log(`[offline] ${passed ? 'PASSED' : 'FAILED'} in ${seconds(Date.now() - started)}`);
  return passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[offline] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
