// Inline completion inside a real VS Code against the in-suite Kimi simulator: typing yields the
// scripted continuation as an inline item, the request has the partial-mode shape, a superseded
// request is closed at the server, and a failure shows in the status bar, not as a popup per keystroke.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { KimiSimulator } from '../support/simulator/kimiSimulator';
import type { RecordedRequest } from '../support/simulator/types';
import type { MoonpilotApi } from '../../src/vscode/moonpilotApi';
import type { CompletionDiagnostics } from '../../src/vscode/completion/registerCompletion';
import { fixtureWorkspace, getExtensionApi, waitFor } from './helpers';
import { suiteSimulator, useSimulatorKey } from './simulatorSession';

const FILE = ['import { add } from "./math";', '', 'const answer = ', 'console.log(answer);', '', 'export function twice(n: number): number {', '  return n * 2;', '}', ''].join('\n');

interface WireMessage {
  role: string;
  content: string;
  partial?: boolean;
}

const isCompletionRequest = (r: RecordedRequest): boolean => r.path === '/v1/chat/completions' && (r.body?.messages as WireMessage[] | undefined)?.at(-1)?.partial === true;
const lastMessage = (r: RecordedRequest): WireMessage | undefined => (r.body?.messages as WireMessage[] | undefined)?.at(-1);

