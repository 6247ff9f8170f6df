// What the user excluded never leaves the machine, checked in a real VS Code where VS Code decides:
// files.exclude and the workspace settings are VS Code's, and so is the scheme of the user's own
// settings.json. Typing in such a file makes no completion request, and the status bar says why.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { KimiSimulator } from '../support/simulator/kimiSimulator';
import type { RecordedRequest } from '../support/simulator/types';
import type { MoonpilotApi } from '../../src/vscode/moonpilotApi';
import type { CompletionDiagnostics } from '../../src/vscode/completion/registerCompletion';
import { fixtureWorkspace, getExtensionApi, waitFor } from './helpers';
import { suiteSimulator, useSimulatorKey } from './simulatorSession';

const partialOf = (r: RecordedRequest): string | undefined => {
  const last = (r.body?.messages as { content: string; partial?: boolean }[] | undefined)?.at(-1);
  return last?.partial === true ? last.content : undefined;
};

describe('exclusions: completion sends nothing from an excluded file', function () {
  this.timeout(90_000);
  let sim: KimiSimulator;
  let completion: CompletionDiagnostics;
  const root = (): vscode.Uri => fixtureWorkspace();
  const write = async (rel: string, text: string): Promise<vscode.Uri> => {
    const uri = vscode.Uri.joinPath(root(), ...rel.split('/'));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    return uri;
  };

  before(async () => {
    sim = await suiteSimulator();
    const api = await getExtensionApi<MoonpilotApi>();
    assert.ok(api.completion);
    completion = api.completion;
    await useSimulatorKey(sim);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('files').update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('moonpilot').update('context.exclude', undefined, vscode.ConfigurationTarget.Workspace);
    for (const rel of ['.moonpilotignore', '.gitignore', 'private', 'hidden', 'build', 'notes']) {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(root(), rel), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    }
  });

  afterEach(async () => {
    sim.reset();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** Opens `uri`, puts the cursor at the end, asks for a completion; resolves with the skip reason once it is `expected`. */
  async function triggerUntilSkipped(uri: vscode.Uri, expected: RegExp): Promise<string> {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    // Not every poll: VS Code cancels a pending provider call when asked again before it starts.
    let asked = 0;
    const skipped = await waitFor(
      async () => {
        if (Date.now() - asked > 1_500) {
          // A keystroke each time: VS Code does not ask again for an unchanged document and
          // position (the first answer may be "waiting for ignore rules to load").
          asked = Date.now();
          await vscode.commands.executeCommand('type', { text: ' ' });
          await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        }
        const last = completion.lastSkipped();
        return last?.uri === uri.toString() && expected.test(last.reason) ? last.reason : undefined;
      },
      20_000,
      `completion skipped in ${uri.path} (${String(expected)})`,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; last skipped: ${JSON.stringify(completion.lastSkipped())}; active: ${vscode.window.activeTextEditor?.document.uri.toString() ?? 'none'}; requests: ${sim.requests.map((r) => JSON.stringify(partialOf(r)?.slice(-30))).join(', ')}`);
    });
    return skipped;
  }

  it('.moonpilotignore, .gitignore, files.exclude and moonpilot.context.exclude: no request, and the status bar says why', async () => {
    await write('.moonpilotignore', 'private/\n');
    await write('.gitignore', 'build/\n');
    await vscode.workspace.getConfiguration('files').update('exclude', { '**/hidden': true }, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('moonpilot').update('context.exclude', ['notes/**'], vscode.ConfigurationTarget.Workspace);
    const cases: [string, RegExp][] = [
      ['private/plan.ts', /^ignored by \.moonpilotignore \(private\/\): never sent$/],
      ['build/out.ts', /^ignored by \.gitignore \(build\/\): never sent$/],
      ['hidden/h.ts', /^excluded by files\.exclude \(\*\*\/hidden\): never sent$/],
      ['notes/n.ts', /^excluded by moonpilot\.context\.exclude \(notes\/\*\*\): never sent$/],
    ];
    for (const [rel, reason] of cases) {
      const marker = `export const excluded_${rel.replace(/\W/g, '_')} = `;
      const uri = await write(rel, marker);
      await triggerUntilSkipped(uri, reason);
      await waitFor(() => completion.status().text.includes('$(eye-closed)'), 10_000, `the status bar to show completion off in ${rel}`);
      assert.match(`${completion.status().excluded ?? ''}: never sent`, reason, 'the status gives the same reason');
      assert.ok(!sim.requests.some((r) => partialOf(r)?.includes(marker)), `no request carried the text of ${rel}`);
    }

    // Control: an ordinary file next to them is completed, and the status bar is back to normal.
    const marker = 'export const included_here = ';
    const ok = await write('src/included.ts', marker);
    const okEditor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(ok), { preview: false });
    const okEnd = okEditor.document.lineAt(0).range.end;
    okEditor.selection = new vscode.Selection(okEnd, okEnd);
    await waitFor(() => !completion.status().text.includes('$(eye-closed)'), 10_000, 'the status bar back to normal');
    let asked = 0;
    await waitFor(
      async () => {
        if (Date.now() - asked > 1_500) {
          asked = Date.now();
          await vscode.commands.executeCommand('type', { text: ' ' });
          await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        }
        return sim.requests.some((r) => partialOf(r)?.includes(marker));
      },
      20_000,
      'the request from the ordinary file',
    );
  });

  it("VS Code's user settings.json (vscode-userdata:, or its User folder where the workbench serves it otherwise) gets no completion", async () => {
    await vscode.commands.executeCommand('workbench.action.openSettingsJson');
    const editor = await waitFor(() => vscode.window.activeTextEditor?.document.uri.path.endsWith('/User/settings.json') && vscode.window.activeTextEditor, 20_000, `the user settings.json editor (active: ${vscode.window.activeTextEditor?.document.uri.toString() ?? 'none'})`);
    const uri = editor.document.uri;
    const reason = await triggerUntilSkipped(uri, /^VS Code's user settings and files/);
    assert.strictEqual(reason, uri.scheme === 'vscode-userdata' ? "VS Code's user settings and files (vscode-userdata: scheme), never sent" : "VS Code's user settings and files (in its User folder), never sent");
    assert.ok(completion.status().text.includes('$(eye-closed)'), 'the status bar says completion is off here');
    const text = editor.document.getText();
    assert.ok(!sim.requests.some((r) => text.length > 0 && partialOf(r) === text), 'no request carried the settings');
  });
});
