// `npm run sandbox`: try Moonpilot in a real VS Code in your browser, with nothing else installed.
//
// Packages moonpilot.vsix, installs it into a fresh VS Code server (code-server's VS Code, from the npm
// registry, cached in .vscode-test/), opens a copy of the sample app test/fixtures/sandbox, and prints
// the URL to open. Without MOONSHOT_API_KEY the local Kimi simulator answers (scripted, free; the status
// bar says "Kimi (simulator)"); with it, Kimi at MOONSHOT_BASE_URL or the default endpoint.
// Ctrl+C stops the server and the simulator and deletes the session's temp folder.
//
//   npm run sandbox -- [--port 8765] [--host 127.0.0.1] [--vsix file.vsix]
import * as fs from 'fs';
import * as path from 'path';
import { packageVsix } from '../launchers/packageCheck';
import { freePort } from '../launchers/processes';
import { seconds } from '../launchers/toolchain';
import { repoRoot } from '../repoRoot';
import { ensureVsCodeServer } from '../launchers/vscodeServerInstall';
import { startVsCodeServer, type RunningServer } from '../launchers/vscodeServerProcess';
import { installVsix, prepareSession } from '../launchers/workbenchSession';
import { startSimulator, type KimiSimulator } from '../simulator/kimiSimulator';
import { installSandboxScript } from './sandboxScript';

const DEFAULT_PORT = 8765;

interface SandboxArgs {
  readonly port?: number;
  readonly host: string;
  readonly vsix?: string;
}

function parseArgs(argv: readonly string[]): SandboxArgs {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const port = value('--port') ?? process.env.SANDBOX_PORT;
  const vsix = value('--vsix');
  return {
    port: port ? Number(port) : undefined,
    host: value('--host') ?? process.env.SANDBOX_HOST ?? '127.0.0.1',
    vsix: vsix ? path.resolve(vsix) : undefined,
  };
}

/** The requested port, else the default when it is free, else any free port. */
async function choosePort(requested: number | undefined): Promise<number> {
  if (requested !== undefined) {
    return requested;
  }
  const net = await import('net');
  const free = await new Promise<boolean>((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(DEFAULT_PORT, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
  return free ? DEFAULT_PORT : freePort();
}

/** The endpoint the extension host gets: the real API when a key is set, else a simulator started here. */
async function chooseEndpoint(): Promise<{ env: NodeJS.ProcessEnv; sim?: KimiSimulator; description: string }> {
  const key = process.env.MOONSHOT_API_KEY?.trim();
  if (key) {
    const baseUrl = process.env.MOONSHOT_BASE_URL?.trim();
    return { env: {}, description: `Kimi at ${baseUrl || 'the default endpoint (https://api.moonshot.ai/v1)'}, with your MOONSHOT_API_KEY` };
  }
  const sim = await startSimulator({
    onResponse: (req) => {
      const how = req.closedByClient ? ' (closed by client)' : '';
      console.log(`[simulator] ${req.method} ${req.path} -> ${req.status ?? '-'}${how}`);
    },
  });
  installSandboxScript(sim);
  return {
    env: { MOONSHOT_BASE_URL: sim.baseUrl, MOONSHOT_API_KEY: sim.apiKey },
    sim,
    description: `the local Kimi simulator at ${sim.baseUrl} (scripted answers; set MOONSHOT_API_KEY to use Kimi)`,
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const args = parseArgs(process.argv.slice(2));
  const vsix = args.vsix ?? (await packageVsix());
  const server = await ensureVsCodeServer();
  const dirs = prepareSession('sandbox', {
    fixture: 'sandbox',
    // VS Code's own AI chat (not signed in here) would otherwise fill the secondary side bar.
    userSettings: { 'chat.disableAIFeatures': true, 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
  });
  await installVsix(server, dirs, vsix);

  let sim: KimiSimulator | undefined;
  let running: RunningServer | undefined;
  let stopping = false;
  const log = fs.createWriteStream(dirs.logFile);
  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      console.log('\n[sandbox] stopping…');
      await running?.stop();
      await sim?.close();
      await new Promise<void>((resolve) => log.end(resolve));
      if (process.env.MOONPILOT_KEEP_TEMP !== '1') {
        fs.rmSync(dirs.root, { recursive: true, force: true });
      }
      console.log('[sandbox] stopped');
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const endpoint = await chooseEndpoint();
  sim = endpoint.sim;
  running = await startVsCodeServer(server, dirs, { env: endpoint.env, host: args.host, port: await choosePort(args.port), log });
  running.process.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[sandbox] the VS Code server exited (${code ?? signal}); see ${path.relative(repoRoot, dirs.logFile)}`);
      void stop(1);
    }
  });
  const url = running.workbenchUrl(dirs.workspace, [
    ['openFile', running.remoteUri(path.join(dirs.workspace, 'src', 'playground.ts'))],
    ['skipReleaseNotes', 'true'],
  ]);
  console.log(
    [
      '',
      `Moonpilot sandbox is ready (${seconds(Date.now() - started)}). Open this URL in your browser:`,
      '',
      `  ${url}`,
      '',
      `  extension  ${path.relative(repoRoot, vsix) || vsix}, installed from the .vsix`,
      `  endpoint   ${endpoint.description}`,
      `  workspace  ${dirs.workspace} (a copy of test/fixtures/sandbox)`,
      `  log        ${path.relative(repoRoot, dirs.logFile)}`,
      ...(args.host === '127.0.0.1' ? [] : ['', `  listening on ${args.host} without a connection token: anyone who can reach this port can use it.`]),
      '',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(`[sandbox] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
