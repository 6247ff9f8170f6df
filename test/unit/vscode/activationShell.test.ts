import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type * as StandInsModule from '../../../src/shell/standIns';
import { installVscodeStub, registered } from '../helpers/vscodeStub';
import { repoRoot } from '../../support/repoRoot';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

/** The activation shell's stand-ins, driven the way VS Code calls them, against a stub `vscode`. */
describe('activation shell', () => {
  let shell: typeof StandInsModule;
  const channel = { info: (m: string) => registered.logLines.push(`[info] ${m}`) } as unknown as vscode.LogOutputChannel;
  const token = { isCancellationRequested: false } as vscode.CancellationToken;

  let uninstallStub: () => void;
  before(() => {
    uninstallStub = installVscodeStub();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- after the stub is in place
    shell = require('../../../src/shell/standIns') as typeof StandInsModule;
  });
  after(() => uninstallStub());
  beforeEach(() => registered.clear());

  /** Stand-ins for package.json's contributions; `bind` plays the features' part when loaded. */
  function standIns(bind: (registrar: StandInsModule.StandIns['registrar']) => void | Promise<void>): { loads: string[]; ins: StandInsModule.StandIns } {
    const loads: string[] = [];
    const context = { subscriptions: [] as vscode.Disposable[] } as unknown as vscode.ExtensionContext;
    let loading: Promise<void> | undefined;
    const ins: StandInsModule.StandIns = shell.registerStandIns(context, shell.contributionsOf(manifest), (reason) => {
      loads.push(reason);
      loading ??= Promise.resolve().then(() => bind(ins.registrar));
      return loading;
    }, channel);
    return { loads, ins };
  }

  it('registers a stand-in for every command and webview view package.json contributes, and the providers', () => {
    const { loads } = standIns(() => undefined);
    const commands = (manifest.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.deepEqual([...registered.commands.keys()].sort(), [...commands].sort());
    assert.deepEqual([...registered.views.keys()], ['moonpilot.chatView']);
    assert.deepEqual([...registered.contentProviders.keys()], ['moonpilot-context']);
    assert.deepEqual(registered.inlineProviders.map((p) => p.selector), [{ pattern: '**' }]);
    assert.deepEqual([...registered.chatModelProviders.keys()], ['moonpilot']);
    assert.deepEqual(loads, [], 'registering loads nothing');
  });

  it('knows the context view\'s scheme', () => {
    const source = fs.readFileSync(path.join(repoRoot, 'src', 'vscode', 'context', 'contextView.ts'), 'utf8');
    assert.match(source, new RegExp(`CONTEXT_SCHEME = '${shell.CONTEXT_SCHEME}'`));
  });

  it('a command loads the features once, then runs the real handler with its arguments and result', async () => {
    const calls: unknown[][] = [];
    const { loads } = standIns((registrar) => {
      registrar.registerCommand('moonpilot.setApiKey', (...args: unknown[]) => {
        calls.push(args);
        return true;
      });
    });
    const setKey = registered.commands.get('moonpilot.setApiKey')!;
    const results = await Promise.all([setKey('k1'), setKey('k2')]);
    assert.deepEqual(results, [true, true]);
    assert.deepEqual(calls, [['k1'], ['k2']]);
    assert.equal(await setKey('k3'), true);
    assert.deepEqual(loads, ['command moonpilot.setApiKey', 'command moonpilot.setApiKey'], 'the second concurrent call waits on the same load; once bound, no load');
  });

  it('a command the features do not bind fails with its name instead of hanging', async () => {
    standIns(() => undefined);
    await assert.rejects(async () => registered.commands.get('moonpilot.newChat')!(), /without command moonpilot\.newChat/);
  });

  it('commands it has no stand-in for are registered with VS Code directly; a stand-in binds once', () => {
    const { ins } = standIns(() => undefined);
    const handler = (): string => 'shown';
    const disposable = ins.registrar.registerCommand('moonpilot.showCompletionError', handler);
    assert.equal(registered.commands.get('moonpilot.showCompletionError'), handler);
    disposable.dispose();
    assert.equal(registered.commands.has('moonpilot.showCompletionError'), false);
    ins.registrar.registerCommand('moonpilot.newChat', handler);
    assert.throws(() => ins.registrar.registerCommand('moonpilot.newChat', handler), /already bound/);
  });

  it('the first completion loads the features and is answered by the real provider; the wait is recorded once', async () => {
    const { loads, ins } = standIns((registrar) => {
      registrar.registerInlineCompletionItemProvider({ provideInlineCompletionItems: () => [{ insertText: 'real' }] });
    });
    const provider = registered.inlineProviders[0].provider;
    assert.equal(ins.firstCompletionWait(), undefined);
    assert.deepEqual(await provider.provideInlineCompletionItems({}, {}, {}, token), [{ insertText: 'real' }]);
    const waited = ins.firstCompletionWait();
    assert.ok(waited && waited.waitedMs >= 0);
    assert.ok(registered.logLines.some((l) => /first inline completion waited [\d.]+ ms/.test(l)));
    assert.deepEqual(await provider.provideInlineCompletionItems({}, {}, {}, token), [{ insertText: 'real' }]);
    assert.deepEqual(loads, ['inline completion']);
    assert.equal(ins.firstCompletionWait(), waited);
  });

  it('a completion whose load fails gets no item and no error', async () => {
    const context = { subscriptions: [] } as unknown as vscode.ExtensionContext;
    shell.registerStandIns(context, shell.contributionsOf(manifest), () => Promise.reject(new Error('broken bundle')), channel);
    assert.equal(await registered.inlineProviders[0].provider.provideInlineCompletionItems({}, {}, {}, token), undefined);
  });

  it('the language model stand-in lists nothing silently before the load; a real listing loads, binds and tells VS Code', async () => {
    const models = [{ id: 'kimi-k3' }];
    const { loads } = standIns((registrar) => {
      registrar.registerLanguageModelChatProvider('moonpilot', { provideLanguageModelChatInformation: () => models } as unknown as vscode.LanguageModelChatProvider);
    });
    const standIn = registered.chatModelProviders.get('moonpilot')!;
    let changes = 0;
    standIn.onDidChangeLanguageModelChatInformation?.(() => void changes++);
    assert.deepEqual(await standIn.provideLanguageModelChatInformation({ silent: true }, token), []);
    assert.deepEqual(loads, [], 'a silent listing at startup does not load the features');
    assert.deepEqual(await standIn.provideLanguageModelChatInformation({ silent: false }, token), models);
    assert.deepEqual(loads, ['language models moonpilot']);
    assert.equal(changes, 1, 'binding fires the change event so VS Code lists the models again');
    assert.deepEqual(await standIn.provideLanguageModelChatInformation({ silent: true }, token), models);
  });

  it('the chat view and the context document are resolved by the real providers once loaded', async () => {
    const resolved: unknown[] = [];
    let fireChange: ((uri: string) => void) | undefined;
    standIns((registrar) => {
      registrar.registerWebviewViewProvider('moonpilot.chatView', { resolveWebviewView: (view) => void resolved.push(view) });
      registrar.registerTextDocumentContentProvider('moonpilot-context', {
        provideTextDocumentContent: () => 'packed',
        onDidChange: (listener: (uri: vscode.Uri) => void) => {
          fireChange = (uri) => listener(uri as unknown as vscode.Uri);
          return { dispose: () => undefined };
        },
      });
    });
    const view = { webview: {} };
    await registered.views.get('moonpilot.chatView')!.resolveWebviewView(view, {}, token);
    assert.deepEqual(resolved, [view]);
    const docs = registered.contentProviders.get('moonpilot-context')!;
    const changed: unknown[] = [];
    docs.onDidChange?.((uri) => void changed.push(uri));
    assert.equal(await docs.provideTextDocumentContent('moonpilot-context:/x', token), 'packed');
    fireChange?.('moonpilot-context:/x');
    assert.deepEqual(changed, ['moonpilot-context:/x'], 'the stand-in forwards the real provider\'s change events');
  });

  it('lists what the features left unbound', async () => {
    const { ins } = standIns((registrar) => {
      for (const c of manifest.contributes.commands as { command: string }[]) {
        registrar.registerCommand(c.command, () => undefined);
      }
    });
    await registered.commands.get('moonpilot.newChat')!();
    assert.deepEqual(ins.unbound(), ['view moonpilot.chatView', 'the inline completion provider', 'the moonpilot-context provider', 'language models moonpilot']);
  });
});
