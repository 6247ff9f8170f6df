// In a real VS Code with workspace trust on and the folder not trusted (Restricted Mode), opened by
// `node out/test/support/launchers/offline.js --restricted` on test/fixtures/untrusted, whose
// .vscode/settings.json sets restricted Moonpilot settings, and with the user's (machine) setting
// moonpilot.baseUrl = http://localhost:PORT/v1: the simulator's port, but not the origin of
// MOONSHOT_BASE_URL (http://127.0.0.1:PORT/v1), so Moonpilot must ask before sending the key there.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { MoonpilotApi } from '../../src/vscode/moonpilotApi';
import { fixtureWorkspace, getExtensionApi, waitFor } from '../integration/helpers';
import { suiteSimulator, useSimulatorKey } from '../integration/simulatorSession';

describe('Restricted Mode', function () {
  this.timeout(60_000);

  it('loads in an untrusted folder, ignores its restricted settings, says so and offers Set API Key', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the launcher opened the folder in Restricted Mode');
    const api = await getExtensionApi<MoonpilotApi>();
    const config = vscode.workspace.getConfiguration('moonpilot');
    assert.notEqual(config.get('completion.model'), 'chosen-by-the-repository', 'a restricted workspace value is ignored');
    assert.equal(config.get<Record<string, unknown>>('prices')?.['kimi-k2.6'], undefined, 'the repository cannot price the user\'s requests');
    assert.notEqual(config.get('context.maxFileBytes'), 100000000);
    assert.deepEqual(config.get('context.exclude'), ['notes/**'], 'a setting that can only send less is honoured');
    const notice = await waitFor(() => api.notifications().find((n) => /Restricted Mode/.test(n.message)), 10_000, 'the Restricted Mode notice');
    assert.match(notice.message, /moonpilot\.completion\.model/);
    assert.match(notice.message, /moonpilot\.prices\b/);
    assert.ok(notice.actions.includes('Set API Key'), `offers Set API Key: ${notice.actions.join(', ')}`);
  });

  it('asks before sending the key to an unapproved origin: completion shows "approve ORIGIN", never blames the key, and its click asks with a modal', async () => {
    const api = await getExtensionApi<MoonpilotApi>();
    const completion = api.completion;
    assert.ok(completion);
    const sim = await suiteSimulator();
    await useSimulatorKey(sim);
    const origin = `http://localhost:${new URL(sim.baseUrl).port}`;
    const uri = vscode.Uri.joinPath(fixtureWorkspace(), 'src', 'typing.ts');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('const answer = \n'));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const at = new vscode.Position(0, 'const answer = '.length);
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('type', { text: 'a' });
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');

    let polls = 0;
    const status = await waitFor(
      async () => {
        if (++polls % 40 === 0) {
          // VS Code asks the provider on a keystroke or a trigger; ask again if the first was lost
          // (Moonpilot asks for nothing while the suggest widget is open).
          await vscode.commands.executeCommand('hideSuggestWidget');
          await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        }
        return completion.status().text.includes('approve') ? completion.status() : undefined;
      },
      20_000,
      'the completion status bar to ask for approval',
    ).catch((error: unknown) => {
      const seen = { status: completion.status(), skipped: completion.lastSkipped(), text: editor.document.getText(), active: vscode.window.activeTextEditor?.document.uri.toString() };
      throw new Error(`${error instanceof Error ? error.message : String(error)}; saw ${JSON.stringify(seen)}`);
    });
    assert.equal(status.text, `$(shield) Kimi: approve ${origin}`);
    const question = api.notifications().find((n) => n.message.includes(`send your API key to ${origin}`));
    assert.ok(question && question.actions.includes('Allow') && !question.modal, 'completion asked once, without interrupting typing');
    const blames = api.notifications().filter((n) => /needs a Kimi API key/.test(n.message));
    assert.deepEqual(blames.map((n) => n.message), [], 'no message blames a missing key: the key is set');
    assert.equal(sim.requests.length, 0, 'nothing was sent before the user answered');

    // The toast may be gone; the status bar's click asks again, as a modal that stays until answered.
    void vscode.commands.executeCommand('moonpilot.approveEndpoint');
    const modal = await waitFor(() => api.notifications().find((n) => n.modal === true && n.message.includes(origin)), 10_000, 'the modal question');
    assert.deepEqual(modal.actions, ['Allow', "Don't Allow"]);
    assert.equal(sim.requests.length, 0);
  });
});

describe('the endpoint question in chat', function () {
  this.timeout(60_000);

  // VS Code refuses dialogs while extension tests run (its DialogService answers a prompt with an
  // error), so here the modal is asked and comes back unanswered at once; the wait for an open
  // modal, and Stop ending that wait, are unit-tested (test/unit/security/endpointApprovals.test.ts).
  it('a chat message asks with a modal; unanswered, the turn says it waits for approval, sends nothing and does not blame the key', async () => {
    const api = await getExtensionApi<MoonpilotApi>();
    const sim = await suiteSimulator();
    await useSimulatorKey(sim);
    const origin = `http://localhost:${new URL(sim.baseUrl).port}`;
    const modalsBefore = api.notifications().filter((n) => n.modal === true && n.message.includes(origin)).length;
    api.chat.newChat();
    const turn = await api.chat.send('Hello MARK-approval', { thinking: false });
    assert.ok(api.notifications().filter((n) => n.modal === true && n.message.includes(origin)).length > modalsBefore, 'the chat asked with a modal');
    assert.equal(turn?.status, 'error');
    assert.equal(turn?.error?.kind, 'endpointNotApproved');
    assert.match(turn?.error?.message ?? '', new RegExp(`approval to send your API key to ${origin.replace(/[.:/]/g, '\\$&')}`));
    assert.ok(!turn?.error?.actions.includes('setApiKey'), 'no Set API Key: the key is set');
    assert.equal(sim.requests.length, 0, 'nothing was sent');
  });
});
