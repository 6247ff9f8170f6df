/** Tiny DOM builders for the chat webview: text is always set as text, never parsed as HTML. */

export interface ElementProps {
  className?: string;
  text?: string;
  title?: string;
  role?: string;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, children: readonly Node[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) {
    node.className = props.className;
  }
  if (props.text !== undefined) {
    node.textContent = props.text;
  }
  if (props.title) {
    node.title = props.title;
  }
  if (props.role) {
    node.setAttribute('role', props.role);
  }
  node.append(...children);
  return node;
}

/** A codicon glyph (decorative: hidden from screen readers). */
export function icon(name: string, extraClass = ''): HTMLElement {
  const node = el('span', { className: `codicon codicon-${name}${extraClass ? ` ${extraClass}` : ''}` });
  node.setAttribute('aria-hidden', 'true');
  return node;
}
