// The fault matrix of issue 7 in a real VS Code: each failure injected into the simulator reaches
// the chat as an inline error with the right actions (the user's text and any streamed part kept,
// retries bounded) and the mockup command as a notification with the right actions (streamed code
// kept, marked incomplete). Context too long shrinks and retries once in both. When the endpoint
// goes away, completion pauses quietly (status bar) and resumes by itself when it is back, and chat
// offers Retry, which then works. DNS failure is left to the core matrix: pointing the extension at
// another host needs the user's permission (a notification a test cannot answer).
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { TurnView } from '../../src/core/chat/protocol';
import type { MockupResult } from '../../src/vscode/mockup/mockupCommand';
import type { MoonpilotApi } from '../../src/vscode/moonpilotApi';
import type { CompletionDiagnostics } from '../../src/vscode/completion/registerCompletion';
import { FAULT_CASES, type FaultCase } from '../support/simulator/faultCatalog';
import type { KimiSimulator } from '../support/simulator/kimiSimulator';
import type { RecordedRequest } from '../support/simulator/types';
import { makePng } from '../support/tools/mockupFixtures';
import { FAULT_MESSAGES, INTERACTIVE_EXPECTATIONS } from '../unit/kimi/faultExpectations';
import { fixtureWorkspace, getExtensionApi, openChatView, waitFor } from './helpers';
import { suiteSimulator, useSimulatorKey } from './simulatorSession';

const CHAT_ANSWER = 'The answer is forty-two, because six times seven is forty-two, as anyone can check.';
const HTML = ['<!DOCTYPE html>', '<html lang="en">', '<head><title>Plans</title></head>', '<body>', '  <h1>Plans</h1>', '  <p>Free, Pro, Team</p>', '</body>', '</html>', ''].join('\n');
const MOCKUP_ANSWER = `\`\`\`html\n${HTML}\`\`\``;
/** The extension's shortest request timeout (the setting's minimum); the silence is longer. */
const TIMEOUT_SECONDS = 5;
const SILENCE = { silentMs: 8_000 };

const chatRequests = (sim: KimiSimulator): RecordedRequest[] => sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');
/** Cases injected into the simulator; refused and DNS have their own tests (see the header). */
const INJECTED = FAULT_CASES.filter((c) => c.endpoint === 'simulator' && c.name !== '400 context too long');

