/**
 * The transcript in the webview: one `<article>` per turn with the user's text and attachments,
 * a "Thinking" `<details>` (open while thinking, collapsed once the answer starts, with its
 * duration), compact tool-call lines, the answer as streamed markdown, the status with its
 * actions, and the turn's tokens and cost. Text deltas are applied at most once per animation
 * frame. Everything from the model goes through the sanitising renderer; everything else is
 * set as text.
 */
import { formatCost, formatDuration, formatTokens } from '../../core/chat/format';
import type { AttachmentView, TokenCounts, ToolCallView, TurnView } from '../../core/chat/protocol';
import { decorateCodeBlocks } from './codeBlocks';
import { el, icon } from './dom';
import type { MarkdownRenderer } from './markdown';
import { StreamingMarkdown } from './streamingMarkdown';

export interface TranscriptActions {
  retry(turnId: string): void;
  setApiKey(): void;
}

interface TurnDom {
  view: TurnView;
  article: HTMLElement;
  thinking: HTMLDetailsElement;
  thinkingSummary: HTMLElement;
  reasoning: StreamingMarkdown;
  tools: HTMLElement;
  answer: StreamingMarkdown;
  answerEl: HTMLElement;
  status: HTMLElement;
  usage: HTMLElement;
  collapsedOnce: boolean;
  textDirty: boolean;
  metaDirty: boolean;
}

export function usageText(u: TokenCounts): string {
  const approx = u.estimated ? '≈' : '';
  const text = `${approx}${formatTokens(u.prompt)} prompt (${formatTokens(u.cached)} cached) · ${approx}${formatTokens(u.output)} output · ${approx}${formatCost(u.cost)}`;
  return u.estimated ? `${text} (estimated: stopped before Kimi reported usage)` : text;
}

export function attachmentLabel(a: AttachmentView): string {
  const lines = a.startLine !== undefined && a.endLine !== undefined ? `:${a.startLine}-${a.endLine}` : '';
  return `${a.path}${lines}`;
}

