/**
 * The input area: pending attachments, the "Ask Moonpilot" textarea (Enter sends, Shift+Enter
 * adds a line), the Thinking/Instant switch, the conversation's size against the window, Send
 * (Stop while an answer streams), and the session's tokens and cost.
 */
import { formatCost, formatTokens } from '../../core/chat/format';
import type { AttachmentView, SessionView } from '../../core/chat/protocol';
import { el, icon } from './dom';
import { attachmentLabel } from './transcriptView';

export interface ComposerActions {
  send(text: string, thinking: boolean): void;
  stop(): void;
  setThinking(thinking: boolean): void;
  removeAttachment(id: string): void;
  draft(text: string): void;
  newChat(): void;
}

export class Composer {
  readonly root: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly thinkingButton: HTMLButtonElement;
  private readonly instantButton: HTMLButtonElement;
  private readonly attachments: HTMLElement;
  private readonly size: HTMLElement;
  private readonly meter: HTMLElement;
  private readonly sessionLine: HTMLElement;
  private readonly mode: HTMLElement;
  private busy = false;
  private thinking = true;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly actions: ComposerActions) {
    this.attachments = el('div', { className: 'pending-attachments' });
    this.input = el('textarea', { className: 'input' });
    this.input.id = 'chat-input';
    this.input.rows = 3;
    this.input.placeholder = 'Ask Moonpilot about your workspace (Enter to send, Shift+Enter for a new line)';
    this.input.setAttribute('aria-label', 'Ask Moonpilot');
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('input', () => this.onInput());

    this.thinkingButton = this.modeButton('Thinking', 'lightbulb', true);
    this.instantButton = this.modeButton('Instant', 'zap', false);
    const mode = el('div', { className: 'mode', role: 'group', title: 'Thinking shows the model reasoning first; Instant answers directly' }, [this.thinkingButton, this.instantButton]);
    mode.setAttribute('aria-label', 'Answer mode');
    this.mode = mode;

    this.meter = el('span', { className: 'meter-fill' });
    this.size = el('span', { className: 'size-text' });
    const sizeBox = el('span', { className: 'size', title: 'Conversation size against the model context window' }, [el('span', { className: 'meter' }, [this.meter]), this.size]);

    this.sendButton = el('button', { className: 'send primary' });
    this.sendButton.type = 'button';
    this.sendButton.addEventListener('click', () => (this.busy ? this.actions.stop() : this.submit()));

    const newChat = el('button', { className: 'icon-button new-chat', title: 'New chat' }, [icon('add')]);
    newChat.type = 'button';
    newChat.setAttribute('aria-label', 'New chat');
    newChat.addEventListener('click', () => this.actions.newChat());

    this.sessionLine = el('div', { className: 'session-usage' });
    const bar = el('div', { className: 'composer-bar' }, [mode, sizeBox, el('span', { className: 'spacer' }), newChat, this.sendButton]);
    this.root = el('footer', { className: 'composer' }, [this.attachments, this.input, bar, this.sessionLine]);
    this.setBusy(false);
    this.setThinking(true);
  }

  private modeButton(label: string, glyph: string, thinking: boolean): HTMLButtonElement {
    const b = el('button', { className: 'mode-button' }, [icon(glyph), el('span', { text: label })]);
    b.type = 'button';
    b.addEventListener('click', () => {
      if (this.thinking !== thinking) {
        this.setThinking(thinking);
        this.actions.setThinking(thinking);
      }
    });
    return b;
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !e.isComposing) {
      e.preventDefault();
      if (!this.busy) {
        this.submit();
      }
    }
  }

  private onInput(): void {
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.actions.draft(this.input.value), 300);
  }

  private submit(): void {
    const text = this.input.value;
    if (text.trim().length === 0) {
      return;
    }
    this.input.value = '';
    clearTimeout(this.draftTimer);
    this.actions.send(text, this.thinking);
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.sendButton.replaceChildren(icon(busy ? 'debug-stop' : 'send'), el('span', { text: busy ? 'Stop' : 'Send' }));
    this.sendButton.setAttribute('aria-label', busy ? 'Stop' : 'Send');
    this.sendButton.title = busy ? 'Stop the answer' : 'Send (Enter)';
    this.sendButton.classList.toggle('stop', busy);
  }

  setThinking(thinking: boolean): void {
    this.thinking = thinking;
    this.thinkingButton.setAttribute('aria-pressed', String(thinking));
    this.instantButton.setAttribute('aria-pressed', String(!thinking));
  }

  setAttachments(list: readonly AttachmentView[]): void {
    this.attachments.replaceChildren(
      ...list.map((a) => {
        const remove = el('button', { className: 'icon-button', title: 'Remove' }, [icon('close')]);
        remove.type = 'button';
        remove.setAttribute('aria-label', `Remove ${attachmentLabel(a)}`);
        remove.addEventListener('click', () => this.actions.removeAttachment(a.id));
        return el('span', { className: 'chip', title: `${attachmentLabel(a)} (~${formatTokens(a.tokens)} tokens)` }, [icon(a.kind === 'file' ? 'file' : 'selection'), el('span', { text: attachmentLabel(a) }), remove]);
      }),
    );
    this.attachments.hidden = list.length === 0;
  }

  setSession(s: SessionView): void {
    this.setBusy(s.busy);
    // Only a model that can switch thinking off has the switch (K3's effort is in the header).
    this.mode.hidden = s.reasoning.kind !== 'switchable';
    const share = s.contextWindow > 0 ? Math.min(1, s.conversationTokens / s.contextWindow) : 0;
    this.meter.style.width = `${Math.round(share * 100)}%`;
    this.meter.classList.toggle('high', share > 0.8);
    this.size.textContent = `${formatTokens(s.conversationTokens)} / ${formatTokens(s.contextWindow)}`;
    const t = s.totals;
    this.sessionLine.textContent =
      t.prompt + t.output > 0
        ? `Session: ${formatTokens(t.prompt)} prompt (${formatTokens(t.cached)} cached) · ${formatTokens(t.output)} output · ${formatCost(t.cost)} · ${s.model}`
        : `${s.model}${s.contextFiles > 0 ? ` · ${s.contextFiles} files in context` : ''}`;
  }

  /** Puts text back (a failed send) unless the user already typed something new. */
  restore(text: string): void {
    if (this.input.value.trim() === '') {
      this.input.value = text;
    } else if (!this.input.value.includes(text)) {
      this.input.value = `${text}\n${this.input.value}`;
    }
    this.focus();
  }

  setDraft(text: string): void {
    if (this.input.value === '') {
      this.input.value = text;
    }
  }

  focus(): void {
    this.input.focus();
  }
}
