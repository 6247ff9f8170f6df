import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../repoRoot';

/**
 * Loader for the recorded streams in ../shared/data/sse (beside the repository):
 * - `*.chunks.txt`: one JSON chunk per line (served as SSE `data:` events);
 * - `*.sse`: raw SSE (its `data:` payloads are kept, `[DONE]` noted);
 * - `*.json`: a non-streaming response body.
 * Payloads are kept as the exact recorded text so a replay rewrites nothing.
 */
export interface Recording {
  readonly name: string;
  readonly kind: 'chunks' | 'sse' | 'json';
  /** For `chunks`/`sse`: the `data:` payloads in order, without `[DONE]`. For `json`: empty. */
  readonly payloads: readonly string[];
  /** For `json`: the body text exactly as recorded. */
  readonly bodyText: string | undefined;
  /** For `sse`: whether the recording ended with `data: [DONE]`. Always true for `chunks`. */
  readonly hasDone: boolean;
}

const RECORDING = /\.(chunks\.txt|sse|json)$/;

/** Folder of the recordings: `$MOONPILOT_SSE_DIR`, else `<repo root>/../shared/data/sse`. */
export function recordingsDir(): string {
  const fromEnv = process.env.MOONPILOT_SSE_DIR;
  if (fromEnv) {
    return path.resolve(fromEnv);
  }
  return path.resolve(repoRoot, '..', 'shared', 'data', 'sse');
}

/** File names of all recordings (sorted). */
export function listRecordings(dir = recordingsDir()): string[] {
  return readdirSync(dir)
    .filter((name) => RECORDING.test(name))
    .sort();
}

/**
 * Loads and parses one recording by file name, or `folder/name` one level down (the 2026 bodies
 * in `kimi-2026/`).
 */
export function loadRecording(name: string, dir = recordingsDir()): Recording {
  const parts = name.split('/');
  if (parts.length > 2 || parts.some((part) => part === '' || part === '.' || part === '..' || part.includes('\\')) || !RECORDING.test(name)) {
    throw new Error(`not a recording name: ${name}`);
  }
  const text = readFileSync(path.join(dir, name), 'utf8');
  if (name.endsWith('.json')) {
    JSON.parse(text); // must be valid JSON
    return { name, kind: 'json', payloads: [], bodyText: text, hasDone: false };
  }
  if (name.endsWith('.sse')) {
    const { payloads, hasDone } = parseSse(text);
    return { name, kind: 'sse', payloads, bodyText: undefined, hasDone };
  }
  const payloads = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return { name, kind: 'chunks', payloads, bodyText: undefined, hasDone: true };
}

/** Parses SSE text into its `data:` payloads (multi-line data joined by `\n`), minus `[DONE]`. */
export function parseSse(text: string): { payloads: string[]; hasDone: boolean } {
  const payloads: string[] = [];
  let hasDone = false;
  for (const event of text.split(/\r?\n\r?\n/)) {
    const data = event
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''));
    if (data.length === 0) {
      continue;
    }
    const payload = data.join('\n');
    if (payload === '[DONE]') {
      hasDone = true;
    } else {
      payloads.push(payload);
    }
  }
  return { payloads, hasDone };
}
