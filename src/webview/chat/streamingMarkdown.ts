/**
 * Renders a growing markdown text without re-parsing all of it per token: the text is cut at
 * block boundaries (a blank line outside a code fence, followed by an unindented line); each
 * completed block is rendered once and kept, and only the open block at the end is rendered
 * again on each update. Updates are expected at most once per animation frame (the caller
 * batches tokens).
 */
import type { MarkdownRenderer } from './markdown';

/** Scans markdown line by line, remembering fences, to find where settled blocks end. */
export class BlockScanner {
  /** Offset of the first character not yet scanned (always at a line start). */
  private pos = 0;
  private fence: { char: string; length: number } | undefined;
  private sawBlank = false;
  /** Offset where the settled part ends: everything before it is complete blocks. */
  settled = 0;

  /** Scans the complete lines of `text` not scanned yet; returns the settled offset. */
  scan(text: string): number {
    for (;;) {
      const nl = text.indexOf('\n', this.pos);
      if (nl === -1) {
        return this.settled;
      }
      const line = text.slice(this.pos, nl);
      const lineStart = this.pos;
      this.pos = nl + 1;
      const fenceMatch = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
      if (this.fence) {
        if (fenceMatch && fenceMatch[1][0] === this.fence.char && fenceMatch[1].length >= this.fence.length && fenceMatch[2].trim() === '') {
          this.fence = undefined;
        }
        continue;
      }
      if (line.trim() === '') {
        this.sawBlank = true;
        continue;
      }
      if (this.sawBlank && !/^[ \t]/.test(line)) {
        // A new top-level block starts here: everything before it has settled.
        this.settled = lineStart;
      }
      this.sawBlank = false;
      if (fenceMatch && !(fenceMatch[1][0] === '`' && fenceMatch[2].includes('`'))) {
        this.fence = { char: fenceMatch[1][0], length: fenceMatch[1].length };
      }
    }
  }
}

/** Drops an unfinished last line that opens a fence (its language tag may still be arriving). */
function withoutOpeningFenceLine(tail: string): string {
  const lastLine = tail.slice(tail.lastIndexOf('\n') + 1);
  return /^ {0,3}(`{3,}|~{3,})/.test(lastLine) ? tail.slice(0, tail.length - lastLine.length) : tail;
}

export class StreamingMarkdown {
  private readonly settledEl: HTMLElement;
  private readonly tailEl: HTMLElement;
  private scanner = new BlockScanner();
  private rendered = 0;
  private text = '';

  constructor(
    private readonly container: HTMLElement,
    private readonly renderer: MarkdownRenderer,
    /** Called with each element whose content was (re)rendered, e.g. to add code-block buttons. */
    private readonly decorate: (el: HTMLElement) => void = () => undefined,
  ) {
    const doc = container.ownerDocument;
    this.settledEl = doc.createElement('div');
    this.tailEl = doc.createElement('div');
    this.settledEl.className = 'md-settled';
    this.tailEl.className = 'md-tail';
    container.replaceChildren(this.settledEl, this.tailEl);
  }

  /** Shows `text` (the whole text so far; it only ever grows while streaming). */
  update(text: string): void {
    if (!text.startsWith(this.text)) {
      this.reset();
    }
    this.text = text;
    const settled = this.scanner.scan(text);
    if (settled > this.rendered) {
      const block = this.container.ownerDocument.createElement('div');
      block.className = 'md-block';
      this.renderer.renderInto(block, text.slice(this.rendered, settled));
      this.decorate(block);
      this.settledEl.appendChild(block);
      this.rendered = settled;
    }
    this.renderer.renderInto(this.tailEl, withoutOpeningFenceLine(text.slice(this.rendered)));
    this.decorate(this.tailEl);
  }

  /** How much of the text is frozen in settled blocks (for tests and diagnostics). */
  get settledLength(): number {
    return this.rendered;
  }

  private reset(): void {
    this.scanner = new BlockScanner();
    this.rendered = 0;
    this.text = '';
    this.settledEl.replaceChildren();
    this.tailEl.replaceChildren();
  }
}
