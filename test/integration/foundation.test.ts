// Foundation: the key goes to SecretStorage (not settings), requests reach the endpoint with the
// right Bearer header, and a missing key gives a "Set API Key" notification instead of an error.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { KimiSimulator } from '../support/simulator/kimiSimulator';
import type { ConnectionReport } from '../../src/vscode/commands/apiKeyCommands';
import type { MoonpilotApi } from '../../src/vscode/moonpilotApi';
import { getExtensionApi, waitFor } from './helpers';
import { suiteSimulator, useSimulatorKey } from './simulatorSession';

describe('foundation', () => {
  let sim: KimiSimulator;
  let api: MoonpilotApi;

  before(async () => {
    sim = await suiteSimulator();
    api = await getExtensionApi<MoonpilotApi>();
  });
  afterEach(() => sim.reset());

  it('contributes its commands under the Moonpilot category', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of ['moonpilot.setApiKey', 'moonpilot.clearApiKey', 'moonpilot.testConnection']) {
      assert.ok(all.includes(id), `${id} is registered`);
    }
  });

  it('loads its features apart from activation, and binds every stand-in the shell registered', () => {
    const load = api.lazyLoad();
    assert.ok(load, 'the features have loaded');
    assert.equal(load.error, undefined);
    assert.deepEqual(load.unbound, [], 'every contributed command, the chat view and both providers have their real implementation');
    assert.ok(load.requireMs > 0 && load.activateMs > 0, `timed: ${JSON.stringify(load)}`);
  });

  it('stores the key in SecretStorage, never in settings', async () => {
    await useSimulatorKey(sim);
    const config = vscode.workspace.getConfiguration('moonpilot');
    const serialized = JSON.stringify(
      Object.keys(config)
        .filter((k) => typeof (config as unknown as Record<string, unknown>)[k] !== 'function')
        .map((k) => config.inspect(k)),
    );
    assert.ok(!serialized.includes(sim.apiKey), 'the key is in no moonpilot setting at any level');
    // The environment holds no key in a test run, so a request that carries it proves it came from SecretStorage.
    assert.equal(process.env.MOONSHOT_API_KEY ?? '', '');
    const report = await vscode.commands.executeCommand<ConnectionReport>('moonpilot.testConnection');
    assert.equal(report.ok, true, report.message);
    assert.ok(report.models?.includes('kimi-k2.6'));
    assert.ok(!report.models?.includes('kimi-k2.5'), 'the 2026 lineup');
  });

  it('sends requests to the configured endpoint with the Bearer header', async () => {
    await useSimulatorKey(sim);
    await vscode.commands.executeCommand('moonpilot.testConnection');
    const request = await sim.waitForRequest((r) => r.path === '/v1/models', 5000);
    assert.equal(request.headers.authorization, `Bearer ${sim.apiKey}`);
  });

  it('with no key, shows a notification with a Set API Key action and does not throw', async () => {
    await vscode.commands.executeCommand('moonpilot.clearApiKey');
    const before = api.notifications().length;
    const report = await vscode.commands.executeCommand<ConnectionReport>('moonpilot.testConnection');
    assert.equal(report.ok, false);
    const shown = await waitFor(
      () => api.notifications().slice(before).find((n) => /needs a Kimi API key/.test(n.message)),
      5000,
      'the missing-key notification',
    );
    assert.deepEqual(shown.actions, ['Set API Key']);
    // The status bar re-reads /models whenever the key changes, so a request started while the
    // previous test's key was stored may still land here; none may arrive without that key.
    const keyless = sim.requests.filter((r) => r.headers.authorization !== `Bearer ${sim.apiKey}`);
    assert.deepEqual(keyless.map((r) => `${r.method} ${r.path} ${r.headers.authorization ?? '(no authorization)'}`), [], 'nothing was sent without a key');
    await useSimulatorKey(sim);
  });
});
