// Editor oddities (issue 7) in a real VS Code against the suite's Kimi simulator: inline completion
// and "Show Context" on a 50 MB file, a binary file, a 5 MB one-line minified file, non-UTF-8 text, a
// notebook cell, an untitled document, a file outside every workspace folder, and read-only and
// virtual file systems. Each either skips (and says why) or degrades to a bounded request, and
// nothing throws. Big files are generated here at run time, never committed.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { KimiSimulator } from '../support/simulator/kimiSimulator';
import type { RecordedRequest } from '../support/simulator/types';
import type { MoonpilotApi } from '../../src/vscode/moonpilotApi';
import type { CompletionDiagnostics } from '../../src/vscode/completion/registerCompletion';
import { PREFIX_WINDOW_CHARS, PREFIX_WINDOW_STEP, SUFFIX_WINDOW_CHARS } from '../../src/core/completion/completionWindow';
import { fixtureWorkspace, getExtensionApi, waitFor } from './helpers';
import { suiteSimulator, useSimulatorKey } from './simulatorSession';

interface WireMessage {
  role: string;
  content: string;
  partial?: boolean;
}

const messagesOf = (r: RecordedRequest): WireMessage[] => (r.body?.messages as WireMessage[] | undefined) ?? [];
const partialOf = (r: RecordedRequest): string | undefined => {
  const last = messagesOf(r).at(-1);
  return r.path === '/v1/chat/completions' && last?.partial === true ? last.content : undefined;
};

/** An in-memory file system for the virtual-scheme cases (read-only or not, as registered). */
class MemoryFs implements vscode.FileSystemProvider {
  private readonly files = new Map<string, Uint8Array>();
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;

  seed(uri: vscode.Uri, text: string): void {
    this.files.set(uri.path, new TextEncoder().encode(text));
  }
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  stat(uri: vscode.Uri): vscode.FileStat {
    const file = this.files.get(uri.path);
    if (file) {
      return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: file.byteLength };
    }
    if ([...this.files.keys()].some((p) => p.startsWith(`${uri.path.replace(/\/$/, '')}/`))) {
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    }
    throw vscode.FileSystemError.FileNotFound(uri);
  }
  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(): void {}
  readFile(uri: vscode.Uri): Uint8Array {
    const file = this.files.get(uri.path);
    if (!file) {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    return file;
  }
  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    this.files.set(uri.path, content);
  }
  delete(uri: vscode.Uri): void {
    this.files.delete(uri.path);
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('rename');
  }
}

