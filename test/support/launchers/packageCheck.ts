// Packages the extension with `npm run package` (production bundle + `vsce package`) and fails on any
// warning vsce prints, so the .vsix users install is the one the packaging test installs.
// Run directly: `node out/test/support/launchers/packageCheck.js`.
import * as fs from 'fs';
import * as path from 'path';
import { runCommand } from './processes';
import { seconds } from './toolchain';
import { repoRoot } from '../repoRoot';

/** The file `npm run package` writes. */
export const vsixFile = path.join(repoRoot, 'moonpilot.vsix');

// npm's own notices about the machine's npm configuration, not about the package.
const npmConfigNotice = /^npm warn (Unknown|Deprecated) (user|env|global|project|builtin|cli) config/i;

/** Lines of `npm run package` output that are warnings (ANSI colours stripped). */
export function packagingWarnings(output: string): string[] {
  return output
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /\bwarn(ing)?\b/i.test(line) && !npmConfigNotice.test(line));
}

/** Builds `moonpilot.vsix`; rejects when packaging fails or prints a warning. */
export async function packageVsix(): Promise<string> {
  const started = Date.now();
  console.log('[package] npm run package');
  fs.rmSync(vsixFile, { force: true });
  const { stdout, stderr } = await runCommand('npm', ['run', 'package'], { cwd: repoRoot, echo: false });
  const warnings = packagingWarnings(`${stdout}\n${stderr}`);
  if (warnings.length > 0) {
    throw new Error(`vsce package printed warnings:\n  ${warnings.join('\n  ')}`);
  }
  if (!fs.existsSync(vsixFile)) {
    throw new Error(`npm run package succeeded but ${vsixFile} is missing:\n${stdout}`);
  }
  const kib = fs.statSync(vsixFile).size / 1024;
  const files = /Packaged: .*\((\d+) files?/.exec(stdout)?.[1] ?? '?';
  console.log(`[package] ${path.basename(vsixFile)}: ${kib.toFixed(1)} KiB, ${files} files, no warnings (${seconds(Date.now() - started)})`);
  return vsixFile;
}

if (require.main === module) {
  packageVsix().catch((error: unknown) => {
    console.error(`[package] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
