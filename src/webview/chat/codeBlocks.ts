/**
 * Adds a toolbar (Copy, Insert at Cursor, Open in New Editor) to each rendered code block. The
 * buttons are built with DOM calls, after sanitising; the code they act on is read from the
 * block's text when clicked, and goes to the host as a `codeAction` message.
 */
import type { CodeAction } from '../../core/chat/protocol';

const ACTIONS: ReadonlyArray<{ action: CodeAction; icon: string; title: string }> = [
  { action: 'copy', icon: 'copy', title: 'Copy' },
  { action: 'insert', icon: 'insert', title: 'Insert at Cursor' },
  { action: 'openInEditor', icon: 'go-to-file', title: 'Open in New Editor' },
];

function languageOf(code: Element | null): string {
  const cls = code?.getAttribute('class') ?? '';
  const match = /(?:^|\s)language-([\w+#.-]+)/.exec(cls);
  return match ? match[1] : '';
}

/** Wraps every undecorated `pre` under `root` in a `.code-block` with a toolbar. */
export function decorateCodeBlocks(root: HTMLElement): void {
  const doc = root.ownerDocument;
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    if (pre.parentElement?.classList.contains('code-block')) {
      continue;
    }
    const wrapper = doc.createElement('div');
    wrapper.className = 'code-block';
    const bar = doc.createElement('div');
    bar.className = 'code-toolbar';
    const language = languageOf(pre.querySelector('code'));
    const label = doc.createElement('span');
    label.className = 'code-language';
    label.textContent = language;
    bar.appendChild(label);
    for (const { action, icon, title } of ACTIONS) {
      const button = doc.createElement('button');
      button.type = 'button';
      button.className = 'icon-button';
      button.title = title;
      button.setAttribute('aria-label', title);
      button.dataset.codeAction = action;
      const glyph = doc.createElement('span');
      glyph.className = `codicon codicon-${icon}`;
      glyph.setAttribute('aria-hidden', 'true');
      button.appendChild(glyph);
      bar.appendChild(button);
    }
    pre.replaceWith(wrapper);
    wrapper.append(bar, pre);
  }
}

/** The action, code and language behind a click on a toolbar button, if it was one. */
export function codeActionOf(target: EventTarget | null): { action: CodeAction; code: string; language: string } | undefined {
  const button = (target as Element | null)?.closest?.('button[data-code-action]') as HTMLElement | null | undefined;
  const block = button?.closest('.code-block');
  const code = block?.querySelector('pre code') ?? block?.querySelector('pre');
  const action = button?.dataset.codeAction as CodeAction | undefined;
  if (!button || !code || !action) {
    return undefined;
  }
  return { action, code: code.textContent ?? '', language: languageOf(block?.querySelector('pre code') ?? null) };
}
