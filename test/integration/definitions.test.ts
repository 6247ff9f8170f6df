// Definitions in the real VS Code: with only the file being edited open, the declaration of a
// function it imports from a file that was never opened reaches the simulator's completion
// request, and Show Context lists it with where it came from.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { KimiSimulator } from '../support/simulator/kimiSimulator';
import type { RecordedRequest } from '../support/simulator/types';
import { fixtureWorkspace, getExtensionApi, waitFor } from './helpers';
import { suiteSimulator, useSimulatorKey } from './simulatorSession';

const HELPER = [
  '/** Formats a price in the shop currency. */',
  'export function formatUnopenedPrice(cents: number, currency: string): string {',
  '  return `${(cents / 100).toFixed(2)} ${currency}`;',
  '}',
  '',
].join('\n');
const TARGET = ['import { formatUnopenedPrice } from "./definitionsHelper";', '', 'const total = 1250;', 'const label = ', 'console.log(label);', ''].join('\n');

interface WireMessage {
  role: string;
  content: string;
  partial?: boolean;
}

const messagesOf = (r: RecordedRequest): WireMessage[] => (r.body?.messages as WireMessage[] | undefined) ?? [];
const isCompletion = (r: RecordedRequest): boolean => r.path === '/v1/chat/completions' && messagesOf(r).at(-1)?.partial === true;

describe('definitions from unopened files', function () {
  this.timeout(90_000);
  let sim: KimiSimulator;
  const created: vscode.Uri[] = [];

  before(async () => {
    sim = await suiteSimulator();
    await getExtensionApi();
    await useSimulatorKey(sim);
  });

  after(async () => {
    sim.reset();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of created) {
      await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    }
  });

  it('a definition from an unopened file reaches the completion request and Show Context', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    sim.reset();
    const helper = vscode.Uri.joinPath(fixtureWorkspace(), 'src', 'definitionsHelper.ts');
    const target = vscode.Uri.joinPath(fixtureWorkspace(), 'src', 'definitionsTarget.ts');
    created.push(helper, target);
    await vscode.workspace.fs.writeFile(helper, new TextEncoder().encode(HELPER));
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(TARGET));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target), { preview: false });
    const at = new vscode.Position(3, 'const label = '.length);
    editor.selection = new vscode.Selection(at, at);
    sim.script((req) => (isCompletion(req) ? { content: 'x;' } : undefined));
    assert.ok(!vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === helper.toString())), 'the helper file is not open');

    // The first requests may go without the definitions (they are looked up in the background);
    // every 1.5 s one more character is typed so a new request goes out.
    let typedAt = 0;
    const request = await waitFor(
      async () => {
        const found = sim.requests.find((r) => isCompletion(r) && messagesOf(r)[1]?.content.includes('export function formatUnopenedPrice(cents: number, currency: string): string'));
        if (!found && Date.now() - typedAt > 1_500) {
          typedAt = Date.now();
          await vscode.commands.executeCommand('type', { text: 'f' });
          await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        }
        return found;
      },
      60_000,
      'a completion request carrying the helper declaration',
    );
    const user = messagesOf(request)[1].content;
    assert.match(user, /## Definitions the code being edited uses/);
    assert.match(user, /### src\/definitionsHelper\.ts, line 1: function formatUnopenedPrice\n```typescript\n\/\*\* Formats a price in the shop currency\. \*\/\n/);
    assert.ok(!user.includes('## File: src/definitionsHelper.ts'), 'the helper is sent as a declaration, not as an open file');

    // Show Context is for the active editor. Its view is one virtual document: VS Code applies new
    // content asynchronously after the provider says it changed, so an earlier test's view can be
    // read first; ask again until the view is about this file (as context.test.ts does).
    await vscode.window.showTextDocument(editor.document, { preview: false });
    const view = await waitFor(
      async () => {
        const viewUri = await vscode.commands.executeCommand<vscode.Uri>('moonpilot.showContext');
        const text = (await vscode.workspace.openTextDocument(viewUri)).getText();
        return text.startsWith('# Moonpilot context: chat for src/definitionsTarget.ts') ? text : undefined;
      },
      15_000,
      'the context view for src/definitionsTarget.ts',
    );
    const row = /\| function formatUnopenedPrice \| src\/definitionsHelper\.ts:1 \| (language server|import graph) \| [^|]+ \| \d+ \| yes \|/.exec(view);
    assert.ok(row, `Show Context lists the definition:\n${view.slice(0, 3000)}`);
    console.log(`    (definition found by the ${row[1]})`);
  });
});
