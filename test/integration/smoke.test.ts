// First integration test: the suite runs inside a real VS Code, in the fixture workspace, and the
// extension activates there.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { fixtureWorkspace, getExtension, waitFor } from './helpers';

describe('smoke', () => {
  it('runs inside a real VS Code', () => {
    const remote = vscode.env.remoteName ?? 'none';
    console.log(`vscode.version ${vscode.version} (${vscode.env.appName}, appHost ${vscode.env.appHost}, remote ${remote})`);
    assert.match(vscode.version, /^1\.\d+\.\d+(-insider)?$/);
  });

  it('opens the fixture workspace', async () => {
    const files = await vscode.workspace.findFiles('src/*.ts');
    const names = files.map((file) => file.path.split('/').pop());
    assert.ok(names.includes('app.ts') && names.includes('math.ts'), `found ${names.join(', ')}`);
    assert.ok(files.every((file) => file.path.startsWith(fixtureWorkspace().path)));
  });

  it('activates moonpilot and registers its commands', async () => {
    const extension = getExtension();
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
    // getCommands lists commands with a registered handler, not just the ones package.json contributes.
    await waitFor(
      async () => {
        const all = await vscode.commands.getCommands(true);
        return all.includes('moonpilot.setApiKey') && all.includes('moonpilot.clearApiKey');
      },
      5_000,
      'moonpilot.setApiKey and moonpilot.clearApiKey to be registered',
    );
  });
});
