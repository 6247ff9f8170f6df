/**
 * Pulls the code out of a streamed model answer, incrementally, so code can be written into the
 * editor as it arrives while Markdown fences and prose around them never reach it.
 *
 * Accepted shapes: prose, then one fenced block (```lang … ```), then anything (ignored); or bare
 * code from the first character (e.g. `<!DOCTYPE html>`), optionally closed by a fence line.
 * A leading `<think>…</think>` (self-hosted servers that inline reasoning) is skipped. Only
 * the first code block is taken: the prompt asks for exactly one.
 */

export type ExtractionShape = 'fenced' | 'bare' | 'none';

/** A line opening a fence: up to 3 spaces, 3+ backticks or tildes, an info string. */
const OPEN_FENCE = /^ {0,3}(`{3,}|~{3,})[^`]*$/;
/** Code-looking first lines for answers without a fence. */
const CODE_START = /^\s*(<|import\s|export\s|['"]use (client|strict)['"]|\/\/|\/\*|const\s|let\s|function\s|type\s|interface\s|@)/;
/** A held-back partial line that could still become a closing fence. */
const MAYBE_FENCE = /^ {0,3}(`*|~*)[ \t\r]*$/;

export class CodeStreamExtractor {
  private state: 'start' | 'think' | 'prose' | 'code' | 'done' = 'start';
  private pending = '';
  private prose = '';
  private fence: { char: string; length: number } | undefined;
  private emitted = 0;
  /** The start of the current line was already emitted: it cannot be a fence any more. */
  private midLine = false;
  private shapeSeen: ExtractionShape = 'none';

  /** Feeds one chunk of the answer; returns the code to append now (possibly ''). */
  push(chunk: string): string {
    this.pending += chunk;
    let out = '';
    for (;;) {
      const before = this.state;
      out += this.step(false);
      if (this.state === before) {
        break;
      }
    }
    this.emitted += out.length;
    return out;
  }

  /** Ends the stream; returns the last code held back (a final line without a newline). */
  end(): string {
    let out = '';
    for (;;) {
      const before = this.state;
      out += this.step(true);
      if (this.state === before) {
        break;
      }
    }
    if (this.state !== 'code' && this.state !== 'done') {
      this.prose += this.pending; // an answer with no code at all
    }
    this.pending = '';
    this.emitted += out.length;
    this.state = 'done';
    return out;
  }

  /** How the code was found so far: in a fence, bare, or not at all (only prose). */
  get shape(): ExtractionShape {
    return this.shapeSeen;
  }

  /** Characters of code emitted so far. */
  get codeLength(): number {
    return this.emitted;
  }

  /** The prose seen outside code (what the model said instead, when `shape` is `none`). */
  get proseText(): string {
    return this.prose + (this.state === 'prose' || this.state === 'start' ? this.pending : '');
  }

  private step(final: boolean): string {
    switch (this.state) {
      case 'start':
        return this.start(final);
      case 'think': {
        const close = this.pending.indexOf('</think>');
        if (close >= 0) {
          this.pending = this.pending.slice(close + '</think>'.length);
          this.state = 'start';
        }
        return '';
      }
      case 'prose':
        return this.proseLines();
      case 'code':
        return this.codeLines(final);
      case 'done':
        this.pending = '';
        return '';
    }
  }

  private start(final: boolean): string {
    const text = this.pending.replace(/^\s+/, '');
    if (text === '') {
      return '';
    }
    if ('<think>'.startsWith(text.slice(0, 7)) && !final) {
      if (text.startsWith('<think>')) {
        this.pending = text.slice('<think>'.length);
        this.state = 'think';
      }
      return ''; // could still become "<think>": wait for more
    }
    const newline = text.indexOf('\n');
    const firstLine = newline >= 0 ? text.slice(0, newline) : text;
    if (/^[`~]/.test(text)) {
      if (newline < 0 && !final) {
        return ''; // wait for the whole fence line
      }
      if (OPEN_FENCE.test(firstLine)) {
        this.openFence(firstLine);
        this.pending = newline >= 0 ? text.slice(newline + 1) : '';
        return '';
      }
    }
    if (CODE_START.test(text)) {
      this.state = 'code';
      this.shapeSeen = 'bare';
      this.pending = text;
      return '';
    }
    if (newline < 0 && !final) {
      return ''; // decide on a whole first line
    }
    this.state = 'prose';
    return '';
  }

  private openFence(line: string): void {
    const marks = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1] ?? '```';
    this.fence = { char: marks[0], length: marks.length };
    this.state = 'code';
    this.shapeSeen = 'fenced';
  }

  private proseLines(): string {
    for (;;) {
      const newline = this.pending.indexOf('\n');
      if (newline < 0) {
        return '';
      }
      const line = this.pending.slice(0, newline);
      this.pending = this.pending.slice(newline + 1);
      if (OPEN_FENCE.test(line)) {
        this.openFence(line);
        return '';
      }
      this.prose += `${line}\n`;
    }
  }

  private isClosingFence(line: string): boolean {
    const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line.replace(/\r$/, ''));
    if (!m) {
      return false;
    }
    // Bare code ends at any fence line; fenced code at one of the same kind and at least as long.
    return !this.fence || (m[1][0] === this.fence.char && m[1].length >= this.fence.length);
  }

  private codeLines(final: boolean): string {
    let out = '';
    for (;;) {
      const newline = this.pending.indexOf('\n');
      if (newline < 0) {
        break;
      }
      const line = this.pending.slice(0, newline);
      this.pending = this.pending.slice(newline + 1);
      if (!this.midLine && this.isClosingFence(line)) {
        this.state = 'done';
        this.pending = '';
        return out;
      }
      this.midLine = false;
      out += `${line}\n`;
    }
    // The unfinished last line: stream it unless it may yet turn into a closing fence.
    if (final) {
      if (this.midLine || !this.isClosingFence(this.pending)) {
        out += this.pending;
      }
      this.pending = '';
    } else if (this.pending !== '' && (this.midLine || !MAYBE_FENCE.test(this.pending))) {
      out += this.pending;
      this.pending = '';
      this.midLine = true;
    }
    return out;
  }
}

/** Extracts the code from a whole answer at once (same rules as the streaming extractor). */
export function extractCode(answer: string): { code: string; shape: ExtractionShape } {
  const extractor = new CodeStreamExtractor();
  const code = extractor.push(answer) + extractor.end();
  return { code, shape: extractor.shape };
}
