// The context builder inside a real VS Code: "Moonpilot: Show Context for Current Editor" lists the
// open fixture files, leaves out a generated `.env` (with the reason) and never shows its canary.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { fixtureWorkspace, getExtension, waitFor } from './helpers';

// Built at run time so no secret-looking file or value is ever committed.
const CANARY = ['MOONPILOT', 'CANARY', Date.now().toString(36)].join('_');

async function write(relative: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(fixtureWorkspace(), relative);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** Runs the command and returns the text of the view it opened. */
async function showContext(): Promise<string> {
  const uri = await vscode.commands.executeCommand<vscode.Uri>('moonpilot.showContext');
  assert.ok(uri, 'moonpilot.showContext returns the view URI');
  assert.equal(uri.scheme, 'moonpilot-context');
  const doc = await vscode.workspace.openTextDocument(uri);
  return doc.getText();
}

describe('context builder', () => {
  const created: vscode.Uri[] = [];

  before(async () => {
    await getExtension().activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of created) {
      await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    }
  });

  it('shows the open files, leaves out .env with the reason, and never shows the canary', async () => {
    const env = await write('.env', `OPENAI_API_KEY=${CANARY}\nDATABASE_URL=postgres://user:${CANARY}@localhost/db\n`);
    created.push(env);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(env), { preview: false });
    const app = vscode.Uri.joinPath(fixtureWorkspace(), 'src', 'app.ts');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(app), { preview: false });
    const math = vscode.Uri.joinPath(fixtureWorkspace(), 'src', 'math.ts');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(math), { preview: false });
    editor.selection = new vscode.Selection(5, 2, 5, 2);

    const text = await waitFor(
      async () => {
        const shown = await showContext();
        return shown.includes('| .env | secret file (.env*) |') && shown.includes('## File: src/app.ts') ? shown : undefined;
      },
      15_000,
      'the context view to list src/app.ts and leave out .env',
    );
    assert.match(text, /^# Moonpilot context: chat for src\/math\.ts/);
    assert.match(text, /\| \d+ \| active file: src\/math\.ts \| \d+ \|/);
    assert.match(text, /\| \d+ \| open file: src\/app\.ts \| \d+ \|/);
    assert.ok(text.includes('## Active file: src/math.ts'), 'the exact active-file block is shown');
    assert.ok(text.includes('export function clamp('), 'the fixture text is shown');
    assert.match(text, /## Around the cursor: src\/math\.ts, line 6, column 3/);
    assert.match(text, /context budget [\d,]+ tokens/);
    assert.ok(!text.includes(CANARY), 'the canary never appears');
  });

  it('leaves out files ignored by .gitignore and .moonpilotignore, with the rule', async () => {
    created.push(await write('.gitignore', 'generated.ts\n'));
    created.push(await write('.moonpilotignore', 'private-notes.md\n'));
    const generated = await write('generated.ts', 'export const generated = true;\n');
    const notes = await write('private-notes.md', `# plans\n${CANARY}\n`);
    created.push(generated, notes);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(generated), { preview: false });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(notes), { preview: false });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(fixtureWorkspace(), 'src', 'math.ts')), { preview: false });

    const text = await waitFor(
      async () => {
        const shown = await showContext();
        return shown.includes('| generated.ts | ignored by .gitignore (generated.ts) |') && shown.includes('| private-notes.md | ignored by .moonpilotignore (private-notes.md) |') ? shown : undefined;
      },
      15_000,
      'the context view to leave out the ignored files',
    );
    assert.ok(!text.includes('export const generated'), 'ignored text is not shown');
    assert.ok(!text.includes(CANARY), 'the canary never appears');
  });
});
