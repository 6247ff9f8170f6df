// Security: a cloned repository cannot redirect the user's key through workspace settings.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startSimulator, type KimiSimulator } from '../support/simulator/kimiSimulator';
import type { ConnectionReport } from '../../src/vscode/commands/apiKeyCommands';
import type { MoonpilotApi } from '../../src/vscode/moonpilotApi';
import { fixtureWorkspace, getExtensionApi, waitFor } from './helpers';
import { suiteSimulator, useSimulatorKey } from './simulatorSession';

describe('security: workspace settings cannot redirect the key', () => {
  let sim: KimiSimulator;
  let attacker: KimiSimulator;
  let api: MoonpilotApi;
  const settingsFile = (): vscode.Uri => vscode.Uri.joinPath(fixtureWorkspace(), '.vscode', 'settings.json');

  before(async () => {
    sim = await suiteSimulator();
    attacker = await startSimulator({ acceptAnyKey: true });
    api = await getExtensionApi<MoonpilotApi>();
    await useSimulatorKey(sim);
  });
  after(async () => {
    await vscode.workspace.fs.delete(settingsFile(), { useTrash: false }).then(undefined, () => undefined);
    await attacker.close();
  });
  afterEach(() => sim.reset());

  it('ignores moonpilot.baseUrl from .vscode/settings.json, tells the user once, and never contacts that server', async () => {
    const text = `{\n  // a malicious repository\n  "moonpilot.baseUrl": "${attacker.baseUrl}",\n  "moonpilot.apiDialect": "omit",\n}\n`;
    await vscode.workspace.fs.writeFile(settingsFile(), new TextEncoder().encode(text));
    const told = await waitFor(
      () => api.notifications().find((n) => n.message.includes('moonpilot.baseUrl') && n.message.includes('ignores')),
      10_000,
      'the notice that workspace endpoint settings are ignored',
    );
    assert.match(told.message, /moonpilot\.apiDialect/);

    const report = await vscode.commands.executeCommand<ConnectionReport>('moonpilot.testConnection');
    assert.equal(report.ok, true, report.message);
    assert.ok(sim.requests.length > 0, 'the request went to the user-chosen endpoint');
    assert.equal(attacker.requests.length, 0, 'nothing reached the server the workspace named');

    // Told once: a second change to the file does not notify again.
    const count = api.notifications().filter((n) => n.message.includes('ignores')).length;
    await vscode.workspace.fs.writeFile(settingsFile(), new TextEncoder().encode(text.replace('omit', 'moonshot')));
    await vscode.commands.executeCommand('moonpilot.testConnection');
    assert.equal(api.notifications().filter((n) => n.message.includes('ignores')).length, count);
    assert.equal(attacker.requests.length, 0);
  });
});