describe('inline completion', function () {
  this.timeout(60_000);
  let sim: KimiSimulator;
  let completion: CompletionDiagnostics;
  let api: MoonpilotApi;
  let editor: vscode.TextEditor;

  before(async () => {
    sim = await suiteSimulator();
    api = await getExtensionApi<MoonpilotApi>();
    assert.ok(api.completion, 'the extension exposes completion diagnostics');
    completion = api.completion;
    await useSimulatorKey(sim);
  });

  beforeEach(async () => {
    sim.reset();
    const uri = vscode.Uri.joinPath(fixtureWorkspace(), 'src', 'completionTarget.ts');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(FILE));
    const doc = await vscode.workspace.openTextDocument(uri);
    editor = await vscode.window.showTextDocument(doc);
    if (editor.document.getText() !== FILE) {
      await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), FILE));
    }
    place(2, 'const answer = '.length);
  });

  afterEach(async () => {
    sim.reset();
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  function place(line: number, character: number): void {
    const at = new vscode.Position(line, character);
    editor.selection = new vscode.Selection(at, at);
  }

  async function type(text: string): Promise<void> {
    await vscode.commands.executeCommand('type', { text });
  }

  it('typing yields the simulator continuation as an inline item, from a partial-mode request', async () => {
    sim.script((req) => (lastMessage(req)?.content.endsWith('const answer = a') ? { content: 'dd(40, 2);\nconsole.log("more");\n' } : undefined));
    await type('a');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    const provided = await waitFor(() => (completion.lastProvided()?.text === 'dd(40, 2);' ? completion.lastProvided() : undefined), 20_000, 'the scripted completion as an inline item');
    assert.strictEqual(provided.uri, editor.document.uri.toString());
    assert.deepStrictEqual([provided.line, provided.character], [2, 'const answer = a'.length]);

    const request = sim.requests.find((r) => isCompletionRequest(r) && lastMessage(r)?.content.endsWith('const answer = a'));
    assert.ok(request, 'the completion request reached the simulator');
    const body = request.body as Record<string, unknown>;
    const textBefore = editor.document.getText(new vscode.Range(new vscode.Position(0, 0), new vscode.Position(2, 'const answer = a'.length)));
    assert.deepStrictEqual(lastMessage(request), { role: 'assistant', content: textBefore, partial: true }, 'last: the partial assistant message with exactly the text before the cursor');
    const messages = body.messages as WireMessage[];
    assert.deepStrictEqual(messages.map((m) => m.role), ['system', 'user', 'assistant']);
    assert.ok(messages[1].content.includes('console.log(answer);'), 'the user message carries the text after the cursor');
    assert.deepStrictEqual(body.thinking, { type: 'disabled' });
    assert.strictEqual(body.max_completion_tokens, 64, 'single line: a tight output limit');
    assert.strictEqual(body.model, 'kimi-k2.6', 'the default completion model, served by the 2026 lineup');
    assert.deepStrictEqual(body.stop, ['\n']);
    assert.strictEqual('temperature' in body, false);
    assert.strictEqual(body.stream, true);

    // Typing what was suggested is answered from the cache, without a request (the editor auto-closes
    // the paren: the rest of the suggestion then writes over it).
    const before = sim.requests.length;
    await type('dd(');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    try {
      await waitFor(() => completion.lastProvided()?.text === '40, 2);' && completion.lastProvided()?.source === 'cache', 10_000, 'the rest of the suggestion from the cache');
    } catch (e) {
      throw new Error(`${(e as Error).message}; last item ${JSON.stringify(completion.lastProvided())}, line ${JSON.stringify(editor.document.lineAt(2).text)}`);
    }
    assert.strictEqual(sim.requests.length, before, 'no request for typing-as-suggested');
  });

  it('after `item.` with the suggest list open: ghost text extends the selected item, the list stays usable, and accepting both writes both', async () => {
    // A member list as a language server would give it (the test host has no TypeScript server to rely on).
    const members = vscode.languages.registerCompletionItemProvider(
      { pattern: '**/completionTarget.ts' },
      {
        provideCompletionItems: () =>
          ['length', 'label'].map((name, i) => {
            const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Property);
            item.sortText = String(i);
            return item;
          }),
      },
      '.',
    );
    try {
      sim.script((req) => (isCompletionRequest(req) && lastMessage(req)?.content.endsWith('const answer = item.length') ? { content: ' > 0;' } : undefined));
      await type('item.');
      await vscode.commands.executeCommand('editor.action.triggerSuggest');
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      const provided = await waitFor(() => (completion.lastProvided()?.selectedItem === 'length' ? completion.lastProvided() : undefined), 20_000, 'an item extending the selected `length`');
      assert.strictEqual(provided.text, ' > 0;');
      const request = sim.requests.find((r) => isCompletionRequest(r) && lastMessage(r)?.content.endsWith('const answer = item.length'));
      assert.ok(request, "the request's prefix holds the selected item");
      assert.strictEqual(editor.document.lineAt(2).text, 'const answer = item.', 'nothing written before the user accepts');
      // Tab/Enter with the list open take the selected item, as without Moonpilot...
      await vscode.commands.executeCommand('acceptSelectedSuggestion');
      assert.strictEqual(editor.document.lineAt(2).text, 'const answer = item.length');
      // ...and the rest of the ghost text is still there: the same state, answered from the cache.
      const requests = sim.requests.filter(isCompletionRequest).length;
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await waitFor(() => completion.lastProvided()?.source === 'cache' && completion.lastProvided()?.text === ' > 0;' && completion.lastProvided()?.selectedItem === undefined, 10_000, 'the rest from the cache');
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      await waitFor(() => editor.document.lineAt(2).text === 'const answer = item.length > 0;', 10_000, `Tab takes the ghost text (line: ${JSON.stringify(editor.document.lineAt(2).text)})`);
      assert.strictEqual(sim.requests.filter(isCompletionRequest).length, requests, 'no request for the accepted item');
    } finally {
      members.dispose();
      await vscode.commands.executeCommand('hideSuggestWidget');
    }
  });

  it('after `):` at the start of a line (closing a parameter list), a request is sent', async () => {
    const text = ['export function pair(', '  a: number,', '  b: number,', '', '  return [a, b];', '}', ''].join('\n');
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), text));
    place(3, 0);
    sim.script((req) => (isCompletionRequest(req) ? { content: ' [number, number] {' } : undefined));
    await type('):');
    await vscode.commands.executeCommand('hideSuggestWidget');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    const request = await sim.waitForRequest((r) => isCompletionRequest(r) && lastMessage(r)?.content.endsWith('  b: number,\n):') === true, 20_000);
    assert.ok(request, 'the `):` line was asked for');
  });

  it('the context carries a copy of the file being edited, unchanged while typing in it; a file left after edits shows them', async () => {
    const otherUri = vscode.Uri.joinPath(fixtureWorkspace(), 'src', 'completionOther.ts');
    await vscode.workspace.fs.writeFile(otherUri, new TextEncoder().encode('export const other = 1;\n'));
    const other = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(otherUri), { preview: false });
    editor = await vscode.window.showTextDocument(editor.document, { preview: false });
    // The definitions the file uses (`add` from math.ts) are looked up in the background and a
    // request may go before they are found: wait until Show Context lists them, so both requests
    // below see them.
    await waitFor(
      async () => {
        const view = await vscode.commands.executeCommand<vscode.Uri>('moonpilot.showContext');
        return /\| function add \| src\/math\.ts:1 \|[^\n]*\| yes \|/.test((await vscode.workspace.openTextDocument(view)).getText());
      },
      20_000,
      'the definitions of the file being edited',
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor'); // the context view
    editor = await vscode.window.showTextDocument(editor.document, { preview: false });
    place(2, 'const answer = '.length);
    sim.script((req) => (isCompletionRequest(req) ? { content: 'x;' } : undefined));
    const contextOf = (r: RecordedRequest): string => {
      const user = (r.body?.messages as WireMessage[])[1].content;
      return user.slice(0, user.indexOf('The file being edited is'));
    };
    const requestAfter = async (typed: string, endsWith: string): Promise<RecordedRequest> => {
      await type(typed);
      await vscode.commands.executeCommand('hideSuggestWidget'); // word suggestions would hold completion back
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      try {
        return await sim.waitForRequest((r) => isCompletionRequest(r) && lastMessage(r)?.content.endsWith(endsWith) === true, 20_000);
      } catch (e) {
        const seen = sim.requests.filter(isCompletionRequest).map((r) => JSON.stringify(lastMessage(r)?.content.slice(-30)));
        throw new Error(`${(e as Error).message}: no request ending ${JSON.stringify(endsWith)}; seen ${seen.join(', ')}; skipped ${JSON.stringify(completion.lastSkipped())}`);
      }
    };
    const first = await requestAfter('4', 'const answer = 4');
    const second = await requestAfter('2', 'const answer = 42');
    // The copy is the file as completion last took it: a file this short is shown whole around the
    // cursor too, so an older copy (an earlier test's, even) is kept.
    assert.match(contextOf(first), /const answer = [^\n]*\nconsole\.log\(answer\);\n\nexport function twice/, `the copy of the active file is in the context: ${JSON.stringify(contextOf(first).slice(-600))}`);
    assert.ok(contextOf(first).includes('export const other = 1;'), 'the other open file too');
    assert.strictEqual(contextOf(second), contextOf(first), 'typing in the file did not change the context bytes');
    // Another file: the one left shows its edits there.
    await vscode.window.showTextDocument(other.document, { preview: false, selection: new vscode.Range(1, 0, 1, 0) });
    const third = await requestAfter('7', 'export const other = 1;\n7');
    // In its block, or as a listed change after the files when its copy is kept.
    assert.match(contextOf(third), /const answer = 42\n/, 'the file left is current in the context');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.workspace.fs.delete(otherUri);
  });

  it('closes a superseded request at the server', async () => {
    sim.script((req) => (lastMessage(req)?.content.endsWith('const answer = q') ? { content: 'uestion;', firstByteDelayMs: 20_000 } : undefined));
    sim.script((req) => (isCompletionRequest(req) ? { content: 'n * 3;' } : undefined));
    await type('q');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    const slow = await sim.waitForRequest((r) => isCompletionRequest(r) && lastMessage(r)?.content.endsWith('const answer = q') === true, 20_000);
    // The user moves on: another line, new text. The slow request cannot serve that any more.
    place(6, '  return '.length);
    await type('n');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await sim.waitForClose(slow, 20_000);
    assert.strictEqual(slow.closedByClient, true, 'the client closed the superseded request');
    assert.strictEqual(slow.completed, false);
  });

  it('a failing request shows in the status bar, with one notification, and typing goes on', async () => {
    sim.injectFault({ kind: 'http', status: 401, body: { error: { message: 'Invalid Authentication', type: 'invalid_authentication_error' } } }, { times: 5 });
    const notificationsBefore = api.notifications().length;
    await type('x');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await waitFor(() => completion.status().text.includes('$(warning)'), 20_000, 'the warning in the status bar');
    assert.match(completion.status().lastError ?? '', /API key was rejected/);
    await type('y');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    assert.ok(editor.document.lineAt(2).text.endsWith('xy'), 'typing was not interrupted');
    const shown = api.notifications().slice(notificationsBefore).filter((n) => /completion paused/.test(n.message));
    assert.strictEqual(shown.length, 1, 'told once');
    assert.deepStrictEqual(shown[0].actions.slice(0, 1), ['Set API Key']);
    // A new key resumes completion.
    await vscode.commands.executeCommand('moonpilot.clearApiKey');
    await useSimulatorKey(sim);
    await waitFor(() => !completion.status().text.includes('$(warning)'), 10_000, 'the warning cleared after a new key');
  });

  it('the toggle command turns completion off and on, shown in the status bar', async () => {
    await vscode.commands.executeCommand('moonpilot.toggleCompletion');
    await waitFor(() => completion.status().enabled === false && completion.status().text.includes('$(circle-slash)'), 10_000, 'completion off');
    await vscode.commands.executeCommand('moonpilot.toggleCompletion');
    await waitFor(() => completion.status().enabled === true, 10_000, 'completion on again');
  });
});
