import * as assert from 'node:assert/strict';
import { isWebLink, MAX_TEXT_CHARS, parseWebviewMessage } from '../../../src/core/chat/protocol';

describe('chat protocol: messages from the webview', () => {
  it('accepts each well-formed message and returns a fresh copy', () => {
    const good: unknown[] = [
      { type: 'ready' },
      { type: 'stop' },
      { type: 'newChat' },
      { type: 'setApiKey' },
      { type: 'rendered', turnIds: ['turn-a', 'turn-b'] },
      { type: 'send', text: 'Explain app.ts', thinking: true },
      { type: 'retry', turnId: 'turn-lq2-1-x' },
      { type: 'setThinking', thinking: false },
      { type: 'setEffort', effort: 'low' },
      { type: 'setEffort', effort: 'max' },
      { type: 'switchModel' },
      { type: 'removeAttachment', id: 'att-1' },
      { type: 'draft', text: '' },
      { type: 'codeAction', action: 'insert', code: 'let x = 1;', language: 'typescript' },
      { type: 'codeAction', action: 'openInEditor', code: 'x', language: 'c++' },
      { type: 'openLink', href: 'https://platform.moonshot.ai/docs' },
    ];
    for (const raw of good) {
      const parsed = parseWebviewMessage(raw);
      assert.deepEqual(parsed, raw, JSON.stringify(raw));
      assert.notEqual(parsed, raw);
    }
  });

  it('rejects anything malformed', () => {
    const bad: unknown[] = [
      undefined,
      null,
      'ready',
      42,
      [],
      {},
      { type: 'nope' },
      { type: 'ready', extra: 1 },
      { type: 'send', text: 'hi' },
      { type: 'send', text: '   ', thinking: true },
      { type: 'send', text: 5, thinking: true },
      { type: 'send', text: 'x'.repeat(MAX_TEXT_CHARS + 1), thinking: true },
      { type: 'send', text: 'hi', thinking: 'yes' },
      { type: 'send', text: 'hi', thinking: true, model: 'other' },
      { type: 'retry', turnId: '' },
      { type: 'retry', turnId: '../../etc' },
      { type: 'retry', turnId: '<img>' },
      { type: 'removeAttachment', id: 7 },
      { type: 'rendered', turnIds: 'turn-a' },
      { type: 'rendered', turnIds: [1] },
      { type: 'codeAction', action: 'exec', code: 'rm -rf /', language: 'sh' },
      { type: 'codeAction', action: 'copy', code: 'x', language: '"><script>' },
      { type: 'codeAction', action: 'copy', code: 'x' },
      { type: 'openLink', href: 'javascript:alert(1)' },
      { type: 'openLink', href: 'command:workbench.action.terminal.new' },
      { type: 'openLink', href: 'file:///etc/passwd' },
      { type: 'openLink', href: 'vscode://settings' },
      { type: 'openLink', href: 'data:text/html,<script>alert(1)</script>' },
      { type: 'openLink', href: '/relative' },
      { type: 'openLink', href: 'https://user:pass@example.com/' },
      { type: 'setThinking', thinking: 1 },
      { type: 'setEffort', effort: 'medium' },
      { type: 'setEffort' },
      { type: 'switchModel', model: 'kimi-k3' },
      { type: 'draft', text: null },
    ];
    for (const raw of bad) {
      assert.equal(parseWebviewMessage(raw), undefined, JSON.stringify(raw)?.slice(0, 80));
    }
  });

  it('lets only absolute http(s) links out', () => {
    assert.ok(isWebLink('http://localhost:8080/x'));
    assert.ok(isWebLink('https://example.com/a?b#c'));
    for (const href of ['javascript:void(0)', 'JAVASCRIPT:alert(1)', 'mailto:a@b.c', 'ftp://x', 'vscode-webview://x', '//example.com', 'https://']) {
      assert.ok(!isWebLink(href), href);
    }
  });
});
