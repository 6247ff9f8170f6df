// Child-process and network helpers shared by the launchers.
import { ChildProcess, spawn, SpawnOptions } from 'child_process';
import * as http from 'http';
import * as net from 'net';

/** Output of a finished command. */
export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to completion and rejects on a non-zero exit. With `echo`, its output is
 * streamed to this process's stdout/stderr as well as captured.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { echo?: boolean } = {},
): Promise<CommandOutput> {
  const { echo = true, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (echo) {
        process.stdout.write(chunk);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (echo) {
        process.stderr.write(chunk);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolve({ stdout, stderr });
      } else {
        const tail = stderr.trim().split('\n').slice(-15).join('\n');
        reject(new Error(`\`${command} ${args.join(' ')}\` exited with ${code ?? signal}\n${tail}`));
      }
    });
  });
}

/**
 * Kills a process started with `detached: true` together with everything it spawned (its process
 * group), and waits up to 5 s for it to be gone.
 */
export async function killProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    setTimeout(resolve, 5000).unref();
  });
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
  await exited;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function httpStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.setTimeout(2000, () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

/** Polls `url` until it answers with a non-5xx status, the process dies, or `timeoutMs` passes. */
export async function waitForHttp(url: string, timeoutMs: number, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`server exited (${server.exitCode ?? server.signalCode}) before answering ${url}`);
    }
    const status = await httpStatus(url);
    if (status !== undefined && status < 500) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${url}`);
}
