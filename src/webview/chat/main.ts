/**
 * Chat webview entry (browser bundle). Builds the view, says `ready`, then shows what the host
 * sends; the host owns the transcript, so a fresh webview is fully restored by the `init` reply.
 * Clicks on links never navigate: http(s) links go to the host, which opens them through VS Code.
 */
import type { HostToWebview, WebviewToHost } from '../../core/chat/protocol';
import { codeActionOf } from './codeBlocks';
import { Composer } from './composer';
import { el } from './dom';
import { createMarkdownRenderer } from './markdown';
import { ModelHeader } from './modelHeader';
import { TranscriptView } from './transcriptView';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (message: WebviewToHost): void => vscode.postMessage(message);

const log = el('main', { className: 'transcript', role: 'log' });
log.setAttribute('aria-label', 'Moonpilot chat transcript');
log.setAttribute('aria-live', 'polite');
log.tabIndex = 0;
const transcript = new TranscriptView(log, createMarkdownRenderer(window), {
  retry: (turnId) => post({ type: 'retry', turnId }),
  setApiKey: () => post({ type: 'setApiKey' }),
});
const composer = new Composer({
  send: (text, thinking) => post({ type: 'send', text, thinking }),
  stop: () => post({ type: 'stop' }),
  setThinking: (thinking) => post({ type: 'setThinking', thinking }),
  removeAttachment: (id) => post({ type: 'removeAttachment', id }),
  draft: (text) => post({ type: 'draft', text }),
  newChat: () => post({ type: 'newChat' }),
});
const header = new ModelHeader({
  setEffort: (effort) => post({ type: 'setEffort', effort }),
  switchModel: () => post({ type: 'switchModel' }),
});
document.body.replaceChildren(el('div', { className: 'app' }, [header.root, log, composer.root]));

log.addEventListener('click', (event) => {
  const code = codeActionOf(event.target);
  if (code) {
    post({ type: 'codeAction', ...code });
    return;
  }
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (anchor) {
    event.preventDefault();
    const href = anchor.getAttribute('href') ?? '';
    if (/^https?:\/\//i.test(href)) {
      post({ type: 'openLink', href });
    }
  }
});

function isHostMessage(data: unknown): data is HostToWebview {
  return typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string';
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isHostMessage(message)) {
    return;
  }
  switch (message.type) {
    case 'init':
      transcript.reset(message.state.turns);
      composer.setThinking(message.state.thinking);
      composer.setAttachments(message.state.attachments);
      composer.setSession(message.state.session);
      header.setSession(message.state.session);
      composer.setDraft(message.state.draft);
      post({ type: 'rendered', turnIds: transcript.ids() });
      break;
    case 'turn':
      transcript.upsert(message.turn);
      break;
    case 'delta':
      transcript.appendDelta(message.turnId, message.part, message.text);
      break;
    case 'session':
      composer.setSession(message.session);
      header.setSession(message.session);
      break;
    case 'attachments':
      composer.setAttachments(message.attachments);
      break;
    case 'thinkingMode':
      composer.setThinking(message.thinking);
      break;
    case 'restoreInput':
      composer.restore(message.text);
      break;
    case 'focusInput':
      composer.focus();
      break;
  }
});

post({ type: 'ready' });
