import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type * as RequestMessagesModule from '../../../src/vscode/lm/requestMessages';
import { installVscodeStub, LanguageModelPromptTsxPart, LanguageModelTextPart, LanguageModelToolCallPart, LanguageModelToolResultPart } from '../helpers/vscodeStub';

/** VS Code's request messages copied into plain data, against a stub `vscode` (the classes are told apart by `instanceof`). */
describe('language model provider: VS Code request messages as plain data', () => {
  let adapter: typeof RequestMessagesModule;
  let uninstallStub: () => void;
  before(() => {
    uninstallStub = installVscodeStub();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- after the stub is in place
    adapter = require('../../../src/vscode/lm/requestMessages') as typeof RequestMessagesModule;
  });
  after(() => uninstallStub());

  const message = (role: number, content: unknown[]): vscode.LanguageModelChatRequestMessage => ({ role, content, name: undefined }) as unknown as vscode.LanguageModelChatRequestMessage;

  it('copies text, tool calls, tool results (prompt-tsx text gathered in order), images by shape; role 3 is system', () => {
    const tsx = new LanguageModelPromptTsxPart({ node: { children: [{ text: 'line 1\n' }, { ctor: 2, children: [{ text: 'line 2' }] }] } });
    const png = new Uint8Array([1, 2, 3]);
    const out = adapter.toLmMessages([
      message(3, [new LanguageModelTextPart('You are an agent.')]),
      message(2, [new LanguageModelTextPart('Reading.'), new LanguageModelToolCallPart('c:0', 'read_file', { path: 'a.ts' })]),
      message(1, [new LanguageModelToolResultPart('c:0', [new LanguageModelTextPart('A: '), tsx, { unknown: true }]), { mimeType: 'image/png', data: png }, 42]),
    ]);
    assert.deepEqual(out, [
      { role: 'system', parts: [{ kind: 'text', text: 'You are an agent.' }] },
      { role: 'assistant', parts: [{ kind: 'text', text: 'Reading.' }, { kind: 'toolCall', callId: 'c:0', name: 'read_file', input: { path: 'a.ts' } }] },
      { role: 'user', parts: [{ kind: 'toolResult', callId: 'c:0', text: 'A: line 1\nline 2' }, { kind: 'data', mimeType: 'image/png', data: png }] },
    ]);
  });
});