describe('editor oddities', function () {
  this.timeout(120_000);
  let sim: KimiSimulator;
  let completion: CompletionDiagnostics;
  const created: string[] = [];
  const disposables: vscode.Disposable[] = [];

  before(async () => {
    sim = await suiteSimulator();
    const api = await getExtensionApi<MoonpilotApi>();
    assert.ok(api.completion, 'the extension exposes completion diagnostics');
    completion = api.completion;
    await useSimulatorKey(sim);
  });

  beforeEach(() => {
    sim.reset();
  });

  afterEach(async () => {
    sim.reset();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    for (const d of disposables) {
      d.dispose();
    }
    for (const file of created) {
      fs.rmSync(file, { force: true, recursive: true });
    }
  });

  /** Writes a generated file into the fixture workspace (removed after the suite). */
  function generate(relative: string, content: string | Uint8Array): vscode.Uri {
    const file = path.join(fixtureWorkspace().fsPath, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    created.push(file);
    return vscode.Uri.file(file);
  }

  async function show(doc: vscode.TextDocument, at?: vscode.Position): Promise<vscode.TextEditor> {
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const end = at ?? doc.lineAt(doc.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    return editor;
  }

  async function trigger(): Promise<void> {
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  }

  /** The completion request whose text before the cursor satisfies `pred`. */
  function completionRequest(pred: (partial: string) => boolean, what: string): Promise<RecordedRequest> {
    return sim.waitForRequest((r) => {
      const partial = partialOf(r);
      return partial !== undefined && pred(partial);
    }, 30_000).catch((e: Error) => {
      throw new Error(`${e.message}: ${what}; saw ${sim.requests.map((r) => `${r.path} ${JSON.stringify(partialOf(r)?.slice(-40))}`).join(', ')}; last skipped ${JSON.stringify(completion.lastSkipped())}`);
    });
  }

  /** Runs "Show Context" until its text satisfies `pred`; returns the text. */
  async function showContextUntil(pred: (text: string) => boolean, what: string): Promise<string> {
    let last = '';
    try {
      return await waitFor(
        async () => {
          const uri = await vscode.commands.executeCommand<vscode.Uri>('moonpilot.showContext');
          last = (await vscode.workspace.openTextDocument(uri)).getText();
          return pred(last) ? last : undefined;
        },
        20_000,
        what,
      );
    } catch (e) {
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => `${t.label} (${t.input?.constructor.name ?? 'no input'})`));
      throw new Error(`${(e as Error).message}; tabs: ${tabs.join(', ')}\n--- last context view ---\n${last.slice(0, 3_000)}`);
    }
  }

  /** Waits until the provider's last skip was for `uri`. */
  async function skippedFor(uri: vscode.Uri): Promise<string> {
    const skipped = await waitFor(() => (completion.lastSkipped()?.uri === uri.toString() ? completion.lastSkipped() : undefined), 20_000, `a skipped completion for ${uri.toString()}`);
    return skipped.reason;
  }

  it('a 50 MB file: completion sends only a bounded window, the context leaves it out and says why', async () => {
    const line = 'export const value = compute(previous) + 1; // generated filler line\n';
    const lines = Math.ceil(50_000_000 / line.length);
    const uri = generate('oddities/big.txt', line.repeat(lines));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.ok(doc.lineCount >= lines, `VS Code gave the extension host the whole document (${doc.lineCount} lines)`);
    const editor = await show(doc, new vscode.Position(Math.floor(lines / 2), 0));
    await editor.edit((e) => e.insert(editor.selection.active, 'const middle50 = '));
    const at = new vscode.Position(Math.floor(lines / 2), 'const middle50 = '.length);
    editor.selection = new vscode.Selection(at, at);
    await trigger();
    const request = await completionRequest((p) => p.endsWith('const middle50 = '), 'the completion request from the middle of the 50 MB file');
    const partial = partialOf(request) ?? '';
    assert.ok(partial.length <= PREFIX_WINDOW_CHARS + PREFIX_WINDOW_STEP, `text before the cursor: ${partial.length} chars`);
    assert.ok(request.bodyBytes < 2 * (PREFIX_WINDOW_CHARS + PREFIX_WINDOW_STEP + SUFFIX_WINDOW_CHARS) + 200_000, `request body ${request.bodyBytes} bytes`);

    // From another file, with the big one still open: the completion's workspace context leaves it out.
    await show(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(fixtureWorkspace(), 'src', 'math.ts')));
    await trigger();
    const other = await completionRequest((p) => p.endsWith('Math.max(min, value));\n}\n'), 'the completion request from src/math.ts');
    const context = messagesOf(other).find((m) => m.role === 'user')?.content ?? '';
    assert.ok(context.includes('# Workspace'), 'completion requests carry the workspace context');
    assert.ok(!other.rawBody.includes('generated filler line'), 'none of the big file is in it');

    const text = await showContextUntil((t) => t.includes('| oddities/big.txt | too large ('), 'the context view to leave out big.txt as too large');
    assert.match(text, /\| oddities\/big\.txt \| too large \(50\.\d MB or more > 1\.0 MB\) \|/);
    assert.ok(!text.includes('generated filler line'), 'none of its text is shown');
  });

  it('a binary file: the context reports it as binary; binary text gets no completion request', async () => {
    const bytes = new Uint8Array(32 * 1024);
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    for (let i = 8; i < bytes.length; i++) {
      bytes[i] = (i * 2_654_435_761) >>> 24;
    }
    // An image (opened in the image preview, a custom editor) and an unknown binary (VS Code's
    // "binary file" placeholder): VS Code refuses both as text documents.
    const image = generate('oddities/image.png', bytes);
    const data = generate('oddities/data.bin', bytes.slice(8));
    await assert.rejects(Promise.resolve(vscode.workspace.openTextDocument(data)), /binary/, 'VS Code refuses binary files as text documents');
    await vscode.commands.executeCommand('vscode.open', image, { preview: false });
    await vscode.commands.executeCommand('vscode.open', data, { preview: false });
    // Something editable next to them, so the view has an active file.
    await show(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(fixtureWorkspace(), 'src', 'math.ts')));
    const text = await showContextUntil(
      (t) => t.includes('| oddities/image.png | binary (VS Code does not open it as text) |') && t.includes('| oddities/data.bin | binary (VS Code does not open it as text) |'),
      'the context view to report image.png and data.bin as binary',
    );
    assert.ok(!text.includes('\u0000'), 'no binary data in the view');

    // Binary data forced open as text (here: an untitled document holding it).
    const binaryText = `PK\u0003\u0004\u0014\u0000\u0000\u0000\b\u0000${'\u0000\u0001\u0002\u0003'.repeat(64)}`;
    const doc = await vscode.workspace.openTextDocument({ content: binaryText });
    await show(doc);
    await trigger();
    assert.strictEqual(await skippedFor(doc.uri), 'binary text around the cursor');
    assert.ok(!sim.requests.some((r) => partialOf(r)?.includes('\u0000')), 'no request carried the binary text');
  });

  it('secret files get no completion request: not a credentials file, not a key pasted into code', async () => {
    const credentials = generate('oddities/credentials.json', '{\n  "token": "MARK-SECRET-FILE-'.concat('x'.repeat(8), '"\n}\n'));
    const doc = await vscode.workspace.openTextDocument(credentials);
    await show(doc, new vscode.Position(1, 12));
    await trigger();
    assert.strictEqual(await skippedFor(doc.uri), 'secret file (credentials*): never sent');

    const pasted = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'const key = `-----BEGIN RSA PRIVATE KEY-----\nMARK-SECRET-KEY\n-----END RSA PRIVATE KEY-----`;\nconst next = ' });
    await show(pasted);
    await trigger();
    assert.strictEqual(await skippedFor(pasted.uri), 'contains a private key: never sent');
    assert.ok(!sim.requests.some((r) => JSON.stringify(r.body ?? '').includes('MARK-SECRET')), 'no request carried either secret');
  });

  it('a 5 MB one-line minified file: the request carries a bounded window of the line and the item lands at the cursor', async () => {
    const chunk = 'var a=e.call(this,1)||{};a.b=function(c){return c*2};';
    const minified = `!function(e){${chunk.repeat(Math.ceil(5_000_000 / chunk.length))}}(window);\n`;
    const uri = generate('oddities/bundle.js', minified);
    const doc = await vscode.workspace.openTextDocument(uri);
    const cursor = Math.floor((minified.length * 3) / 4);
    const editor = await show(doc, new vscode.Position(0, cursor));
    await editor.edit((e) => e.insert(editor.selection.active, 'MIN5='));
    const at = new vscode.Position(0, cursor + 'MIN5='.length);
    editor.selection = new vscode.Selection(at, at);
    sim.script((req) => (partialOf(req)?.endsWith('MIN5=') ? { content: '42;' } : undefined));
    await trigger();
    const request = await completionRequest((p) => p.endsWith('MIN5='), 'the completion request in the minified line');
    const partial = partialOf(request) ?? '';
    assert.ok(partial.length <= PREFIX_WINDOW_CHARS + PREFIX_WINDOW_STEP, `text before the cursor: ${partial.length} chars`);
    const user = messagesOf(request).find((m) => m.role === 'user')?.content ?? '';
    assert.ok(user.length <= SUFFIX_WINDOW_CHARS + 10_000, `user message (text after the cursor): ${user.length} chars`);
    const provided = await waitFor(() => (completion.lastProvided()?.uri === uri.toString() ? completion.lastProvided() : undefined), 20_000, 'the item in the minified line');
    assert.deepStrictEqual([provided.line, provided.character, provided.text], [0, at.character, '42;']);

    const text = await showContextUntil((t) => t.includes('| oddities/bundle.js | too large ('), 'the context view to leave out bundle.js');
    assert.ok(!text.includes(chunk), 'none of the minified text is shown');
  });

  it('non-UTF-8 text: latin-1 read as UTF-8 or as latin-1 completes and packs without error', async () => {
    const latin1 = (s: string): Uint8Array => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));
    const asUtf8 = await vscode.workspace.openTextDocument(generate('oddities/legacy.txt', latin1("caf\u00e9 = 'na\u00efve'\nprint(caf")));
    assert.ok(asUtf8.getText().includes('\ufffd'), `opened as UTF-8 (${asUtf8.encoding}): invalid bytes show as U+FFFD`);
    await show(asUtf8);
    await trigger();
    const first = await completionRequest((p) => p.endsWith('print(caf'), 'the request from the latin-1 file read as UTF-8');
    assert.strictEqual(partialOf(first), asUtf8.getText(), 'the text before the cursor as the editor shows it');

    const asLatin1 = await vscode.workspace.openTextDocument(generate('oddities/legacy2.txt', latin1("r\u00e9sum\u00e9 = 1\nprint(r\u00e9s")), { encoding: 'iso88591' });
    await show(asLatin1);
    await trigger();
    const second = await completionRequest((p) => p.endsWith('print(r\u00e9s'), 'the request from the latin-1 file read as latin-1');
    assert.strictEqual(partialOf(second), "r\u00e9sum\u00e9 = 1\nprint(r\u00e9s");

    const text = await showContextUntil((t) => t.includes('## Active file: oddities/legacy2.txt') && t.includes('## File: oddities/legacy.txt'), 'both legacy files in the context');
    assert.ok(text.includes("r\u00e9sum\u00e9 = 1"));
  });

  it('a notebook cell: completion uses the cell text and the file edited before it as context; the context reports the cell editor instead of packing it', async () => {
    // A file edited first: once the user is in the cell, it is an open file like any other.
    await show(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(fixtureWorkspace(), 'src', 'math.ts')));
    const cellText = 'import math\nradius = 2\narea = math.';
    const notebook = await vscode.workspace.openNotebookDocument('jupyter-notebook', new vscode.NotebookData([new vscode.NotebookCellData(vscode.NotebookCellKind.Code, cellText, 'python')]));
    await vscode.window.showNotebookDocument(notebook);
    const cell = notebook.cellAt(0).document;
    await vscode.commands.executeCommand('notebook.cell.edit');
    const editor = await waitFor(() => vscode.window.visibleTextEditors.find((e) => e.document === cell), 20_000, 'the cell editor');
    const end = cell.lineAt(cell.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    await waitFor(() => vscode.window.activeTextEditor?.document === cell, 20_000, 'the cell editor focused');
    await trigger();
    const request = await completionRequest((p) => p === cellText, 'the request from the notebook cell');
    const user = messagesOf(request).find((m) => m.role === 'user')?.content ?? '';
    assert.ok(user.includes('## File: src/math.ts'), `the file edited before the cell is in the completion context:\n${user.slice(0, 1_500)}`);

    const text = await showContextUntil((t) => t.includes('not a file (vscode-notebook-cell: scheme)'), 'the context view to report the cell');
    assert.ok(!text.includes('radius = 2'), 'the cell text is not packed as a file');
  });

  it('an untitled document: completion and context carry it, marked as never saved', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'javascript', content: 'function greet(name) {\n  return `hello ${' });
    await show(doc);
    await trigger();
    await completionRequest((p) => p === 'function greet(name) {\n  return `hello ${', 'the request from the untitled document');
    const text = await showContextUntil((t) => t.includes(`## Active file: ${doc.uri.path} (untitled, never saved)`), 'the untitled document in the context');
    assert.ok(text.includes('function greet(name)'));
  });

  it('a file outside every workspace folder: completes, and the context names it by its file name', async () => {
    // The launcher opens one folder. Adding a second with updateWorkspaceFolders turns the window into
    // a multi-root workspace, which restarts the extension host (a remote window like this one
    // reloads; see updateWorkspaceFolders' documentation) and would end this run. So the folder-less
    // case stands in here; per-folder ignore rules and folder-prefixed paths are unit-tested
    // (test/unit/completion/editorOddities.test.ts).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'moonpilot-outside-'));
    created.push(dir);
    const file = path.join(dir, 'outside.ts');
    fs.writeFileSync(file, 'export function outside(): number {\n  return ');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    assert.strictEqual(vscode.workspace.getWorkspaceFolder(doc.uri), undefined);
    await show(doc);
    await trigger();
    await completionRequest((p) => p === 'export function outside(): number {\n  return ', 'the request from the file outside the workspace');
    await showContextUntil((t) => t.includes('## Active file: outside.ts'), 'the outside file in the context under its name');
  });

  it('read-only and virtual schemes: a read-only file system gets no request; a writable virtual one completes and is reported, not packed', async () => {
    const readonlyFs = new MemoryFs();
    const virtualFs = new MemoryFs();
    disposables.push(vscode.workspace.registerFileSystemProvider('moonpilot-ro', readonlyFs, { isReadonly: true }));
    disposables.push(vscode.workspace.registerFileSystemProvider('moonpilot-vfs', virtualFs, { isCaseSensitive: true }));
    // The extension host learns a new provider's capabilities from the workbench a moment later.
    await waitFor(() => vscode.workspace.fs.isWritableFileSystem('moonpilot-ro') === false && vscode.workspace.fs.isWritableFileSystem('moonpilot-vfs') === true, 10_000, 'the providers known as read-only and writable');

    const roUri = vscode.Uri.from({ scheme: 'moonpilot-ro', path: '/lib/readonly.ts' });
    readonlyFs.seed(roUri, 'export const frozen = ');
    const roDoc = await vscode.workspace.openTextDocument(roUri);
    await show(roDoc);
    await trigger();

    const vUri = vscode.Uri.from({ scheme: 'moonpilot-vfs', path: '/scratch/virtual.ts' });
    virtualFs.seed(vUri, 'export const scratch = ');
    await show(await vscode.workspace.openTextDocument(vUri));
    await trigger();
    await completionRequest((p) => p === 'export const scratch = ', 'the request from the virtual document');
    // The read-only document was triggered first (an explicit trigger starts at once): had it been
    // asked for, its request would be here by now. (VS Code does not call inline providers in
    // read-only editors; the provider itself never saw it.)
    assert.ok(!sim.requests.some((r) => partialOf(r) === 'export const frozen = '), 'no request for the read-only document');
    assert.notStrictEqual(completion.lastSkipped()?.uri, roUri.toString(), 'the provider was not even called for it');
    const text = await showContextUntil((t) => t.includes('not a file (moonpilot-vfs: scheme)') && t.includes('not a file (moonpilot-ro: scheme)'), 'the context view to report both virtual documents');
    assert.ok(!text.includes('export const scratch'), 'virtual text is not packed');
  });
});
