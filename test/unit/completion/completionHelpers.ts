// Shared by the completion unit tests: cursor snapshots written as text with a cursor mark, and a
// fake clock whose timers fire only when the test advances it.
import type { Clock } from '../../../src/core/platform/clock';
import type { CursorSnapshot } from '../../../src/core/completion/completionTypes';

/** The cursor mark in test texts (`|` is too common in code). */
export const CURSOR = '█';

/** A snapshot from text with one `█` at the cursor. */
export function snap(textWithCursor: string, overrides: Partial<CursorSnapshot> = {}): CursorSnapshot {
  const at = textWithCursor.indexOf(CURSOR);
  if (at < 0) {
    throw new Error('no cursor mark in test text');
  }
  return {
    docKey: 'file:///w/src/app.ts',
    path: 'src/app.ts',
    languageId: 'typescript',
    prefix: textWithCursor.slice(0, at),
    suffix: textWithCursor.slice(at + CURSOR.length),
    indent: { insertSpaces: true, tabSize: 2 },
    explicit: false,
    ...overrides,
  };
}

export class FakeClock implements Clock {
  t = 0;
  private timers: { at: number; fn: () => void }[] = [];
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { at: this.t + ms, fn };
    this.timers.push(timer);
    return timer;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t !== handle);
  }
  /** Moves time on, firing due timers in order (and letting promises run between them). */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) {
        break;
      }
      this.timers = this.timers.filter((t) => t !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
    await flush();
  }
  get pending(): number {
    return this.timers.length;
  }
}

export const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
};