export class TranscriptView {
  private readonly turns = new Map<string, TurnDom>();
  private readonly empty: HTMLElement;
  private frame: number | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly renderer: MarkdownRenderer,
    private readonly actions: TranscriptActions,
  ) {
    this.empty = el('div', { className: 'empty' }, [
      el('p', { text: 'Ask about your workspace.' }),
      el('p', { text: 'Moonpilot sees the files you have open and can list, read and search the others (never secrets such as .env).' }),
    ]);
    root.appendChild(this.empty);
  }

  ids(): string[] {
    return [...this.turns.keys()];
  }

  reset(turns: readonly TurnView[]): void {
    for (const t of this.turns.values()) {
      t.article.remove();
    }
    this.turns.clear();
    for (const turn of turns) {
      this.upsert(turn);
    }
    this.flush();
    this.scrollToEnd();
  }

  upsert(view: TurnView): void {
    let dom = this.turns.get(view.id);
    if (!dom) {
      dom = this.create(view);
      this.turns.set(view.id, dom);
      this.root.appendChild(dom.article);
    }
    const grewText = view.answer !== dom.view.answer || view.reasoning !== dom.view.reasoning;
    dom.view = { ...view };
    dom.textDirty ||= grewText;
    dom.metaDirty = true;
    this.schedule();
  }

  appendDelta(turnId: string, part: 'reasoning' | 'answer', text: string): void {
    const dom = this.turns.get(turnId);
    if (!dom) {
      return;
    }
    dom.view[part] += text;
    dom.textDirty = true;
    if (part === 'answer' && dom.view.answer.length === text.length) {
      dom.metaDirty = true; // the answer started: collapse the thinking
    }
    this.schedule();
  }

  private create(view: TurnView): TurnDom {
    const article = el('article', { className: 'turn' });
    article.dataset.turnId = view.id;
    const user = el('div', { className: 'user' }, [
      el('div', { className: 'attachments' }, view.attachments.map((a) => el('span', { className: 'chip', title: attachmentLabel(a) }, [icon(a.kind === 'file' ? 'file' : 'selection'), el('span', { text: attachmentLabel(a) })]))),
      el('div', { className: 'user-text', text: view.userText }),
    ]);
    const thinkingSummary = el('summary', { text: 'Thinking…' });
    const reasoningEl = el('div', { className: 'md reasoning' });
    const thinking = el('details', { className: 'thinking' }, [thinkingSummary, reasoningEl]) as HTMLDetailsElement;
    const tools = el('ul', { className: 'tools' });
    const answerEl = el('div', { className: 'md answer' });
    const status = el('div', { className: 'status' });
    const usage = el('div', { className: 'usage' });
    article.append(user, thinking, tools, answerEl, status, usage);
    return {
      view: { ...view, reasoning: '', answer: '' },
      article,
      thinking,
      thinkingSummary,
      reasoning: new StreamingMarkdown(reasoningEl, this.renderer, decorateCodeBlocks),
      tools,
      answer: new StreamingMarkdown(answerEl, this.renderer, decorateCodeBlocks),
      answerEl,
      status,
      usage,
      collapsedOnce: false,
      textDirty: true,
      metaDirty: true,
    };
  }

  private schedule(): void {
    if (this.frame === undefined) {
      this.frame = requestAnimationFrame(() => {
        this.frame = undefined;
        this.flush();
      });
    }
  }

  /** Applies pending changes to the DOM (once per frame while streaming). */
  flush(): void {
    const stick = this.nearEnd();
    for (const dom of this.turns.values()) {
      if (dom.textDirty) {
        dom.textDirty = false;
        dom.reasoning.update(dom.view.reasoning);
        dom.answer.update(dom.view.answer);
      }
      if (dom.metaDirty) {
        dom.metaDirty = false;
        this.renderMeta(dom);
      }
    }
    this.empty.hidden = this.turns.size > 0;
    this.updateCountdowns();
    if (stick) {
      this.scrollToEnd();
    }
  }

  private renderMeta(dom: TurnDom): void {
    const v = dom.view;
    const streaming = v.status === 'streaming';
    dom.article.classList.toggle('streaming', streaming);
    dom.article.dataset.status = v.status;

    // Thinking: open while thinking, collapsed once when the answer starts.
    dom.thinking.hidden = v.reasoning.length === 0 && !(streaming && v.thinking && v.answer.length === 0);
    if (v.answer.length > 0 || !streaming) {
      if (!dom.collapsedOnce) {
        dom.thinking.open = false;
        dom.collapsedOnce = true;
      }
    } else if (!dom.collapsedOnce) {
      dom.thinking.open = true;
    }
    dom.thinkingSummary.textContent =
      streaming && v.answer.length === 0 ? 'Thinking…' : v.reasoningMs !== undefined ? `Thought for ${formatDuration(v.reasoningMs)}` : 'Thinking';

    dom.tools.replaceChildren(...v.tools.map(toolLine));
    dom.tools.hidden = v.tools.length === 0;
    dom.answerEl.hidden = v.answer.length === 0 && !(streaming && (!v.thinking || v.reasoning.length > 0));

    dom.status.replaceChildren(...this.statusChildren(v));
    dom.status.hidden = dom.status.childElementCount === 0;
    dom.usage.textContent = v.usage ? usageText(v.usage) : '';
    dom.usage.hidden = !v.usage;
  }

  private statusChildren(v: TurnView): HTMLElement[] {
    const children: HTMLElement[] = [];
    if (v.status === 'streaming' && v.answer.length === 0 && v.reasoning.length === 0 && v.tools.length === 0) {
      children.push(el('span', { className: 'pending' }, [icon('loading', 'codicon-modifier-spin'), el('span', { text: 'Waiting for Kimi…' })]));
    }
    if (v.status === 'stopped') {
      children.push(el('span', { className: 'stopped' }, [icon('debug-stop'), el('span', { text: 'Stopped.' })]));
    }
    if (v.status === 'error' && v.error) {
      children.push(el('div', { className: 'error', role: 'alert' }, [icon('error'), el('span', { text: v.error.message })]));
    }
    if (v.notice) {
      children.push(el('div', { className: 'notice' }, [icon('info'), el('span', { text: v.notice })]));
    }
    const actions: HTMLElement[] = [];
    if (v.status === 'error' && v.error?.actions.includes('setApiKey')) {
      const b = el('button', { className: 'action', text: 'Set API Key' });
      b.addEventListener('click', () => this.actions.setApiKey());
      actions.push(b);
    }
    if ((v.status === 'error' && v.error?.actions.includes('retry')) || v.status === 'stopped') {
      const b = el('button', { className: 'action retry', text: 'Retry' });
      if (v.error?.retryAt !== undefined) {
        b.dataset.retryAt = String(v.error.retryAt);
      }
      b.addEventListener('click', () => {
        if (!b.disabled) {
          this.actions.retry(v.id);
        }
      });
      actions.push(b);
    }
    if (actions.length > 0) {
      children.push(el('div', { className: 'actions' }, actions));
    }
    return children;
  }

  /** "Retry in N s" on rate-limited turns, enabled when the wait is over. */
  private updateCountdowns(): void {
    let waiting = false;
    for (const button of Array.from(this.root.querySelectorAll<HTMLButtonElement>('button.retry[data-retry-at]'))) {
      const left = Math.ceil((Number(button.dataset.retryAt) - Date.now()) / 1_000);
      button.disabled = left > 0;
      button.textContent = left > 0 ? `Retry in ${left} s` : 'Retry';
      waiting ||= left > 0;
    }
    if (waiting && this.timer === undefined) {
      this.timer = setInterval(() => this.updateCountdowns(), 1_000);
    } else if (!waiting && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private nearEnd(): boolean {
    const scroller = this.root;
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  }

  private scrollToEnd(): void {
    this.root.scrollTop = this.root.scrollHeight;
  }
}

function toolLine(t: ToolCallView): HTMLElement {
  const glyph = t.status === 'running' ? icon('loading', 'codicon-modifier-spin') : t.status === 'ok' ? icon('check') : t.status === 'refused' ? icon('circle-slash') : icon('warning');
  const line = el('li', { className: `tool ${t.status}`, title: t.detail ? `${t.label} — ${t.detail}` : t.label }, [glyph, el('span', { className: 'tool-label', text: t.label })]);
  if (t.detail) {
    line.appendChild(el('span', { className: 'tool-detail', text: t.detail }));
  }
  return line;
}
