// Chat in the real VS Code against the Kimi simulator: a turn streams thinking then the answer,
// Stop closes the connection, the transcript outlives the webview, Explain Selection sends the
// selection, tools read workspace files but never a .env, and errors come inline with actions.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TurnView } from '../../src/core/chat/protocol';
import type { MoonpilotApi } from '../../src/vscode/moonpilotApi';
import type { KimiSimulator } from '../support/simulator/kimiSimulator';
import type { RecordedRequest } from '../support/simulator/types';
import { DEFAULT_MODELS } from '../support/simulator/simModels';
import { fixtureWorkspace, getExtensionApi, openChatView, waitFor } from './helpers';
import { suiteSimulator, useSimulatorKey } from './simulatorSession';

const CHAT_PATH = '/v1/chat/completions';

interface WireMessage {
  role: string;
  content?: unknown;
  tool_call_id?: string;
  tool_calls?: unknown[];
  reasoning_content?: string;
}

function messagesOf(req: RecordedRequest): WireMessage[] {
  return (req.body?.messages as WireMessage[] | undefined) ?? [];
}

function textOf(req: RecordedRequest): string {
  return messagesOf(req)
    .map((m) => (typeof m.content === 'string' ? m.content : ''))
    .join('\n');
}

const isChat = (marker: string) => (r: RecordedRequest) => r.path === CHAT_PATH && textOf(r).includes(marker);

