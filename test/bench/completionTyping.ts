/**
 * A human retyping parts of real source files, keystroke by keystroke: which text, and when.
 * Segments of a few lines are cut out of each file and typed back in place (so there is text
 * after the cursor, as in real editing); Enter brings the next line's indentation with it (as the
 * editor's auto-indent does). Intervals follow a typist of about 5–6 characters a second:
 * quicker inside words, slower after spaces and punctuation, a pause to think after each line,
 * and now and then a longer one. Deterministic (seeded).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SourceFile {
  /** Path inside node_modules (for the report). */
  name: string;
  languageId: string;
  text: string;
}

export interface Segment {
  file: number;
  /** Offsets in the original text: typed text is `text.slice(start, end)`. */
  start: number;
  end: number;
}

export interface Keystroke {
  /** Virtual time since the start (ms). */
  at: number;
  segment: number;
  /** Characters of the segment typed after this keystroke. */
  typed: number;
}

export interface TypingPlan {
  files: SourceFile[];
  segments: Segment[];
  keystrokes: Keystroke[];
}

/** Real, human-written sources from installed packages (none written here). */
const CANDIDATES: { name: string; languageId: string }[] = [
  { name: 'openai/src/core/streaming.ts', languageId: 'typescript' },
  { name: 'commander/lib/help.js', languageId: 'javascript' },
  { name: 'semver/classes/range.js', languageId: 'javascript' },
  { name: 'picomatch/lib/scan.js', languageId: 'javascript' },
  { name: 'openai/src/core/error.ts', languageId: 'typescript' },
];

export function loadSources(nodeModules: string): SourceFile[] {
  return CANDIDATES.flatMap((c) => {
    const file = path.join(nodeModules, c.name);
    return fs.existsSync(file) ? [{ ...c, text: fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n') }] : [];
  });
}

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

export function typingPlan(files: SourceFile[], options: { maxKeystrokes: number; linesPerSegment: number; seed: number }): TypingPlan {
  const random = rng(options.seed);
  const segments: Segment[] = [];
  const keystrokes: Keystroke[] = [];
  let t = 0;
  let round = 0;
  while (keystrokes.length < options.maxKeystrokes && round < 50) {
    for (let f = 0; f < files.length && keystrokes.length < options.maxKeystrokes; f++) {
      const segment = pickSegment(files[f].text, f, options.linesPerSegment, random, segments);
      if (!segment) {
        continue;
      }
      segments.push(segment);
      t += 2_000; // moving to the place and reading it
      const text = files[f].text.slice(segment.start, segment.end);
      let i = 0;
      while (i < text.length && keystrokes.length < options.maxKeystrokes) {
        const ch = text[i];
        if (ch === '\n') {
          i++;
          while (i < text.length && (text[i] === ' ' || text[i] === '\t')) {
            i++; // auto-indent comes with Enter
          }
        } else {
          i++;
        }
        t += interval(ch, random);
        keystrokes.push({ at: Math.round(t), segment: segments.length - 1, typed: i });
      }
    }
    round++;
  }
  return { files, segments, keystrokes };
}

function interval(ch: string, random: () => number): number {
  let ms = 80 + random() * 110;
  if (ch === ' ' || /[.,;:()[\]{}]/.test(ch)) {
    ms += 40 + random() * 160;
  }
  if (ch === '\n') {
    ms += 300 + random() * 900;
  }
  if (random() < 0.03) {
    ms += 800 + random() * 1_500;
  }
  return ms;
}

/** A few consecutive non-blank lines, starting after the first line's indentation, not overlapping earlier segments. */
function pickSegment(text: string, file: number, lines: number, random: () => number, taken: readonly Segment[]): Segment | undefined {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    starts.push(i + 1);
  }
  for (let attempt = 0; attempt < 200; attempt++) {
    const first = 10 + Math.floor(random() * Math.max(1, starts.length - lines - 20));
    const block = Array.from({ length: lines }, (_, k) => text.slice(starts[first + k], (starts[first + k + 1] ?? text.length + 1) - 1));
    if (block.some((l) => l.trim() === '' || /^\s*(\/\/|\*|\/\*)/.test(l)) || block.join('').length < 40) {
      continue;
    }
    const start = starts[first] + (/^[ \t]*/.exec(block[0])?.[0].length ?? 0);
    const end = starts[first + lines] - 1;
    if (taken.some((s) => s.file === file && s.start < end + 200 && start < s.end + 200)) {
      continue;
    }
    return { file, start, end };
  }
  return undefined;
}

/** The document while segment `s` is being retyped with `typed` characters so far, and the cursor offset. */
export function documentAt(plan: TypingPlan, segment: number, typed: number): { text: string; offset: number } {
  const s = plan.segments[segment];
  const original = plan.files[s.file].text;
  return { text: original.slice(0, s.start + typed) + original.slice(s.end), offset: s.start + typed };
}