describe('resilience: every failure handled, nothing lost', function () {
  this.timeout(120_000);
  let sim: KimiSimulator;
  let api: MoonpilotApi;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('moonpilot');

  before(async () => {
    sim = await suiteSimulator();
    api = await getExtensionApi<MoonpilotApi>();
    await useSimulatorKey(sim);
    await openChatView(api);
  });
  afterEach(() => sim.reset());

  /** Runs `body` with the shortest request timeout when the case needs one. */
  async function withTimeoutFor<T>(c: FaultCase, body: () => Promise<T>): Promise<T> {
    if (c.name !== 'no bytes for too long' && c.name !== 'stall mid-stream') {
      return body();
    }
    await config().update('requestTimeoutSeconds', TIMEOUT_SECONDS, vscode.ConfigurationTarget.Global);
    try {
      return await body();
    } finally {
      await config().update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  }

  describe('chat shows each failure inline, keeps the text, and retries only within bounds', () => {
    for (const c of INJECTED) {
      const expected = INTERACTIVE_EXPECTATIONS[c.name];
      it(`chat: ${c.name} → ${expected.kind}, [${expected.actions.join(', ')}], ${expected.attempts} attempt(s)`, async () => {
        api.chat.newChat();
        sim.reply({ content: CHAT_ANSWER, chunkSize: 4, chunkDelayMs: 15 });
        c.inject(sim, 10, SILENCE);
        const text = `Resilience check: ${c.name}`;
        const turn = (await withTimeoutFor(c, () => api.chat.send(text, { thinking: false }))) as TurnView;
        assert.equal(turn.status, 'error', `turn ended ${turn.status}: ${turn.answer}`);
        assert.equal(turn.error?.kind, expected.kind);
        assert.deepEqual(turn.error?.actions, expected.actions);
        // A 404 names the model, its setting and what /models offers instead (one message, with the switch).
        const message = c.name === '404 unknown model' ? /answers 404 \(model not found\) for "kimi-k2\.6", so chat cannot use it \(moonpilot\.chat\.model\)\. Kimi K3 \("kimi-k3"\) replaces it\./ : FAULT_MESSAGES[c.name];
        assert.match(turn.error?.message ?? '', message);
        assert.equal(turn.userText, text, "the user's text stays in the turn (Retry resends it)");
        if (c.midStream) {
          assert.ok(turn.answer.length > 0 && CHAT_ANSWER.startsWith(turn.answer) && turn.answer.length < CHAT_ANSWER.length, `the streamed part is kept: ${JSON.stringify(turn.answer)}`);
        } else {
          assert.equal(turn.answer, '');
        }
        if (expected.kind === 'rateLimit') {
          assert.ok(turn.error?.retryAt !== undefined, 'Retry waits as long as Kimi asked');
        }
        assert.equal(chatRequests(sim).length, expected.attempts, 'HTTP attempts (1 + automatic retries)');
        assert.deepEqual(api.chat.transcript().at(-1)?.error, turn.error, 'the view was given the same error');
      });
    }

    it('chat: context too long leaves out the oldest turns and retries once', async () => {
      api.chat.newChat();
      sim.onMarker('LONG-ONE', { content: 'alpha '.repeat(8_000) });
      sim.onMarker('LONG-TWO', { content: 'bravo '.repeat(8_000) });
      assert.equal(((await api.chat.send('LONG-ONE tell me a lot', { thinking: false })) as TurnView).status, 'done');
      assert.equal(((await api.chat.send('LONG-TWO and more', { thinking: false })) as TurnView).status, 'done');
      sim.reset();
      sim.injectFault({ kind: 'http', status: 400, body: { error: { message: 'Your request exceeded model token limit : 262144', type: 'invalid_request_error' } } });
      sim.reply({ content: 'Short answer.' });
      const turn = (await api.chat.send('A third question', { thinking: false })) as TurnView;
      assert.equal(turn.status, 'done', JSON.stringify(turn.error));
      assert.equal(turn.answer, 'Short answer.');
      const [rejected, retried] = chatRequests(sim);
      assert.equal(chatRequests(sim).length, 2, 'one retry');
      assert.ok(rejected.rawBody.includes('alpha alpha'), 'the first attempt carried the oldest turn');
      assert.ok(!retried.rawBody.includes('alpha alpha'), 'the retry left the oldest turn out');
      assert.ok(retried.rawBody.includes('A third question'), 'and still asked the question');
      assert.match(turn.notice ?? '', /earlier turn\(s\).* left out/);

      sim.reset();
      sim.injectFault({ kind: 'http', status: 400, body: { error: { message: 'Input token length too long', type: 'invalid_request_error' } } }, { times: 5 });
      const again = (await api.chat.send('A fourth question', { thinking: false })) as TurnView;
      assert.equal(again.status, 'error');
      assert.equal(again.error?.kind, 'contextTooLong');
      assert.equal(chatRequests(sim).length, 2, 'retried once only');
    });
  });

  describe('mockup tells each failure with the right actions and keeps streamed code', () => {
    let image: vscode.Uri;
    before(async () => {
      image = vscode.Uri.joinPath(fixtureWorkspace(), 'mockups', 'resilience.png');
      await vscode.workspace.fs.writeFile(image, makePng(320, 200));
    });
    const run = async (): Promise<MockupResult> => vscode.commands.executeCommand<MockupResult>('moonpilot.mockupToCode', image, { target: 'html', instruction: '' });

    for (const c of INJECTED) {
      const expected = INTERACTIVE_EXPECTATIONS[c.name];
      const actions = expected.kind === 'auth' ? ['Set API Key', 'Retry'] : expected.kind === 'contentFilter' ? [] : ['Retry'];
      it(`mockup: ${c.name} → ${c.midStream ? 'incomplete, code kept' : 'failed'}, [${actions.join(', ')}]`, async () => {
        sim.reply({ content: MOCKUP_ANSWER, chunkSize: 24, chunkDelayMs: 30 });
        c.inject(sim, 10, SILENCE);
        const result = await withTimeoutFor(c, () => run());
        assert.equal(result.status, c.midStream ? 'incomplete' : 'failed', result.message);
        assert.equal(result.errorKind, expected.kind);
        const told = api.notifications().at(-1);
        if (c.name === '404 unknown model') {
          // One message for every feature: the model, its setting, what replaces it, the one-click switch.
          assert.equal(told?.severity, 'warning');
          assert.match(told?.message ?? '', /answers 404 \(model not found\) for "kimi-k2\.6", so mockup → code cannot use it \(moonpilot\.vision\.model\)\. Kimi K3 \("kimi-k3"\) replaces it\./);
          assert.deepEqual(told?.actions, ['Use kimi-k3', 'Open Settings']);
        } else {
          assert.equal(told?.severity, 'error');
          assert.match(told?.message ?? '', FAULT_MESSAGES[c.name]);
          assert.deepEqual(told?.actions, actions);
        }
        assert.equal(chatRequests(sim).length, expected.attempts, 'HTTP attempts (1 + automatic retries)');
        if (c.midStream) {
          const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.document?.toString());
          const [marker, ...code] = (doc?.getText() ?? '').split('\n');
          assert.match(marker, /Moonpilot: INCOMPLETE/);
          const kept = code.join('\n');
          assert.ok(kept.length > 0 && HTML.startsWith(kept), `the streamed code is kept: ${JSON.stringify(kept)}`);
        } else {
          assert.equal(result.document, undefined, 'no editor for an answer that never started');
        }
      });
    }

    it('mockup: context too long retries once with the image at half its size', async () => {
      sim.injectFault({ kind: 'http', status: 400, body: { error: { message: 'Your request exceeded model token limit : 262144', type: 'invalid_request_error' } } });
      sim.reply({ content: MOCKUP_ANSWER });
      const result = await run();
      assert.equal(result.status, 'done', result.message);
      const [first, second] = chatRequests(sim);
      assert.equal(chatRequests(sim).length, 2);
      assert.ok(second.rawBody.length < first.rawBody.length, 'the retry sent a smaller image');
      assert.deepEqual([result.image?.width, result.image?.height], [160, 100]);

      sim.reset();
      sim.injectFault({ kind: 'http', status: 400, body: { error: { message: 'Input token length too long', type: 'invalid_request_error' } } }, { times: 5 });
      const again = await run();
      assert.equal(again.status, 'failed');
      assert.equal(again.errorKind, 'contextTooLong');
      assert.equal(chatRequests(sim).length, 2, 'retried once only');
    });
  });

  describe('offline and recovery', () => {
    let completion: CompletionDiagnostics;
    let editor: vscode.TextEditor;
    before(async () => {
      assert.ok(api.completion, 'the extension exposes completion diagnostics');
      completion = api.completion;
      const uri = vscode.Uri.joinPath(fixtureWorkspace(), 'src', 'resilienceTarget.ts');
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('const total = \n'));
      editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    });
    after(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));

    it('endpoint down: completion pauses quietly and resumes by itself, chat and mockup offer Retry, chat Retry works once it is back', async () => {
      const port = sim.port;
      sim.reply({ content: 'Value' });
      const told = api.notifications().length;
      let failedId = '';
      await sim.close(); // Connection refused from now on, at the address the extension uses.
      try {
        await editor.edit((e) => e.insert(new vscode.Position(0, 'const total = '.length), 'a'));
        editor.selection = new vscode.Selection(0, 'const total = a'.length, 0, 'const total = a'.length);
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        await waitFor(() => completion.status().pause?.reason === 'offline', 20_000, 'completion to pause as offline');
        assert.match(completion.status().text, /\$\(debug-disconnect\)/, 'the status bar says so');
        assert.match(completion.status().lastError ?? '', FAULT_MESSAGES['connection refused']);

        api.chat.newChat();
        const text = 'Are you there?';
        const failed = (await api.chat.send(text, { thinking: false })) as TurnView;
        assert.equal(failed.status, 'error');
        assert.equal(failed.error?.kind, 'network');
        assert.deepEqual(failed.error?.actions, ['retry']);
        assert.equal(failed.userText, text);
        failedId = failed.id;
        assert.equal(api.notifications().slice(told).length, 0, 'no popup: the status bar and the chat say it');

        const image = vscode.Uri.joinPath(fixtureWorkspace(), 'mockups', 'offline.png');
        await vscode.workspace.fs.writeFile(image, makePng(64, 48));
        const mockup = await vscode.commands.executeCommand<MockupResult>('moonpilot.mockupToCode', image, { target: 'html', instruction: '' });
        assert.equal(mockup.status, 'failed');
        assert.equal(mockup.errorKind, 'network');
        assert.match(api.notifications().at(-1)?.message ?? '', FAULT_MESSAGES['connection refused']);
        assert.deepEqual(api.notifications().at(-1)?.actions, ['Retry']);
      } finally {
        await sim.listen(port);
      }

      // Back: completion comes back by itself as the user types on (no command, no settings change).
      await vscode.window.showTextDocument(editor.document);
      let typedAt = 0;
      await waitFor(
        async () => {
          if (Date.now() - typedAt >= 300) {
            typedAt = Date.now();
            await vscode.commands.executeCommand('type', { text: 'b' });
            await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
          }
          return completion.lastProvided()?.text === 'Value' && completion.status().pause === undefined;
        },
        30_000,
        'completion to resume by itself once the endpoint is back',
      ).catch((e: Error) => {
        throw new Error(`${e.message}; last item ${JSON.stringify(completion.lastProvided())}, status ${JSON.stringify(completion.status())}, ${chatRequests(sim).length} requests since`);
      });
      assert.match(completion.status().text, /\$\(sparkle\)/);
      const retried = (await api.chat.retry(failedId)) as TurnView;
      assert.equal(retried.status, 'done');
      assert.equal(retried.answer, 'Value');
      assert.equal(retried.userText, 'Are you there?');
    });
  });
});
