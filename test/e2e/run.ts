// End-to-end tests: the packaged moonpilot.vsix installed into a real VS Code (code-server's VS Code
// server, no development extension, no smoke-test driver), its web workbench driven by Playwright in
// Debian's Chromium, and the Kimi simulator started here answering the extension host.
//
//   npm run test:e2e                                 package, install, run every *.e2e.js
//   npm run test:e2e -- --vsix file.vsix             install this file instead of packaging
//   npm run test:e2e -- --update-screenshots         also copy the screenshots to docs/screenshots/
//
// Environment: MOONPILOT_TEST_GREP (substring of test titles), MOONPILOT_E2E_HEADED=1 (show the browser),
// MOONPILOT_E2E_MOCKUP (image to copy into the workspace), MOONPILOT_KEEP_TEMP=1.
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import Mocha = require('mocha');
import { packageVsix } from '../support/launchers/packageCheck';
import { ensureChromium } from '../support/launchers/systemPackages';
import { seconds } from '../support/launchers/toolchain';
import { repoRoot } from '../support/repoRoot';
import { ensureVsCodeServer } from '../support/launchers/vscodeServerInstall';
import { startVsCodeServer, type RunningServer } from '../support/launchers/vscodeServerProcess';
import { installVsix, prepareSession } from '../support/launchers/workbenchSession';
import { installSandboxScript } from '../support/sandbox/sandboxScript';
import { startSimulator, type KimiSimulator } from '../support/simulator/kimiSimulator';
import type { ScriptHandler } from '../support/simulator/types';
import { sharedMockupsDir } from '../support/tools/mockupFixtures';
import { setE2eContext } from './e2eContext';

const outputDir = path.join(repoRoot, 'test-output', 'e2e');
const readmeScreenshotsDir = path.join(repoRoot, 'docs', 'screenshots');
/** Screenshots shown in the README (the others stay in test-output/e2e). */
const readmeScreenshots = ['completion.png', 'chat.png', 'mockup.png'];
/** The order the test files run in (later ones leave editors and views open). */
const testFiles = ['workbench', 'completion', 'chat', 'mockup'];
const sharedMockup = path.join(sharedMockupsDir(), '1199.png');

