// Debian packages the offline launcher needs: Chromium to open the workbench in, and the headers
// and compilers code-server's postinstall needs to build VS Code's native modules against Node 24.
// Missing ones are installed with apt when running as root; otherwise the error says what to run.
import * as fs from 'fs';
import * as path from 'path';
import { runCommand } from './processes';
import { seconds } from './toolchain';

/** A Debian package and a file whose presence shows it is installed. */
interface Requirement {
  readonly aptPackage: string;
  readonly provides: string;
  /** Alternatives found on PATH satisfy it too (e.g. a pyenv python3). */
  readonly onPath?: string;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir !== '' && fs.existsSync(path.join(dir, command)));
}

function isMissing(requirement: Requirement): boolean {
  return !fs.existsSync(requirement.provides) && !(requirement.onPath && onPath(requirement.onPath));
}

async function aptInstall(purpose: string, requirements: readonly Requirement[]): Promise<void> {
  const missing = requirements.filter(isMissing);
  if (missing.length === 0) {
    return;
  }
  const packages = [...new Set(missing.map((requirement) => requirement.aptPackage))];
  const command = `apt-get install -y ${packages.join(' ')}`;
  if (process.getuid?.() !== 0) {
    const files = missing.map((requirement) => requirement.provides).join(', ');
    throw new Error(`${purpose} needs ${files}. Install it with \`sudo ${command}\` (Debian/Ubuntu).`);
  }
  const started = Date.now();
  // Wait for a concurrent apt/dpkg run (e.g. a provisioning script) instead of failing on its lock.
  const lockWait = ['-o', 'DPkg::Lock::Timeout=900'];
  console.log(`[setup] ${purpose}: running \`apt-get update && ${command}\``);
  await runCommand('apt-get', [...lockWait, 'update'], {});
  await runCommand('apt-get', [...lockWait, 'install', '-y', ...packages], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const stillMissing = missing.filter(isMissing);
  if (stillMissing.length > 0) {
    throw new Error(`apt-get finished but ${stillMissing.map((r) => r.provides).join(', ')} is still missing`);
  }
  console.log(`[setup] installed ${packages.join(' ')} in ${seconds(Date.now() - started)}`);
}

/** The Chromium executable; `MOONPILOT_CHROMIUM` overrides Debian's `/usr/bin/chromium`. */
export const chromiumPath = process.env.MOONPILOT_CHROMIUM ?? '/usr/bin/chromium';

/** Ensures Chromium is installed (never `npx playwright install`: it downloads from the internet). */
export async function ensureChromium(): Promise<string> {
  if (fs.existsSync(chromiumPath)) {
    return chromiumPath;
  }
  if (chromiumPath !== '/usr/bin/chromium') {
    throw new Error(`MOONPILOT_CHROMIUM points at ${chromiumPath}, which does not exist.`);
  }
  await aptInstall('Opening the VS Code workbench', [{ aptPackage: 'chromium', provides: chromiumPath }]);
  return chromiumPath;
}

/**
 * Ensures what `node-gyp` needs to build VS Code's native modules (node-pty, spdlog, sqlite3,
 * kerberos …): a C/C++ toolchain, python3, pkg-config and the Kerberos GSS-API headers
 * (see code-server's docs/npm.md). Prebuilt binaries cannot be downloaded here (no GitHub access).
 */
export async function ensureNativeBuildTools(): Promise<void> {
  await aptInstall("Building VS Code's native modules", [
    { aptPackage: 'build-essential', provides: '/usr/bin/g++' },
    { aptPackage: 'build-essential', provides: '/usr/bin/make' },
    { aptPackage: 'python3', provides: '/usr/bin/python3', onPath: 'python3' },
    { aptPackage: 'pkg-config', provides: '/usr/bin/pkg-config' },
    { aptPackage: 'libkrb5-dev', provides: '/usr/include/gssapi/gssapi.h' },
  ]);
}