describe('chat', () => {
  let sim: KimiSimulator;
  let api: MoonpilotApi;

  before(async () => {
    sim = await suiteSimulator();
    api = await getExtensionApi<MoonpilotApi>();
    await useSimulatorKey(sim);
    await openChatView(api);
  });

  beforeEach(() => {
    api.chat.newChat();
  });

  afterEach(() => sim.reset());

  it('streams thinking, then the answer, from the simulator', async () => {
    const reasoning = 'The user asks about app.ts. It imports add from math.ts and calls it.';
    sim.onMarker('MARK-stream', {
      reasoning,
      content: 'It **adds** two numbers:\n\n```ts\nadd(1, 2);\n```\n',
      chunkSize: 6,
      chunkDelayMs: 15,
    });
    const sent = api.chat.send('What does app.ts do? MARK-stream', { thinking: true });
    const thinkingOnly = await waitFor(
      () => api.chat.transcript().find((t) => t.status === 'streaming' && t.reasoning.length > 0 && t.answer === ''),
      10_000,
      'the turn to show thinking before any answer',
    );
    const turn = (await sent) as TurnView;
    assert.ok(reasoning.startsWith(thinkingOnly.reasoning), JSON.stringify(thinkingOnly));
    assert.equal(turn.status, 'done', turn.error?.message);
    assert.equal(turn.reasoning, reasoning);
    assert.equal(turn.answer, 'It **adds** two numbers:\n\n```ts\nadd(1, 2);\n```\n');
    assert.ok(turn.reasoningMs !== undefined && turn.reasoningMs > 0, 'the thinking duration is known');
    assert.ok(turn.usage && turn.usage.prompt > 0 && turn.usage.output > 0, 'per-turn tokens');
    assert.ok(api.chat.session().totals.prompt >= turn.usage.prompt, 'session totals');

    const req = await sim.waitForRequest(isChat('MARK-stream'), 1_000);
    assert.deepEqual(req.body?.thinking, { type: 'enabled' });
    assert.equal(req.body?.stream, true);
    assert.ok(Array.isArray(req.body?.tools) && (req.body.tools as unknown[]).length === 3);
    const messages = messagesOf(req);
    assert.equal(messages[0].role, 'system');
    assert.equal(messages[messages.length - 1].role, 'user');
  });

  it('New chat while an answer streams aborts it and takes the next message at once', async () => {
    sim.onMarker('MARK-abandon', { content: 'slow '.repeat(200), chunkSize: 5, chunkDelayMs: 30 });
    const abandoned = api.chat.send('Talk slowly MARK-abandon', { thinking: false });
    const req = await sim.waitForRequest(isChat('MARK-abandon'), 10_000);
    await vscode.commands.executeCommand('moonpilot.newChat');
    sim.reply({ content: 'Fresh start.' });
    const fresh = (await api.chat.send('Hello again', { thinking: false })) as TurnView;
    assert.equal(fresh?.status, 'done', JSON.stringify(fresh));
    assert.deepEqual(api.chat.transcript().map((t) => t.userText), ['Hello again']);
    assert.equal((await abandoned)?.status, 'stopped');
    assert.equal((await sim.waitForClose(req, 5_000)).closedByClient, true);
  });

  it('keeps the conversation a byte prefix from one turn to the next', async () => {
    sim.onMarker('MARK-prefix', { content: 'First answer.' }, { times: 1 });
    await api.chat.send('First question MARK-prefix', { thinking: false });
    sim.reply({ content: 'Second answer.' });
    await api.chat.send('Second question', { thinking: false });
    const chats = sim.requests.filter((r) => r.path === CHAT_PATH);
    assert.equal(chats.length, 2, JSON.stringify(api.chat.transcript()));
    const first = JSON.stringify(chats[0].body?.messages).slice(0, -1);
    const second = JSON.stringify(chats[1].body?.messages);
    assert.ok(second.startsWith(first), 'turn 1 messages are a byte prefix of turn 2 messages');
    assert.equal(chats[0].body?.prompt_cache_key, chats[1].body?.prompt_cache_key);
  });

  it('sends the workspace context once, early, and the same bytes on later turns', async () => {
    const appUri = vscode.Uri.joinPath(fixtureWorkspace(), 'src', 'app.ts');
    const appText = new TextDecoder().decode(await vscode.workspace.fs.readFile(appUri));
    await vscode.window.showTextDocument(appUri);
    api.chat.newChat();
    sim.reply({ content: 'ok' });
    await api.chat.send('First MARK-context', { thinking: false });
    await api.chat.send('Second', { thinking: false });
    const chats = sim.requests.filter((r) => r.path === CHAT_PATH);
    assert.equal(chats.length, 2);
    const firstLine = appText.split('\n').find((l) => l.trim().length > 10) ?? appText;
    for (const req of chats) {
      const messages = messagesOf(req);
      assert.equal(messages[1].role, 'user');
      assert.ok(String(messages[1].content).includes(firstLine), 'the open file is in the context message');
      assert.equal(messages.filter((m) => String(m.content).includes(firstLine)).length, 1, 'the context is sent once per request');
    }
    assert.equal(JSON.stringify(messagesOf(chats[1])[1]), JSON.stringify(messagesOf(chats[0])[1]), 'the context message is byte-identical on the next turn');
    assert.ok(api.chat.session().contextFiles >= 1);
  });

  it('Stop aborts the request: the simulator sees the connection closed, the partial answer stays', async () => {
    sim.onMarker('MARK-stop', { content: 'word '.repeat(400), chunkSize: 5, chunkDelayMs: 30 });
    const sent = api.chat.send('Write a lot. MARK-stop', { thinking: false });
    const req = await sim.waitForRequest(isChat('MARK-stop'), 10_000);
    await waitFor(() => api.chat.transcript().find((t) => t.answer.length > 20), 10_000, 'some of the answer to arrive');
    api.chat.stop();
    const turn = (await sent) as TurnView;
    assert.equal(turn.status, 'stopped');
    assert.ok(turn.answer.startsWith('word word'), 'the partial answer is kept');
    const closed = await sim.waitForClose(req, 5_000);
    assert.equal(closed.closedByClient, true, 'the client closed the connection');
    assert.equal(closed.completed, false);
    assert.equal(api.chat.session().busy, false);
  });

  it('the transcript survives disposing and re-resolving the view', async () => {
    sim.onMarker('MARK-survive', { content: 'Still here after the view comes back.' });
    const turn = (await api.chat.send('Remember me MARK-survive', { thinking: false })) as TurnView;
    assert.equal(turn.status, 'done');
    const before = api.chat.view();
    // Hiding the view's container tears its webview down; showing it again resolves a new one.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor(() => !api.chat.view().visible, 10_000, 'the chat view to be hidden');
    await vscode.commands.executeCommand('moonpilot.chatView.focus');
    const after = await waitFor(
      () => {
        const v = api.chat.view();
        return v.ready > before.ready && v.renderedTurnIds.includes(turn.id) ? v : undefined;
      },
      20_000,
      'a fresh webview to say ready and render the earlier turn',
    );
    assert.ok(after.resolved + after.ready > before.resolved + before.ready);
    assert.deepEqual(
      api.chat.transcript().map((t) => t.answer),
      ['Still here after the view comes back.'],
    );
    assert.equal(after.rejected, 0, 'the webview sent only well-formed messages');
  });

  it('Explain Selection sends the selection in thinking mode', async () => {
    const uri = vscode.Uri.joinPath(fixtureWorkspace(), 'src', 'math.ts');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const lastLine = Math.min(2, doc.lineCount - 1);
    editor.selection = new vscode.Selection(0, 0, lastLine, doc.lineAt(lastLine).text.length);
    const selected = doc.getText(editor.selection);
    assert.ok(selected.trim().length > 0, 'the fixture has text to select');
    sim.reply({ reasoning: 'Reading the selection.', content: 'This function adds.' });
    const turn = (await vscode.commands.executeCommand<TurnView>('moonpilot.explainSelection'))!;
    assert.equal(turn.status, 'done', turn.error?.message);
    assert.equal(turn.thinking, true);
    assert.deepEqual(turn.attachments.map((a) => [a.kind, a.path, a.startLine]), [['selection', 'src/math.ts', 1]]);
    const req = await sim.waitForRequest((r) => r.path === CHAT_PATH, 1_000);
    const messages = messagesOf(req);
    const last = String(messages[messages.length - 1].content);
    assert.ok(last.includes(selected), 'the selection text is in the request');
    assert.match(last, /Explain what this code does/);
    assert.deepEqual(req.body?.thinking, { type: 'enabled' });
  });

  it('Add to Moonpilot Chat attaches the selection (never a .env), and the next message carries it', async () => {
    const uri = vscode.Uri.joinPath(fixtureWorkspace(), 'src', 'app.ts');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 1, 0);
    const selected = doc.getText(editor.selection);
    assert.equal(await vscode.commands.executeCommand<boolean>('moonpilot.addToChat'), true);
    assert.deepEqual(api.chat.attachments().map((a) => [a.kind, a.path, a.startLine, a.endLine]), [['selection', 'src/app.ts', 1, 1]]);

    const envUri = vscode.Uri.joinPath(fixtureWorkspace(), '.env');
    await vscode.workspace.fs.writeFile(envUri, new TextEncoder().encode('TOKEN=sk-attach-canary\n'));
    try {
      await vscode.window.showTextDocument(envUri);
      const notified = api.notifications().length;
      assert.equal(await vscode.commands.executeCommand<boolean>('moonpilot.addToChat'), false);
      assert.match(api.notifications().slice(notified).map((n) => n.message).join('\n'), /does not send \.env/);
      assert.equal(api.chat.attachments().length, 1, 'the .env was not attached');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await vscode.workspace.fs.delete(envUri);
    }

    sim.reply({ content: 'Seen it.' });
    const turn = (await api.chat.send('What is this line?', { thinking: false })) as TurnView;
    assert.equal(turn.attachments.length, 1);
    assert.equal(api.chat.attachments().length, 0, 'sent attachments leave the input');
    const req = await sim.waitForRequest((r) => r.path === CHAT_PATH, 1_000);
    const last = String(messagesOf(req).at(-1)?.content);
    assert.ok(last.includes(selected) && last.includes('path="src/app.ts" lines="1-1"'), last);
    assert.ok(!req.rawBody.includes('sk-attach-canary'));
  });

  it('a tool call reads a workspace file but refuses .env', async () => {
    const canary = `sk-canary-${Date.now()}`;
    const envUri = vscode.Uri.joinPath(fixtureWorkspace(), '.env');
    await vscode.workspace.fs.writeFile(envUri, new TextEncoder().encode(`MOONSHOT_API_KEY=${canary}\n`));
    try {
      sim.script((req) => {
        if (req.path !== CHAT_PATH || !textOf(req).includes('MARK-tools')) {
          return undefined;
        }
        const hasResults = messagesOf(req).some((m) => m.role === 'tool');
        return hasResults
          ? { reasoning: 'I have the results.', content: 'app.ts calls add; .env was refused.' }
          : {
              reasoning: 'I should read the files.',
              toolCalls: [
                { id: 'read_file:0', name: 'read_file', arguments: { path: 'src/app.ts' } },
                { id: 'read_file:1', name: 'read_file', arguments: { path: '.env' } },
              ],
            };
      });
      const turn = (await api.chat.send('Read app.ts and .env MARK-tools', { thinking: true })) as TurnView;
      assert.equal(turn.status, 'done', turn.error?.message);
      assert.deepEqual(
        turn.tools.map((t) => [t.label, t.status]),
        [
          ['read_file src/app.ts', 'ok'],
          ['read_file .env', 'refused'],
        ],
      );
      const chats = sim.requests.filter((r) => r.path === CHAT_PATH);
      assert.equal(chats.length, 2);
      const followUp = messagesOf(chats[1]);
      const toolCallMessage = followUp.find((m) => m.role === 'assistant' && Array.isArray(m.tool_calls));
      assert.equal(toolCallMessage?.reasoning_content, 'I should read the files.', 'reasoning_content carried with thinking on');
      const results = followUp.filter((m) => m.role === 'tool');
      assert.deepEqual(results.map((m) => m.tool_call_id), ['read_file:0', 'read_file:1']);
      const appTs = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(fixtureWorkspace(), 'src', 'app.ts')));
      assert.ok(String(results[0].content).includes(appTs.split('\n')[0]), 'app.ts content went to the model');
      assert.match(String(results[1].content), /^Refused/);
      for (const r of sim.requests) {
        assert.ok(!r.rawBody.includes(canary), 'the .env content never reached the endpoint');
      }
      // A second turn builds on the first, tool round included, with the default (2026) model.
      const second = (await api.chat.send('Thanks, and math.ts?', { thinking: true })) as TurnView;
      assert.equal(second.status, 'done', second.error?.message);
      const all = sim.requests.filter((r) => r.path === CHAT_PATH);
      assert.equal(all.length, 3);
      assert.ok(messagesOf(all[2]).some((m) => m.role === 'tool' && m.tool_call_id === 'read_file:0'), 'the first turn\'s tool round is in the history');
      const listed = new Set(DEFAULT_MODELS.map((m) => m.id));
      for (const r of all) {
        const model = (r.body as { model?: string } | undefined)?.model ?? '';
        assert.ok(listed.has(model), `${model} is a model the endpoint lists`);
        assert.equal(r.status, 200);
      }
    } finally {
      await vscode.workspace.fs.delete(envUri);
    }
  });

  it("tools never read what the workspace's .gitignore leaves out", async () => {
    const root = fixtureWorkspace();
    const gitignore = vscode.Uri.joinPath(root, '.gitignore');
    const ignored = vscode.Uri.joinPath(root, 'build-output.log');
    const hadGitignore = await vscode.workspace.fs.stat(gitignore).then(
      () => true,
      () => false,
    );
    const previous = hadGitignore ? await vscode.workspace.fs.readFile(gitignore) : undefined;
    await vscode.workspace.fs.writeFile(gitignore, new TextEncoder().encode(`${previous ? new TextDecoder().decode(previous) : ''}\n*.log\n`));
    await vscode.workspace.fs.writeFile(ignored, new TextEncoder().encode('ignored-canary\n'));
    try {
      sim.script((req) =>
        req.path === CHAT_PATH && textOf(req).includes('MARK-ignore')
          ? messagesOf(req).some((m) => m.role === 'tool')
            ? { content: 'done' }
            : { toolCalls: [{ id: 'read_file:0', name: 'read_file', arguments: { path: 'build-output.log' } }, { id: 'search_text:1', name: 'search_text', arguments: { query: 'ignored-canary' } }] }
          : undefined,
      );
      const turn = (await api.chat.send('Read the log MARK-ignore', { thinking: false })) as TurnView;
      assert.equal(turn.status, 'done', turn.error?.message);
      assert.equal(turn.tools[0].status, 'refused', JSON.stringify(turn.tools));
      assert.match(turn.tools[0].detail ?? '', /ignored by \.gitignore/);
      for (const r of sim.requests) {
        assert.ok(!r.rawBody.includes('ignored-canary\\n'), 'the ignored file never reached the endpoint');
      }
    } finally {
      await vscode.workspace.fs.delete(ignored);
      if (previous) {
        await vscode.workspace.fs.writeFile(gitignore, previous);
      } else {
        await vscode.workspace.fs.delete(gitignore);
      }
    }
  });

  it('tools refuse paths and symlinks that lead out of the workspace', async () => {
    const root = fixtureWorkspace();
    const outsideDir = fs.mkdtempSync(path.join(os.tmpdir(), 'moonpilot-outside-'));
    const outsideFile = path.join(outsideDir, 'outside.txt');
    fs.writeFileSync(outsideFile, 'outside-canary\n');
    const link = path.join(root.fsPath, 'innocent-link.txt');
    fs.symlinkSync(outsideFile, link);
    try {
      const relativeOut = path.relative(root.fsPath, outsideFile).split(path.sep).join('/');
      sim.script((req) =>
        req.path === CHAT_PATH && textOf(req).includes('MARK-escape')
          ? messagesOf(req).some((m) => m.role === 'tool')
            ? { content: 'done' }
            : {
                toolCalls: [
                  { id: 'read_file:0', name: 'read_file', arguments: { path: relativeOut } },
                  { id: 'read_file:1', name: 'read_file', arguments: { path: outsideFile } },
                  { id: 'read_file:2', name: 'read_file', arguments: { path: 'innocent-link.txt' } },
                  { id: 'list_files:3', name: 'list_files', arguments: { path: '..' } },
                ],
              }
          : undefined,
      );
      const turn = (await api.chat.send('Escape MARK-escape', { thinking: false })) as TurnView;
      assert.equal(turn.status, 'done', turn.error?.message);
      assert.deepEqual(turn.tools.map((t) => t.status), ['refused', 'refused', 'refused', 'refused'], JSON.stringify(turn.tools));
      for (const r of sim.requests) {
        assert.ok(!r.rawBody.includes('outside-canary'), 'nothing from outside the workspace reached the endpoint');
      }
    } finally {
      fs.rmSync(link, { force: true });
      fs.rmSync(outsideDir, { recursive: true, force: true });
    }
  });

  it('shows errors inline with their action, keeps the text, and Retry resends it', async () => {
    sim.injectFault({ kind: 'http', status: 401, body: { error: { message: 'Invalid Authentication', type: 'invalid_authentication_error' } } });
    const failed = (await api.chat.send('Hello after a bad key', { thinking: false })) as TurnView;
    assert.equal(failed.status, 'error');
    assert.equal(failed.userText, 'Hello after a bad key', "the user's text stays in the turn");
    assert.deepEqual(failed.error?.actions, ['setApiKey', 'retry']);
    sim.reply({ content: 'Hello again.' });
    const retried = (await api.chat.retry(failed.id)) as TurnView;
    assert.equal(retried.status, 'done');
    assert.equal(retried.id, failed.id, 'the last turn is retried in place');
    assert.equal(retried.answer, 'Hello again.');
    assert.equal(api.chat.transcript().length, 1);
  });
});
