/**
 * Decides, chunk by chunk, when a streamed completion has said enough, so the caller can stop
 * reading and abort the HTTP request (which closes the connection and stops the server from
 * generating tokens nobody will see).
 * - single line: at the first newline;
 * - multi-line: before a line that leaves the block the cursor is in (less indented); after the
 *   line that closes a block the completion opened (or the block opened just before the cursor);
 *   at a blank line once a statement is complete; before a line that repeats the next line
 *   already following the cursor; before a markdown fence; at the line cap.
 */
import { scanBrackets, scanRulesFor, type ScanRules } from './bracketScan';
import { MULTI_LINE_CAP } from './completionPrompt';
import { cursorLine, indentOf, indentWidth, type CompletionMode, type CursorSnapshot } from './completionTypes';

export type CutReason = 'newline' | 'blockEnd' | 'dedent' | 'blankLine' | 'repeatsSuffix' | 'fence' | 'lineCap';

export class StreamCutter {
  private raw = '';
  private kept: string | undefined;
  private checkedLines = 1; // line 0 continues the cursor's line and is never judged
  private readonly baseIndent: number;
  private readonly afterOpener: boolean;
  private readonly nextSuffixLine: string | undefined;
  private readonly rules: ScanRules;
  private readonly tabSize: number;
  /** Why the stream was cut, when it was. */
  reason: CutReason | undefined;

  constructor(snapshot: CursorSnapshot, private readonly mode: CompletionMode, private readonly lineCap = MULTI_LINE_CAP) {
    const { before } = cursorLine(snapshot);
    this.tabSize = snapshot.indent.tabSize;
    this.baseIndent = indentWidth(indentOf(before), this.tabSize);
    this.afterOpener = /(?:[{([:]|=>)\s*$/.test(before);
    this.nextSuffixLine = snapshot.suffix.split('\n').slice(1).find((line) => line.trim() !== '')?.trimEnd();
    this.rules = scanRulesFor(snapshot.languageId) ?? { hashComments: false, charLiteralsOnly: false };
  }

  /** The text to use: everything so far, or what was kept at the cut. */
  get text(): string {
    return this.kept ?? this.raw;
  }

  get stopped(): boolean {
    return this.kept !== undefined;
  }

  /** Adds a streamed chunk; true when the completion is complete and the stream should be aborted. */
  push(chunk: string): boolean {
    if (this.kept !== undefined) {
      return true;
    }
    this.raw += chunk;
    if (this.mode === 'singleLine') {
      const nl = this.raw.indexOf('\n');
      if (nl >= 0) {
        this.cut(this.raw.slice(0, nl), 'newline');
      }
      return this.stopped;
    }
    const lines = this.raw.split('\n');
    // Judge each line once it is complete (its newline has arrived).
    while (this.kept === undefined && this.checkedLines < lines.length - 1) {
      this.judge(lines, this.checkedLines);
      this.checkedLines++;
    }
    // A line that leaves the block is known by its first non-blank character: no need to wait for the rest.
    const open = lines[lines.length - 1];
    if (this.kept === undefined && lines.length > 1 && !this.afterOpener && open.trim() !== '' && indentWidth(indentOf(open), this.tabSize) < this.baseIndent) {
      this.cut(lines.slice(0, -1).join('\n'), 'dedent');
    }
    return this.stopped;
  }

  /**
   * The complete lines so far (multi-line mode), once there is at least one with code: what
   * can be shown while the rest of the block is still streaming. Undefined before that.
   */
  get completeLines(): string | undefined {
    if (this.mode !== 'multiLine') {
      return undefined;
    }
    const text = this.text;
    const end = this.stopped ? text.length : text.lastIndexOf('\n');
    const lines = end < 0 ? '' : text.slice(0, end);
    return lines.trim() === '' ? undefined : lines;
  }

  /** The stream ended by itself: judge the last, unterminated line too. */
  finish(): string {
    if (this.kept === undefined && this.mode === 'multiLine') {
      const lines = this.raw.split('\n');
      if (this.checkedLines < lines.length && lines[lines.length - 1].trim() !== '') {
        this.judge(lines, lines.length - 1);
      }
    }
    return this.text;
  }

  private judge(lines: string[], i: number): void {
    const line = lines[i];
    const before = lines.slice(0, i).join('\n');
    if (line.trim() === '') {
      if (i >= 1 && this.depth(before) <= 0 && lines.slice(0, i).some((l) => l.trim() !== '') && !this.afterOpener) {
        this.cut(before, 'blankLine');
      }
      return;
    }
    if (/^[ \t]*(```|~~~)/.test(line)) {
      this.cut(before, 'fence');
      return;
    }
    if (this.nextSuffixLine !== undefined && line.trimEnd() === this.nextSuffixLine) {
      this.cut(before, 'repeatsSuffix');
      return;
    }
    const indent = indentWidth(indentOf(line), this.tabSize);
    const through = lines.slice(0, i + 1).join('\n');
    if (this.afterOpener) {
      if (indent <= this.baseIndent) {
        this.cut(through, 'blockEnd'); // the closer of the block opened before the cursor
        return;
      }
    } else if (indent < this.baseIndent) {
      this.cut(before, 'dedent');
      return;
    } else if (indent === this.baseIndent && this.depth(before) > 0 && this.depth(through) <= 0) {
      this.cut(through, 'blockEnd'); // a block the completion opened is closed
      return;
    }
    if (i + 1 >= this.lineCap) {
      this.cut(through, 'lineCap');
    }
  }

  /** Brackets the completion itself has left open (negative when it closed outer ones). */
  private depth(text: string): number {
    const scan = scanBrackets(text, this.rules);
    return scan.open.length - scan.outerClosers.length;
  }

  private cut(text: string, reason: CutReason): void {
    this.kept = text;
    this.reason = reason;
  }
}
