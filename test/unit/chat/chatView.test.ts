import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { SessionView, TurnView } from '../../../src/core/chat/protocol';

/** The webview modules use the DOM globals; give them a jsdom window for these tests. */
function installDom(): JSDOM {
  const dom = new JSDOM('<!DOCTYPE html><body></body>', { pretendToBeVisual: true });
  const g = globalThis as Record<string, unknown>;
  g.window = dom.window;
  g.document = dom.window.document;
  g.requestAnimationFrame = (cb: () => void) => setTimeout(cb, 0) as unknown as number;
  return dom;
}

function turn(partial: Partial<TurnView>): TurnView {
  return { id: 'turn-1', userText: 'What does app.ts do?', attachments: [], thinking: true, reasoning: '', answer: '', tools: [], status: 'streaming', startedAt: 0, ...partial };
}

describe('chat webview', () => {
  let dom: JSDOM;
  before(() => {
    dom = installDom();
  });
  after(() => {
    const g = globalThis as Record<string, unknown>;
    delete g.window;
    delete g.document;
    delete g.requestAnimationFrame;
    dom.window.close();
  });

  async function transcriptView() {
    const { TranscriptView } = await import('../../../src/webview/chat/transcriptView');
    const { createMarkdownRenderer } = await import('../../../src/webview/chat/markdown');
    const root = document.createElement('main');
    document.body.appendChild(root);
    const calls: string[] = [];
    const view = new TranscriptView(root, createMarkdownRenderer(dom.window as unknown as Window), {
      retry: (id) => calls.push(`retry ${id}`),
      setApiKey: () => calls.push('setApiKey'),
    });
    return { view, root, calls };
  }

  it('keeps the Thinking section open while thinking, collapses it when the answer starts, and shows the duration', async () => {
    const { view, root } = await transcriptView();
    view.upsert(turn({}));
    view.appendDelta('turn-1', 'reasoning', 'Let me **look**.');
    view.flush();
    const details = root.querySelector('details.thinking') as HTMLDetailsElement;
    assert.equal(details.hidden, false);
    assert.equal(details.open, true);
    assert.equal(details.querySelector('summary')?.textContent, 'Thinking…');
    assert.ok(details.querySelector('strong'), 'reasoning is rendered markdown');
    view.appendDelta('turn-1', 'answer', 'It starts');
    view.upsert(turn({ reasoning: 'Let me **look**.', answer: 'It starts', reasoningMs: 4_200 }));
    view.flush();
    assert.equal(details.open, false, 'collapsed when the answer starts');
    assert.equal(details.querySelector('summary')?.textContent, 'Thought for 4.2 s');
    assert.equal(root.querySelector('.answer')?.textContent?.trim(), 'It starts');
  });

  it('shows tool calls compactly, usage, and errors with their actions', async () => {
    const { view, root, calls } = await transcriptView();
    view.upsert(
      turn({
        status: 'error',
        answer: '',
        tools: [
          { id: 'a', name: 'read_file', label: 'read_file src/app.ts', status: 'ok', detail: 'lines 1-5 of 5' },
          { id: 'b', name: 'read_file', label: 'read_file .env', status: 'refused', detail: 'secret file' },
        ],
        error: { kind: 'auth', message: 'The API key was rejected.', actions: ['setApiKey', 'retry'] },
        usage: { prompt: 12_300, cached: 10_000, output: 150, cost: 0.0021 },
      }),
    );
    view.flush();
    assert.deepEqual(
      Array.from(root.querySelectorAll('.tools li')).map((li) => li.className),
      ['tool ok', 'tool refused'],
    );
    assert.equal(root.querySelector('.status .error')?.textContent, 'The API key was rejected.');
    assert.equal(root.querySelector('.usage')?.textContent, '12K prompt (10K cached) · 150 output · $0.0021');
    const buttons = Array.from(root.querySelectorAll<HTMLButtonElement>('.status button'));
    assert.deepEqual(buttons.map((b) => b.textContent), ['Set API Key', 'Retry']);
    buttons.forEach((b) => b.click());
    assert.deepEqual(calls, ['setApiKey', 'retry turn-1']);
  });

  it('holds Retry back until a rate limit has passed', async () => {
    const { view, root, calls } = await transcriptView();
    view.upsert(turn({ status: 'error', error: { kind: 'rateLimit', message: 'Try again in 30 s.', actions: ['retry'], retryAt: Date.now() + 30_000 } }));
    view.flush();
    const retry = root.querySelector<HTMLButtonElement>('button.retry')!;
    assert.equal(retry.disabled, true);
    assert.match(retry.textContent ?? '', /^Retry in (29|30) s$/);
    retry.click();
    assert.deepEqual(calls, []);
    view.reset([]);
  });

  it('renders user text as text, never as HTML', async () => {
    const { view, root } = await transcriptView();
    view.upsert(turn({ userText: '<img src=x onerror=alert(1)> **not bold**', status: 'done' }));
    view.flush();
    assert.equal(root.querySelector('.user-text')?.textContent, '<img src=x onerror=alert(1)> **not bold**');
    assert.equal(root.querySelectorAll('img, strong').length, 0);
  });

  it('composer: Enter sends, Shift+Enter does not, Send turns into Stop while busy, the mode toggles', async () => {
    const { Composer } = await import('../../../src/webview/chat/composer');
    const sent: string[] = [];
    const composer = new Composer({
      send: (text, thinking) => sent.push(`${thinking ? 'thinking' : 'instant'}: ${text}`),
      stop: () => sent.push('stop'),
      setThinking: (t) => sent.push(`mode ${t}`),
      removeAttachment: () => undefined,
      draft: () => undefined,
      newChat: () => sent.push('new'),
    });
    document.body.appendChild(composer.root);
    const input = composer.root.querySelector('textarea')!;
    assert.equal(input.getAttribute('aria-label'), 'Ask Moonpilot');
    const key = (init: KeyboardEventInit) => input.dispatchEvent(new dom.window.KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
    input.value = 'line one';
    key({ key: 'Enter', shiftKey: true });
    assert.deepEqual(sent, [], 'Shift+Enter does not send');
    key({ key: 'Enter' });
    assert.deepEqual(sent, ['thinking: line one']);
    assert.equal(input.value, '');
    const send = composer.root.querySelector<HTMLButtonElement>('button.send')!;
    assert.equal(send.getAttribute('aria-label'), 'Send');
    const session: SessionView = { totals: { prompt: 0, cached: 0, output: 0, cost: 0 }, conversationTokens: 1_000, contextWindow: 262_144, model: 'kimi-k2.6', modelLabel: 'Kimi K2.6', reasoning: { kind: 'switchable' }, priced: true, contextFiles: 0, busy: true };
    composer.setSession(session);
    assert.equal(send.getAttribute('aria-label'), 'Stop');
    input.value = 'typed while busy';
    key({ key: 'Enter' });
    send.click();
    assert.deepEqual(sent, ['thinking: line one', 'stop'], 'Enter does nothing while busy; the button stops');
    assert.equal(input.value, 'typed while busy', 'text typed while busy is kept');
    composer.setSession({ ...session, busy: false });
    const instant = Array.from(composer.root.querySelectorAll<HTMLButtonElement>('.mode-button')).find((b) => b.textContent === 'Instant')!;
    instant.click();
    assert.equal(instant.getAttribute('aria-pressed'), 'true');
    send.click();
    assert.deepEqual(sent.slice(2), ['mode false', 'instant: typed while busy']);
    assert.match(composer.root.querySelector('.size-text')?.textContent ?? '', /^1\.0K \/ 262K$/);
  });
  it('header: the model, an effort picker where the family has one, the switch offer when settings name another model', async () => {
    const { ModelHeader } = await import('../../../src/webview/chat/modelHeader');
    const { Composer } = await import('../../../src/webview/chat/composer');
    const calls: string[] = [];
    const header = new ModelHeader({ setEffort: (e) => calls.push(`effort ${e}`), switchModel: () => calls.push('switch') });
    const composer = new Composer({ send: () => undefined, stop: () => undefined, setThinking: () => undefined, removeAttachment: () => undefined, draft: () => undefined, newChat: () => undefined });
    document.body.append(header.root, composer.root);
    const base: SessionView = { totals: { prompt: 0, cached: 0, output: 0, cost: 0 }, conversationTokens: 0, contextWindow: 1_048_576, model: 'kimi-k3', modelLabel: 'Kimi K3', reasoning: { kind: 'effort', effort: 'high', levels: ['low', 'high', 'max'] }, priced: true, contextFiles: 0, busy: false };
    header.setSession(base);
    composer.setSession(base);
    const select = header.root.querySelector<HTMLSelectElement>('select.effort')!;
    assert.equal(header.root.querySelector('.model-name')?.textContent, 'Kimi K3');
    assert.equal(select.hidden, false);
    assert.deepEqual(Array.from(select.options).map((o) => o.value), ['low', 'high', 'max']);
    assert.equal(select.value, 'high');
    assert.equal(composer.root.querySelector<HTMLElement>('.mode')!.hidden, true, 'K3 has no Thinking/Instant switch');
    select.value = 'low';
    select.dispatchEvent(new dom.window.Event('change'));
    assert.deepEqual(calls, ['effort low']);
    const switchButton = header.root.querySelector<HTMLButtonElement>('button.switch-model')!;
    assert.equal(switchButton.hidden, true);

    const k26: SessionView = { ...base, model: 'kimi-k2.6', modelLabel: 'Kimi K2.6', reasoning: { kind: 'switchable' }, configuredModel: 'kimi-k3' };
    header.setSession(k26);
    composer.setSession(k26);
    assert.equal(select.hidden, true);
    assert.equal(composer.root.querySelector<HTMLElement>('.mode')!.hidden, false);
    assert.equal(switchButton.hidden, false);
    assert.equal(switchButton.textContent, 'Switch to kimi-k3');
    switchButton.click();
    assert.deepEqual(calls, ['effort low', 'switch']);
    header.setSession({ ...base, model: 'kimi-k2.7-code', modelLabel: 'Kimi K2.7 Code', reasoning: { kind: 'always' } });
    assert.match(header.root.textContent ?? '', /always thinks/);
  });
});
