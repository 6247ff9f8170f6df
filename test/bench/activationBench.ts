/**
 * `npm run bench -- activation`: the packaged moonpilot.vsix, installed into the real VS Code server
 * as a user has it, opened in Chromium a few times over; each time VS Code's own "Running
 * Extensions" view is read for Moonpilot's activation time (code loading + `activate()` call +
 * its promise), next to the built-in extensions VS Code activated in the same window.
 * An empty extension with the same activation event is installed beside it as the floor: what
 * VS Code's own loading costs under the same load, with no code of ours.
 * Also prints the .vsix size (Marketplace goal: ≤ 2 MB).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import * as os from 'node:os';
import { packageVsix } from '../launchers/packageCheck';
import { runCommand as runProcess } from '../launchers/processes';
import { repoRoot } from '../launchers/toolchain';
import { ensureChromium } from '../launchers/systemPackages';
import { ensureVsCodeServer, type VsCodeServer } from '../launchers/vscodeServerInstall';
import { startVsCodeServer } from '../launchers/vscodeServerProcess';
import { installVsix, prepareSession } from '../launchers/workbenchSession';
import { runCommand, statusItem } from '../e2e/workbench';
import { startSimulator } from '../simulator/kimiSimulator';
import { percentile, type BenchTable } from './benchTable';
import type { Benchmark } from './registry';

const RUNS = Number(process.env.ACTIVATION_RUNS ?? 5);
const GOAL_MS = 50;
const VSIX_GOAL_BYTES = 2 * 1024 * 1024;

export const activationBenchmark: Benchmark = { name: 'activation', run };

interface RunningExtension {
  readonly name: string;
  readonly activationMs: number;
}

/**
 * Opens "Developer: Show Running Extensions" and reads each extension's row: its name and the
 * activation time VS Code measured ("Startup Activation: 12ms" / "Activation: 12ms").
 */
async function runningExtensions(page: Page): Promise<RunningExtension[]> {
  await runCommand(page, 'Developer: Show Running Extensions');
  const rows = page.locator('.runtime-extensions-editor .monaco-list-row');
  await rows.filter({ hasText: 'Moonpilot' }).first().waitFor({ timeout: 30_000 });
  const texts = await rows.evaluateAll((nodes) =>
    nodes.map((n) => ({ name: n.querySelector('.name')?.textContent ?? '', time: n.querySelector('.activation-time')?.textContent ?? n.textContent ?? '' })),
  );
  return texts
    .map(({ name, time }) => ({ name: name.trim(), activationMs: Number(/([\d.]+)\s*ms/.exec(time)?.[1] ?? NaN) }))
    .filter((e) => e.name !== '' && Number.isFinite(e.activationMs));
}

const EMPTY_NAME = 'Empty extension (floor)';

