// Mockup → code in a real VS Code against the Kimi simulator: the command streams the scripted
// HTML into a new editor, sends the image as a data URL, and handles each failure visibly.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RecordedRequest } from '../support/simulator/types';
import type { KimiSimulator } from '../support/simulator/kimiSimulator';
import type { MoonpilotApi } from '../../src/vscode/moonpilotApi';
import type { MockupResult } from '../../src/vscode/mockup/mockupCommand';
import { openMockupPreview } from '../../src/vscode/mockup/mockupPreview';
import { makePng, sharedMockupsDir } from '../support/tools/mockupFixtures';
import { fixtureWorkspace, getExtensionApi, waitFor } from './helpers';
import { suiteSimulator, useSimulatorKey } from './simulatorSession';

const HTML = [
  '<!DOCTYPE html>',
  '<html lang="en">',
  '<head>',
  '  <meta charset="utf-8">',
  '  <title>Pricing</title>',
  '  <style>',
  '    body { font-family: system-ui, sans-serif; margin: 0; background: #f8fafc; }',
  '    header { background: #1e293b; color: #fff; padding: 16px 24px; }',
  '    .plans { display: grid; grid-template-columns: repeat(3, 1fr); gap: 24px; padding: 24px; }',
  '  </style>',
  '</head>',
  '<body>',
  '  <header><h1>Acme</h1></header>',
  '  <main class="plans">',
  '    <section><h2>Free</h2><p>$0</p></section>',
  '    <section><h2>Pro</h2><p>$12</p></section>',
  '    <section><h2>Team</h2><p>$49</p></section>',
  '  </main>',
  '</body>',
  '</html>',
  '',
].join('\n');
const ANSWER = `Here is the page:\n\n\`\`\`html\n${HTML}\`\`\`\n\nIt uses CSS grid for the plans.`;
const MARKER = '<!-- Moonpilot: INCOMPLETE';

function run(uri: vscode.Uri, options: Record<string, unknown>): Thenable<MockupResult> {
  return vscode.commands.executeCommand<MockupResult>('moonpilot.mockupToCode', uri, options);
}

function chatRequests(sim: KimiSimulator): RecordedRequest[] {
  return sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');
}

/** The data URL the request carried, and its decoded bytes. */
function sentImage(req: RecordedRequest): { url: string; bytes: Buffer } {
  const messages = req.body?.messages as { role: string; content: unknown }[];
  const user = messages.find((m) => m.role === 'user');
  assert.ok(user && Array.isArray(user.content), 'the user message has content parts');
  const part = (user.content as { type: string; image_url?: { url: string } }[]).find((p) => p.type === 'image_url');
  assert.ok(part?.image_url, 'an image_url part');
  const url = part.image_url.url;
  return { url, bytes: Buffer.from(url.slice(url.indexOf(',') + 1), 'base64') };
}

function documentOf(result: MockupResult): vscode.TextDocument {
  assert.ok(result.document, `an editor was opened (status ${result.status}: ${result.message ?? ''})`);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.document?.toString());
  assert.ok(doc, 'the document is open');
  return doc;
}

function untitledCount(): number {
  return vscode.workspace.textDocuments.filter((d) => d.isUntitled).length;
}

