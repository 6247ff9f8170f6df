/**
 * The extensions the activation benchmark installs besides the packaged moonpilot.vsix: an empty
 * extension (the floor) and, for the front-door question of issue #16, the "direct" variant of
 * Moonpilot: the same production bundles, with `main` a few lines that require dist/features.js
 * and call `activateFeatures()` at activation, registering the real commands, views and providers
 * (no stand-ins, no deferred load; the openai SDK stays apart, loaded by the same warm-up 2 s later).
 * The entry is plain JavaScript written here: it follows `activateFeatures()`'s contract by hand
 * (src/vscode/registrar.ts, `LoadedFeatures` in src/vscode/moonpilotApi.ts). Built in a temporary folder, so the
 * shipped build is untouched.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCommand as runProcess } from '../support/launchers/processes';
import { repoRoot } from '../support/repoRoot';

/** The empty extension's display name, as "Running Extensions" lists it. */
export const EMPTY_NAME = 'Empty extension (floor)';

async function vscePackage(dir: string, out: string): Promise<string> {
  await runProcess(path.join(repoRoot, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--out', out], { cwd: dir, echo: false });
  return out;
}

/** Packages an extension that does nothing, activated like Moonpilot (onStartupFinished). */
export async function packageEmptyExtension(): Promise<string> {
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
  return vscePackage(dir, path.join(dir, 'empty.vsix'));
}

/** The direct variant's entry: the features bundle required and activated at once. */
const DIRECT_ENTRY = `const vscode = require('vscode');
const cpuMs = (since) => { const c = process.cpuUsage(since); return (c.user + c.system) / 1000; };
const requireStarted = performance.now();
const requireCpu = process.cpuUsage();
const features = require('./features.js');
const requireMs = performance.now() - requireStarted;
const requireCpuMs = cpuMs(requireCpu);
exports.activate = function activate(context) {
  const started = performance.now();
  const activateCpu = process.cpuUsage();
  const channel = vscode.window.createOutputChannel('Moonpilot', { log: true });
  context.subscriptions.push(channel);
  const registrar = {
    registerCommand: (id, handler) => vscode.commands.registerCommand(id, handler),
    registerInlineCompletionItemProvider: (provider) => vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider),
    registerWebviewViewProvider: (id, provider) => vscode.window.registerWebviewViewProvider(id, provider),
    registerTextDocumentContentProvider: (scheme, provider) => vscode.workspace.registerTextDocumentContentProvider(scheme, provider),
    registerLanguageModelChatProvider: (vendor, provider) => vscode.lm.registerLanguageModelChatProvider(vendor, provider),
  };
  const loaded = features.activateFeatures(context, { channel, registrar });
  // The warm-up (the context tracker's first scan, the openai SDK) after the shell's idle delay.
  const warmUp = setTimeout(() => loaded.warmUp(), 2000);
  context.subscriptions.push({ dispose: () => clearTimeout(warmUp) });
  const activateMs = performance.now() - started;
  channel.info('[direct] activated in ' + activateMs.toFixed(1) + ' ms (CPU ' + cpuMs(activateCpu).toFixed(1) + ' ms): require dist/features.js ' + requireMs.toFixed(1) + ' ms (CPU ' + requireCpuMs.toFixed(1) + ' ms) before it');
  return { ...loaded.api, ready: async () => undefined, lazyLoad: () => undefined };
};
`;

/**
 * Packages the direct variant from the production bundles `npm run package` just built (call it
 * after packaging moonpilot.vsix): same manifest but `main`, same dist/features.js, dist/openai.js,
 * webview and media.
 */
export async function packageDirectVariant(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'moonpilot-direct-'));
  for (const item of ['dist/features.js', 'dist/openai.js', 'dist/webview', 'media', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    fs.cpSync(path.join(repoRoot, item), path.join(dir, item), { recursive: true });
  }
  fs.writeFileSync(path.join(dir, 'dist', 'direct.js'), DIRECT_ENTRY);
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  delete manifest.scripts; // no vscode:prepublish: the bundles are built already
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...manifest, main: './dist/direct.js' }, null, 2));
  return vscePackage(dir, path.join(dir, 'moonpilot-direct.vsix'));
}
