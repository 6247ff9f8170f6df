// One run of an in-editor test suite in a real VS Code: VS Code's server (from code-server) with the
// smoke-test driver on, its web workbench opened in Chromium on a fresh copy of the fixture workspace,
// the suite's `run()` called in the Node extension host, and its JSON result read back.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser } from 'playwright-core';
import type { TestRunResult } from '../../integration/testResult';
import { freePort, killProcessGroup, runCommand, waitForHttp } from './processes';
import { copyFixtureWorkspace } from './fixtureWorkspace';
import { seconds } from './toolchain';
import { repoRoot } from '../repoRoot';
import type { VsCodeServer } from './vscodeServerInstall';

/** Folders of one session, all under a fresh temp directory. */
export interface SessionDirs {
  readonly root: string;
  readonly userData: string;
  readonly serverData: string;
  readonly extensions: string;
  readonly workspace: string;
  readonly resultFile: string;
  readonly logFile: string;
}

/** User settings that keep the workbench quiet and trusting; written before the server starts. */
const userSettings = {
  // Without this the folder opens in Restricted Mode and the extension under test stays disabled.
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
};

const keptLogs = 20;

/** Deletes all but the newest `keptLogs` logs of this label (names sort by their timestamp). */
function pruneLogs(outputDir: string, label: string): void {
  const logs = fs
    .readdirSync(outputDir)
    .filter((name) => name.startsWith(`${label}-`) && name.endsWith('.log'))
    .sort();
  for (const name of logs.slice(0, Math.max(0, logs.length - keptLogs + 1))) {
    fs.rmSync(path.join(outputDir, name), { force: true });
  }
}

/** What differs between sessions: the fixture folder copied as the workspace, extra user settings. */
export interface SessionOptions {
  /** Folder under test/fixtures; default `workspace`. */
  readonly fixture?: string;
  readonly userSettings?: Readonly<Record<string, unknown>>;
  /** `machine`-scoped settings (e.g. `moonpilot.baseUrl`), which user settings cannot set in this remote window. */
  readonly machineSettings?: Readonly<Record<string, unknown>>;
}

/** Creates the session's folders, copies the fixture workspace and writes the settings files. */
export function prepareSession(label: string, options: SessionOptions = {}): SessionDirs {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `moonpilot-${label}-`));
  const outputDir = path.join(repoRoot, 'test-output');
  fs.mkdirSync(outputDir, { recursive: true });
  pruneLogs(outputDir, label);
  const dirs: SessionDirs = {
    root,
    userData: path.join(root, 'ud'),
    serverData: path.join(root, 'sd'),
    extensions: path.join(root, 'ext'),
    workspace: path.join(root, 'workspace'),
    resultFile: path.join(root, 'result.json'),
    logFile: path.join(outputDir, `${label}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`),
  };
  copyFixtureWorkspace(dirs.workspace, options.fixture);
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'Machine'), { recursive: true });
  fs.mkdirSync(dirs.extensions, { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...userSettings, ...options.userSettings }, null, 2));
  fs.writeFileSync(path.join(dirs.userData, 'Machine', 'settings.json'), JSON.stringify(options.machineSettings ?? {}, null, 2));
  return dirs;
}

function serverDirArgs(dirs: SessionDirs): string[] {
  return ['--user-data-dir', dirs.userData, '--server-data-dir', dirs.serverData, '--extensions-dir', dirs.extensions];
}

/** Installs a packaged `.vsix` into the session's extensions folder with VS Code's own CLI. */
export async function installVsix(server: VsCodeServer, dirs: SessionDirs, vsix: string): Promise<void> {
  console.log(`[offline] installing ${path.relative(repoRoot, vsix)} into the session's extensions dir`);
  await runCommand(server.node, [server.serverMain, ...serverDirArgs(dirs), '--install-extension', vsix], {
    cwd: dirs.root,
  });
}

/** What to run in the workbench. */
export interface SuiteRun {
  /** Folder of the extension loaded in development mode. */
  readonly extensionDevelopmentPath: string;
  /** Compiled test entry exporting `run()` (without `.js`, as for @vscode/test-electron). */
  readonly extensionTestsPath: string;
  /** Extra environment for the server and so for the extension host. */
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

function remoteUri(port: number, absolutePath: string): string {
  return `vscode-remote://127.0.0.1:${port}${absolutePath}`;
}

async function waitForResult(
  dirs: SessionDirs,
  timeoutMs: number,
  aborted: () => string | undefined,
): Promise<TestRunResult> {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(dirs.resultFile)) {
    const reason = aborted();
    if (reason) {
      throw new Error(`${reason} before the suite wrote its result`);
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${seconds(timeoutMs)} waiting for the suite's result`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return JSON.parse(fs.readFileSync(dirs.resultFile, 'utf8')) as TestRunResult;
}

/** Starts the server and the browser, runs the suite, and always closes both. */
export async function runSuiteInWorkbench(
  server: VsCodeServer,
  chromiumPath: string,
  dirs: SessionDirs,
  run: SuiteRun,
): Promise<TestRunResult> {
  const log = fs.createWriteStream(dirs.logFile);
  const port = await freePort();
  const started = Date.now();
  const serverProcess = spawn(
    server.node,
    [
      server.serverMain,
      '--host', '127.0.0.1',
      '--port', String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      ...serverDirArgs(dirs),
      '--disable-telemetry',
      '--enable-smoke-test-driver',
    ],
    {
      cwd: dirs.root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...run.env, MOONPILOT_TEST_RESULT: dirs.resultFile },
    },
  );
  serverProcess.stdout?.on('data', (chunk: Buffer) => log.write(`[server] ${chunk.toString()}`));
  serverProcess.stderr?.on('data', (chunk: Buffer) => log.write(`[server:err] ${chunk.toString()}`));

  let browser: Browser | undefined;
  let abortReason: string | undefined;
  serverProcess.on('exit', (code, signal) => {
    abortReason ??= `the VS Code server exited (${code ?? signal})`;
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, 60_000, serverProcess);
    console.log(`[offline] VS Code server listening on ${port} after ${seconds(Date.now() - started)}`);

    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    browser.on('disconnected', () => {
      abortReason ??= 'the browser disconnected';
    });
    const page = await browser.newPage();
    page.on('console', (message) => log.write(`[console:${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => log.write(`[pageerror] ${error.stack ?? error.message}\n`));
    page.on('crash', () => {
      abortReason ??= 'the workbench page crashed';
    });

    const payload = [
      ['extensionDevelopmentPath', remoteUri(port, run.extensionDevelopmentPath)],
      ['extensionTestsPath', remoteUri(port, run.extensionTestsPath)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    const url =
      `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}` +
      `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log.write(`[offline] opening ${url}\n`);
    await page.goto(url);
    console.log(`[offline] workbench opened; waiting for the suite (log: ${path.relative(repoRoot, dirs.logFile)})`);

    const result = await waitForResult(dirs, run.timeoutMs, () => abortReason);
    console.log(`[offline] suite finished ${seconds(Date.now() - started)} after the server started`);
    return result;
  } finally {
    await browser?.close().catch(() => undefined);
    await killProcessGroup(serverProcess);
    await new Promise<void>((resolve) => log.end(resolve));
  }
}
