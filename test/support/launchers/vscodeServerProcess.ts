// VS Code's server as an ordinary user runs it (no smoke-test driver, no development extension): the
// extensions come from the session's extensions folder, e.g. the installed moonpilot.vsix. Used by the
// sandbox, the end-to-end tests and the activation benchmark.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import { freePort, killProcessGroup, waitForHttp } from './processes';
import type { VsCodeServer } from './vscodeServerInstall';
import type { SessionDirs } from './workbenchSession';

export interface ServerOptions {
  /** Extra environment for the server and so for the extension host (endpoint, key). */
  readonly env?: NodeJS.ProcessEnv;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default: a free port. */
  readonly port?: number;
  /** Where the server's output goes. */
  readonly log: fs.WriteStream;
}

/** A running VS Code server. */
export interface RunningServer {
  readonly port: number;
  readonly process: ChildProcess;
  /** `http://host:port/` */
  readonly origin: string;
  /** The workbench URL for a folder, with an optional payload (openFile, skipWelcome …). */
  workbenchUrl(folder: string, payload?: ReadonlyArray<readonly [string, string]>): string;
  /** `vscode-remote://` URI of a file on the server (for `openFile` payloads). */
  remoteUri(absolutePath: string): string;
  /** Kills the server and everything it spawned (extension hosts, terminals). */
  stop(): Promise<void>;
}

/** Starts the server and resolves once it answers HTTP. */
export async function startVsCodeServer(server: VsCodeServer, dirs: SessionDirs, options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort());
  const child = spawn(
    server.node,
    [
      server.serverMain,
      '--host', host,
      '--port', String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--user-data-dir', dirs.userData,
      '--server-data-dir', dirs.serverData,
      '--extensions-dir', dirs.extensions,
      '--disable-telemetry',
    ],
    { cwd: dirs.root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
  );
  child.stdout?.on('data', (chunk: Buffer) => options.log.write(`[server] ${chunk.toString()}`));
  child.stderr?.on('data', (chunk: Buffer) => options.log.write(`[server:err] ${chunk.toString()}`));
  const origin = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const running: RunningServer = {
    port,
    process: child,
    origin,
    remoteUri: (absolutePath) => `vscode-remote://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}${absolutePath}`,
    workbenchUrl: (folder, payload) =>
      `${origin}/?folder=${encodeURIComponent(folder)}` + (payload && payload.length > 0 ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''),
    stop: () => killProcessGroup(child),
  };
  try {
    await waitForHttp(`${origin}/`, 60_000, child);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}