/** Settings that keep the workbench's own helpers from typing over the test's keystrokes. */
const userSettings = {
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnCommitCharacter': false,
  'editor.parameterHints.enabled': false,
  'editor.hover.enabled': false,
  'editor.minimap.enabled': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'workbench.editor.enablePreview': false,
  // VS Code's own AI chat (not installed here) would otherwise fill the secondary side bar.
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

interface RunnerArgs {
  readonly vsix?: string;
  readonly updateScreenshots: boolean;
}

function parseArgs(argv: readonly string[]): RunnerArgs {
  const index = argv.indexOf('--vsix');
  const next = index >= 0 ? argv[index + 1] : undefined;
  return { vsix: next && !next.startsWith('--') ? path.resolve(next) : undefined, updateScreenshots: argv.includes('--update-screenshots') };
}

/** Copies a mockup image into the workspace (a shared real screenshot when present, else the fixture's own). */
function copyMockup(workspace: string): string {
  const source = process.env.MOONPILOT_E2E_MOCKUP ?? (fs.existsSync(sharedMockup) ? sharedMockup : path.join(workspace, 'mockups', 'login.png'));
  const relative = `mockups/screenshot-${path.basename(source)}`;
  fs.copyFileSync(source, path.join(workspace, relative));
  return relative;
}

/** Runs the compiled `*.e2e.js` files with mocha; resolves with the number of failures. */
function runMocha(page: Page): Promise<number> {
  const mocha = new Mocha({ timeout: 60_000, reporter: 'spec', grep: process.env.MOONPILOT_TEST_GREP, slow: 10_000 });
  mocha.suite.afterEach(async function screenshotFailure(this: Mocha.Context) {
    const test = this.currentTest;
    if (test?.state === 'failed') {
      const name = `failed-${test.fullTitle().replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}`;
      await page.screenshot({ path: path.join(outputDir, `${name}.png`) }).catch(() => undefined);
    }
  });
  for (const name of testFiles) {
    mocha.addFile(path.join(__dirname, `${name}.e2e.js`));
  }
  return new Promise((resolve) => mocha.run((failures) => resolve(failures)));
}

async function main(): Promise<number> {
  const started = Date.now();
  const args = parseArgs(process.argv.slice(2));
  const vsix = args.vsix ?? (await packageVsix());
  const server = await ensureVsCodeServer();
  const chromiumPath = await ensureChromium();
  const dirs = prepareSession('e2e', { fixture: 'sandbox', userSettings });
  const mockupImage = copyMockup(dirs.workspace);
  await installVsix(server, dirs, vsix);
  fs.rmSync(outputDir, { recursive: true, force: true });
  fs.mkdirSync(outputDir, { recursive: true });

  const log = fs.createWriteStream(dirs.logFile);
  let sim: KimiSimulator | undefined;
  let running: RunningServer | undefined;
  let browser: Browser | undefined;
  let failures = 1;
  try {
    sim = await startSimulator({
      onResponse: (req) => log.write(`[simulator] ${req.method} ${req.path} -> ${req.status ?? '-'}${req.closedByClient ? ' (closed by client)' : ''}\n`),
    });
    const overrides: ScriptHandler[] = [];
    sim.script((req) => overrides.map((handler) => handler(req)).find((reply) => reply !== undefined));
    installSandboxScript(sim);

    running = await startVsCodeServer(server, dirs, { env: { MOONSHOT_BASE_URL: sim.baseUrl, MOONSHOT_API_KEY: sim.apiKey }, log });
    console.log(`[e2e] VS Code server on ${running.port}, simulator at ${sim.baseUrl} (${seconds(Date.now() - started)})`);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: process.env.MOONPILOT_E2E_HEADED !== '1',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    page.setDefaultTimeout(20_000);
    page.on('console', (message) => log.write(`[console:${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => log.write(`[pageerror] ${error.stack ?? error.message}\n`));
    await page.goto(running.workbenchUrl(dirs.workspace, [['skipWelcome', 'true'], ['skipReleaseNotes', 'true']]));

    const simulator = sim;
    setE2eContext({
      page,
      sim: simulator,
      workspace: dirs.workspace,
      mockupImage,
      screenshot: async (name) => {
        const file = path.join(outputDir, `${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      override: (handler) => {
        overrides.push(handler);
        return () => overrides.splice(overrides.indexOf(handler), 1);
      },
    });
    failures = await runMocha(page);
  } catch (error) {
    console.error(`[e2e] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    setE2eContext(undefined);
    await browser?.close().catch(() => undefined);
    await running?.stop();
    await sim?.close();
    await new Promise<void>((resolve) => log.end(resolve));
  }

  const passed = failures === 0;
  if (passed && args.updateScreenshots) {
    fs.mkdirSync(readmeScreenshotsDir, { recursive: true });
    for (const name of readmeScreenshots) {
      fs.copyFileSync(path.join(outputDir, name), path.join(readmeScreenshotsDir, name));
    }
    console.log(`[e2e] copied ${readmeScreenshots.join(', ')} to ${path.relative(repoRoot, readmeScreenshotsDir)}/`);
  }
  if (passed && process.env.MOONPILOT_KEEP_TEMP !== '1') {
    fs.rmSync(dirs.root, { recursive: true, force: true });
  } else {
    console.log(`[e2e] session files kept in ${dirs.root}`);
  }
  console.log(`[e2e] screenshots: ${path.relative(repoRoot, outputDir)}/, log: ${path.relative(repoRoot, dirs.logFile)}`);
  console.log(`[e2e] ${passed ? 'PASSED' : 'FAILED'} in ${seconds(Date.now() - started)}`);
  return passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[e2e] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