/** Packages an extension that does nothing, activated like Moonpilot (onStartupFinished). */
async function packageEmptyExtension(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'moonpilot-empty-ext-'));
  const manifest = {
    name: 'empty-floor', displayName: EMPTY_NAME, description: 'Does nothing; the activation floor.', version: '0.0.1',
    publisher: 'moonpilot-bench', license: 'MIT', repository: 'https://example.invalid/empty', engines: { vscode: '^1.101.0' },
    main: './main.js', activationEvents: ['onStartupFinished'],
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, 'main.js'), 'exports.activate = function activate() {};\n');
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
  fs.writeFileSync(path.join(dir, 'README.md'), '# Empty\n');
  const out = path.join(dir, 'empty.vsix');
  await runProcess(path.join(repoRoot, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--out', out], { cwd: dir, echo: false });
  return out;
}

async function oneRun(server: VsCodeServer, chromiumPath: string, vsix: string, emptyVsix: string, index: number): Promise<RunningExtension[]> {
  const dirs = prepareSession('bench-activation', {
    fixture: 'sandbox',
    userSettings: { 'chat.disableAIFeatures': true, 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
  });
  await installVsix(server, dirs, vsix);
  await installVsix(server, dirs, emptyVsix);
  const sim = await startSimulator({});
  const log = fs.createWriteStream(dirs.logFile);
  const running = await startVsCodeServer(server, dirs, { env: { MOONSHOT_BASE_URL: sim.baseUrl, MOONSHOT_API_KEY: sim.apiKey }, log });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    // Tall enough for the Running Extensions list to render every row (it is virtualised).
    const page = await browser.newPage({ viewport: { width: 1280, height: 4000 } });
    page.setDefaultTimeout(30_000);
    await page.goto(running.workbenchUrl(dirs.workspace, [['skipWelcome', 'true'], ['skipReleaseNotes', 'true']]));
    await statusItem(page, 'moonpilot.moonpilot.moonpilot.endpoint').filter({ hasText: 'Kimi' }).waitFor({ timeout: 60_000 });
    const extensions = await runningExtensions(page);
    const ms = (name: string): string => String(extensions.find((e) => e.name.startsWith(name))?.activationMs ?? '?');
    process.stderr.write(`  run ${index + 1}: Moonpilot ${ms('Moonpilot')} ms, empty extension ${ms(EMPTY_NAME)} ms\n`);
    return extensions;
  } finally {
    await browser.close().catch(() => undefined);
    await running.stop();
    await sim.close();
    await new Promise<void>((resolve) => log.end(resolve));
    if (process.env.MOONPILOT_KEEP_TEMP === '1') {
      process.stderr.write(`  session files kept in ${dirs.root}\n`);
    } else {
      fs.rmSync(dirs.root, { recursive: true, force: true });
    }
  }
}

async function run(): Promise<BenchTable[]> {
  const vsix = await packageVsix();
  const vsixBytes = fs.statSync(vsix).size;
  const server = await ensureVsCodeServer();
  const chromiumPath = await ensureChromium();
  const emptyVsix = await packageEmptyExtension();
  const runs: RunningExtension[][] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await oneRun(server, chromiumPath, vsix, emptyVsix, i));
  }
  fs.rmSync(path.dirname(emptyVsix), { recursive: true, force: true });
  const times = (name: (n: string) => boolean): number[] =>
    runs.map((r) => r.find((e) => name(e.name))?.activationMs).filter((t): t is number => t !== undefined);
  const ours = times((n) => n.startsWith('Moonpilot'));
  const floor = times((n) => n === EMPTY_NAME);
  const others = new Map<string, number[]>();
  for (const r of runs) {
    for (const e of r.filter((x) => !x.name.startsWith('Moonpilot') && x.name !== EMPTY_NAME)) {
      others.set(e.name, [...(others.get(e.name) ?? []), e.activationMs]);
    }
  }
  const builtIn = [...others.entries()].filter(([, t]) => t.length === runs.length).sort((a, b) => percentile(b[1], 50) - percentile(a[1], 50)).slice(0, 4);
  const row = (name: string, t: number[], goal: string): (string | number)[] => [name, percentile(t, 50), Math.min(...t), Math.max(...t), goal];
  return [
    {
      title: `Activation in the real VS Code (${runs.length} fresh windows, VS Code's "Running Extensions" times)`,
      columns: ['extension', 'activation p50 (ms)', 'min', 'max', 'goal'],
      rows: [
        row('Moonpilot (installed .vsix)', ours, `≤ ${GOAL_MS} ms`),
        row(`${EMPTY_NAME}, same window`, floor, ''),
        row('Moonpilot minus the empty extension, per window', runs.flatMap((r) => {
          const a = r.find((e) => e.name.startsWith('Moonpilot'))?.activationMs;
          const b = r.find((e) => e.name === EMPTY_NAME)?.activationMs;
          return a !== undefined && b !== undefined ? [a - b] : [];
        }), ''),
        ...builtIn.map(([name, t]) => row(`${name} (built in, same window)`, t, '')),
      ],
      notes: [
        'Activation as VS Code reports it (code loading + the activate() call). Moonpilot activates onStartupFinished, so none of it is on the window\'s startup path. The empty extension shows what VS Code\'s loading costs by itself on this machine at the time; the rows of built-in extensions are there for scale.',
        `Load average at the end: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores (other work on the machine inflates every row alike).`,
        `Packaged: ${path.basename(vsix)} ${(vsixBytes / 1024).toFixed(1)} KiB (goal ≤ ${VSIX_GOAL_BYTES / 1024 / 1024} MB).`,
      ],
    },
  ];
}
