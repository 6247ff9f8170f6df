// The packaged extension, installed from moonpilot.vsix, is the one VS Code runs, ships only its
// allow-listed files, activates, registers its commands and loads its features.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MoonpilotApi } from '../../src/vscode/moonpilotApi';
import { getExtension, waitFor } from '../integration/helpers';

function extensionsDir(): string {
  const dir = process.env.MOONPILOT_TEST_EXTENSIONS_DIR;
  if (!dir) {
    throw new Error('MOONPILOT_TEST_EXTENSIONS_DIR is not set; run this suite with `offline.js --vsix`');
  }
  return fs.realpathSync(dir);
}

describe('installed moonpilot.vsix', () => {
  it('is the installed copy, not a development one', () => {
    const extension = getExtension();
    const installedAt = fs.realpathSync(extension.extensionPath);
    assert.ok(
      installedAt.startsWith(extensionsDir() + path.sep),
      `expected ${installedAt} under ${extensionsDir()}`,
    );
  });

  it('ships the bundle and none of the sources', () => {
    const root = getExtension().extensionPath;
    for (const bundle of ['extension.js', 'features.js', 'openai.js']) {
      assert.ok(fs.existsSync(path.join(root, 'dist', bundle)), `dist/${bundle} is missing`);
    }
    for (const unwanted of ['src', 'out', 'test', 'node_modules', 'tsconfig.json', 'esbuild.mjs']) {
      assert.ok(!fs.existsSync(path.join(root, unwanted)), `${unwanted} should not be in the .vsix`);
    }
  });

  it('activates, registers its commands and loads its features', async () => {
    const extension = getExtension();
    const api = (await extension.activate()) as MoonpilotApi;
    assert.strictEqual(extension.isActive, true);
    await api.ready();
    assert.deepEqual(api.lazyLoad()?.unbound, []);
    await waitFor(
      async () => {
        const commands = await vscode.commands.getCommands(true);
        return commands.includes('moonpilot.setApiKey') && commands.includes('moonpilot.clearApiKey');
      },
      5_000,
      'moonpilot.setApiKey and moonpilot.clearApiKey to be registered',
    );
  });
});
