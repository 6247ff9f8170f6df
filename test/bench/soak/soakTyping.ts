import type { SourceFile } from '../completionTyping';

/** The document being typed into: a real file with a stretch cut out, typed back in keystroke by keystroke. */
export interface Typing {
  file: SourceFile;
  /** Text before the stretch, the stretch, text after it. */
  head: string;
  stretch: string;
  tail: string;
  typed: number;
}

/** A new stretch to type: a random file, a cut of 80–320 characters starting at a line. */
export function newTyping(files: SourceFile[], random: () => number): Typing {
  const file = files[Math.floor(random() * files.length)];
  const text = file.text;
  let start = Math.floor(random() * Math.max(1, text.length - 400));
  start = text.indexOf('\n', start) + 1;
  const end = Math.min(text.length, start + 80 + Math.floor(random() * 240));
  return { file, head: text.slice(0, start), stretch: text.slice(start, end), tail: text.slice(end), typed: 0 };
}
