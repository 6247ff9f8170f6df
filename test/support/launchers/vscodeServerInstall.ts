// Installs the real VS Code used by the offline launcher: code-server's bundled VS Code server and web
// workbench from the npm registry, cached in `.vscode-test/` (outside node_modules). Run directly to
// prepare a machine (also installs Chromium):
// `node out/test/support/launchers/vscodeServerInstall.js`.
import * as fs from 'fs';
import * as path from 'path';
import { runCommand } from './processes';
import { ensureChromium, ensureNativeBuildTools } from './systemPackages';
import { findNode24, seconds } from './toolchain';
import { repoRoot } from '../repoRoot';

/** The code-server release whose bundled VS Code (1.139.1) the offline tests run in. */
export const codeServerVersion = '4.139.1';

const installDir = path.join(repoRoot, '.vscode-test', `code-server-${codeServerVersion}`);
const markerFile = path.join(installDir, '.installed.json');
const lockDir = `${installDir}.lock`;

/** Paths into an installed VS Code server. */
export interface VsCodeServer {
  /** VS Code's own server entry point (not code-server's CLI, which rejects the smoke-test flag). */
  readonly serverMain: string;
  /** The Node 24 binary to run it with. */
  readonly node: string;
}

function serverPaths(): VsCodeServer {
  const serverMain = path.join(installDir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
  return { serverMain, node: findNode24().bin };
}

function isInstalled(): boolean {
  return fs.existsSync(markerFile) && fs.existsSync(serverPaths().serverMain);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes an exclusive lock (a directory holding the owner's pid); waits while another live process holds it. */
async function acquireLock(): Promise<() => void> {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const pidFile = path.join(lockDir, 'pid');
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(pidFile, String(process.pid));
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch {
      const owner = Number(fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8') : NaN);
      if (!Number.isInteger(owner) || !isAlive(owner)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) {
        console.log(`[install] another process (pid ${owner}) is installing code-server; waiting…`);
        announced = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

/** Prints a heartbeat while a long step runs, so a quiet `npm install` does not look hung. */
function heartbeat(label: string): () => void {
  const started = Date.now();
  const timer = setInterval(() => console.log(`[install] ${label}… ${seconds(Date.now() - started)}`), 20_000);
  return () => clearInterval(timer);
}

async function install(): Promise<void> {
  await ensureNativeBuildTools();
  const node24 = findNode24();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${path.dirname(node24.bin)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: node24.dir,
    // postinstall.sh reads the Node major version from this; without a dot after it the check breaks.
    npm_config_user_agent: `npm/11 node/v${node24.version} linux x64`,
  };
  fs.rmSync(installDir, { recursive: true, force: true });
  fs.mkdirSync(installDir, { recursive: true });

  const started = Date.now();
  console.log(`[install] npm install code-server@${codeServerVersion} into ${path.relative(repoRoot, installDir)} (first time: 2–3 minutes)`);
  let stop = heartbeat('npm install');
  try {
    await runCommand(
      'npm',
      // Scripts are run below, by hand, whatever this npm's script policy is.
      ['install', '--prefix', installDir, `code-server@${codeServerVersion}`, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts'],
      { env, cwd: installDir },
    );
  } finally {
    stop();
  }
  console.log(`[install] npm install done in ${seconds(Date.now() - started)}`);

  // code-server's postinstall installs lib/vscode's own dependencies (building native modules against
  // Node 24's headers); it needs Node 24 first on PATH and an npm user agent it recognises.
  const codeServerDir = path.join(installDir, 'node_modules', 'code-server');
  const postinstallStarted = Date.now();
  console.log('[install] running code-server postinstall.sh with Node 24');
  stop = heartbeat('postinstall.sh');
  try {
    await runCommand('sh', ['./postinstall.sh'], { env, cwd: codeServerDir });
  } finally {
    stop();
  }
  console.log(`[install] postinstall done in ${seconds(Date.now() - postinstallStarted)}`);

  if (!fs.existsSync(serverPaths().serverMain)) {
    throw new Error(`install finished but ${serverPaths().serverMain} is missing`);
  }
  const totalMs = Date.now() - started;
  fs.writeFileSync(
    markerFile,
    JSON.stringify({ codeServerVersion, installedAt: new Date().toISOString(), seconds: totalMs / 1000 }, null, 2),
  );
  console.log(`[install] code-server ${codeServerVersion} installed in ${seconds(totalMs)}`);
}

/** Ensures code-server's VS Code is installed in `.vscode-test/` (idempotent, safe to call concurrently). */
export async function ensureVsCodeServer(): Promise<VsCodeServer> {
  if (isInstalled()) {
    return serverPaths();
  }
  const release = await acquireLock();
  try {
    if (!isInstalled()) {
      await install();
    }
  } finally {
    release();
  }
  return serverPaths();
}

async function main(): Promise<void> {
  const started = Date.now();
  const server = await ensureVsCodeServer();
  const chromium = await ensureChromium();
  console.log(`[install] VS Code server: ${server.serverMain}`);
  console.log(`[install] Node 24:        ${server.node}`);
  console.log(`[install] Chromium:       ${chromium}`);
  console.log(`[install] ready in ${seconds(Date.now() - started)}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`[install] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