describe('mockup to code', function () {
  this.timeout(60_000);
  let sim: KimiSimulator;
  let api: MoonpilotApi;
  let dir: vscode.Uri;
  const file = (name: string): vscode.Uri => vscode.Uri.joinPath(dir, name);
  const lastNotification = (): string => api.notifications().at(-1)?.message ?? '';

  before(async () => {
    sim = await suiteSimulator();
    assert.strictEqual(process.env.MOONSHOT_BASE_URL, sim.baseUrl, 'the launcher points the extension at the simulator');
    api = await getExtensionApi<MoonpilotApi>();
    await useSimulatorKey(sim);
    dir = vscode.Uri.joinPath(fixtureWorkspace(), 'mockups');
    const write = (name: string, bytes: Uint8Array): Thenable<void> => vscode.workspace.fs.writeFile(file(name), bytes);
    const png = makePng(320, 200);
    await write('hero.png', png);
    await write('page.html.png', new TextEncoder().encode('<!DOCTYPE html><html><body>not a picture</body></html>'));
    await write('broken.png', png.subarray(0, Math.floor(png.length / 2)));
    // A real, tall screenshot, copied at run time (never committed): it gets downscaled. A clone
    // without ../shared beside it gets a generated picture of the same size instead.
    const real = path.join(sharedMockupsDir(), '11434.png');
    await write('tall.png', fs.existsSync(real) ? fs.readFileSync(real) : makePng(1280, 2339));
  });

  beforeEach(() => sim.reset());

  it('streams the scripted HTML into a new HTML editor, fences and prose stripped', async () => {
    sim.reply({ content: ANSWER, chunkSize: 7 });
    const result = await run(file('hero.png'), { target: 'html', instruction: 'dark theme' });
    assert.strictEqual(result.status, 'done', result.message);
    const doc = documentOf(result);
    assert.strictEqual(doc.getText(), HTML);
    assert.strictEqual(doc.languageId, 'html');
    assert.ok(doc.isUntitled);
    assert.match(lastNotification(), /generated HTML \+ CSS from hero\.png/);
  });

  it('sends the image as a data URL with its mime type, in instant mode, with the instruction', async () => {
    sim.reply({ content: ANSWER });
    const result = await run(file('hero.png'), { target: 'react', instruction: 'use our Button component' });
    assert.strictEqual(result.status, 'done', result.message);
    assert.strictEqual(documentOf(result).languageId, 'typescriptreact');
    const [req] = chatRequests(sim);
    const { url, bytes } = sentImage(req);
    assert.ok(url.startsWith('data:image/png;base64,'), url.slice(0, 40));
    assert.deepStrictEqual(bytes, Buffer.from(await vscode.workspace.fs.readFile(file('hero.png'))), 'a small image is sent byte for byte');
    assert.strictEqual(req.body?.model, 'kimi-k2.6', 'the default vision model, served by the 2026 lineup');
    assert.deepStrictEqual(req.body?.thinking, { type: 'disabled' });
    assert.match(JSON.stringify(req.body?.messages), /Tailwind CSS utility classes[\s\S]*use our Button component/);
  });

  it('downscales a tall screenshot (the real one from ../shared when present) before sending it', async () => {
    sim.reply({ content: ANSWER });
    const result = await run(file('tall.png'), { target: 'html', instruction: '' });
    assert.strictEqual(result.status, 'done', result.message);
    const { url, bytes } = sentImage(chatRequests(sim)[0]);
    assert.ok(url.startsWith('data:image/png;base64,'));
    // PNG IHDR: width and height at bytes 16 and 20.
    const sent = { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
    assert.deepStrictEqual(sent, { width: result.image?.width, height: result.image?.height });
    assert.deepStrictEqual([result.image?.original.width, result.image?.original.height], [1280, 2339]);
    assert.ok(sent.width < 1280 && sent.width * sent.height <= 2_500_000, `${sent.width}×${sent.height}`);
  });

  it('refuses a file that is not an image, whatever its name, without a request', async () => {
    const before = untitledCount();
    const result = await run(file('page.html.png'), { target: 'html', instruction: '' });
    assert.strictEqual(result.status, 'failed');
    assert.strictEqual(result.errorKind, 'notImage');
    assert.match(lastNotification(), /page\.html\.png is not a PNG, JPEG, WebP or GIF image/);
    assert.strictEqual(chatRequests(sim).length, 0);
    assert.strictEqual(untitledCount(), before, 'no editor is opened');
  });

  it('refuses a corrupt image without a request', async () => {
    const result = await run(file('broken.png'), { target: 'html', instruction: '' });
    assert.strictEqual(result.errorKind, 'corrupt');
    assert.match(lastNotification(), /broken\.png is a damaged PNG file/);
    assert.strictEqual(chatRequests(sim).length, 0);
  });

  it('names a model that takes images when the configured one does not (from /models)', async () => {
    const config = vscode.workspace.getConfiguration('moonpilot');
    await config.update('vision.model', 'kimi-k2.7-code', vscode.ConfigurationTarget.Global);
    try {
      await waitFor(() => vscode.workspace.getConfiguration('moonpilot').get('vision.model') === 'kimi-k2.7-code', 5_000, 'the setting to apply');
      const result = await run(file('hero.png'), { target: 'html', instruction: '' });
      assert.strictEqual(result.errorKind, 'noVision');
      assert.match(lastNotification(), /"kimi-k2\.7-code" does not accept images\. Set "moonpilot\.vision\.model" to a model that does, such as "kimi-k2\.6"/);
      assert.deepStrictEqual(api.notifications().at(-1)?.actions, ['Use kimi-k2.6', 'Open Settings']);
      assert.ok(sim.requests.some((r) => r.path === '/v1/models'), '/models was asked');
      assert.strictEqual(chatRequests(sim).length, 0);
    } finally {
      await config.update('vision.model', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('offers the switch from a retired kimi-k2.5 left in user settings, and sends nothing for it', async () => {
    const config = vscode.workspace.getConfiguration('moonpilot');
    await config.update('vision.model', 'kimi-k2.5', vscode.ConfigurationTarget.Global);
    try {
      await waitFor(() => vscode.workspace.getConfiguration('moonpilot').get('vision.model') === 'kimi-k2.5', 5_000, 'the setting to apply');
      const result = await run(file('hero.png'), { target: 'html', instruction: '' });
      assert.strictEqual(result.errorKind, 'modelNotFound');
      assert.match(lastNotification(), /Moonshot retired "kimi-k2\.5" on 2026-08-31, so mockup → code cannot use it \(moonpilot\.vision\.model\)\. Kimi K2\.6 \("kimi-k2\.6"\) replaces it\./);
      assert.deepStrictEqual(api.notifications().at(-1)?.actions, ['Use kimi-k2.6', 'Open Settings']);
      assert.strictEqual(chatRequests(sim).length, 0, 'no request names a model the endpoint does not list');
    } finally {
      await config.update('vision.model', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('keeps the partial code, marked incomplete, when the stream is cut midway', async () => {
    // A gap between chunks so what arrived is read before the socket dies (a stream error drops
    // chunks still queued in the fetch body, so how much survives depends on timing).
    sim.reply({ content: ANSWER, chunkSize: 16, chunkDelayMs: 30, fault: { kind: 'cut', afterChunks: 12 } });
    const result = await run(file('hero.png'), { target: 'html', instruction: '' });
    assert.strictEqual(result.status, 'incomplete', result.message);
    const text = documentOf(result).getText();
    const [marker, ...rest] = text.split('\n');
    assert.ok(marker.startsWith(MARKER), marker);
    const partial = rest.join('\n');
    assert.ok(partial.length > 0 && HTML.startsWith(partial) && partial.length < HTML.length, JSON.stringify(partial));
    assert.match(lastNotification(), /The answer stopped early: .+ The partial code stays in the editor, marked incomplete\./);
    assert.strictEqual(api.notifications().at(-1)?.severity, 'error');
  });

  it('cancel aborts the request (the connection closes) and marks the partial code', async () => {
    sim.reply({ content: ANSWER.repeat(3), chunkSize: 8, chunkDelayMs: 40 });
    const cancel = new vscode.CancellationTokenSource();
    const earlier = new Set(vscode.workspace.textDocuments);
    const running = run(file('hero.png'), { target: 'html', instruction: '', cancellation: cancel.token });
    const req = await sim.waitForRequest((r) => r.path === '/v1/chat/completions', 10_000);
    await waitFor(() => vscode.workspace.textDocuments.some((d) => !earlier.has(d) && d.getText().includes('<head>')), 10_000, 'code to stream into a new editor');
    cancel.cancel();
    const result = await running;
    assert.strictEqual(result.status, 'cancelled');
    await sim.waitForClose(req, 10_000);
    assert.strictEqual(req.closedByClient, true);
    assert.strictEqual(req.completed, false);
    const text = documentOf(result).getText();
    assert.ok(text.startsWith(`${MARKER} — generation was cancelled.`), text.slice(0, 80));
    assert.ok(!text.includes('</html>'), 'stopped before the end');
    assert.match(lastNotification(), /Generation cancelled; the partial code stays in the editor, marked incomplete\./);
    cancel.dispose();
  });

  it('closing the editor the code streams into stops the stream (the connection closes)', async () => {
    sim.reply({ content: ANSWER.repeat(3), chunkSize: 8, chunkDelayMs: 40 });
    const earlier = new Set(vscode.workspace.textDocuments);
    const running = run(file('hero.png'), { target: 'html', instruction: '' });
    const req = await sim.waitForRequest((r) => r.path === '/v1/chat/completions', 10_000);
    await waitFor(() => vscode.workspace.textDocuments.some((d) => !earlier.has(d) && d.getText().includes('<head>')), 10_000, 'code to stream into a new editor');
    const doc = vscode.workspace.textDocuments.find((d) => !earlier.has(d) && d.getText().includes('<head>'));
    assert.ok(doc);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const result = await running;
    assert.strictEqual(result.status, 'cancelled', result.message);
    assert.strictEqual(result.document, undefined, 'no editor is reopened to mark the code');
    await sim.waitForClose(req, 10_000);
    assert.strictEqual(req.closedByClient, true);
    assert.strictEqual(req.completed, false);
  });

  it('previews generated HTML in a sandboxed webview: no scripts, no forms, no local resources, strict CSP', () => {
    const panel = openMockupPreview(`${HTML}<script>document.title = 'ran'</script>`, 'hero.png');
    try {
      assert.strictEqual(panel.webview.options.enableScripts, false);
      assert.strictEqual(panel.webview.options.enableForms, false);
      assert.deepStrictEqual(panel.webview.options.localResourceRoots, []);
      assert.ok(
        panel.webview.html.startsWith(`<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline';`),
        panel.webview.html.slice(0, 120),
      );
      assert.strictEqual(panel.title, 'Preview: hero.png');
    } finally {
      panel.dispose();
    }
  });
});
