// Runs the shared peer clean-up cases (../shared/data/peer-cleanup, see its README and NOTICE)
// through Moonpilot's own completion path: the cursor windows the editor adapter reads, the
// request manager (with its "line already complete" check), the completion fetcher (prompt with
// its mode, stream, stream cutter, clean-up). Only the server is stood in for: it streams the
// case's `raw` text in small chunks, stops where the request's `stop` says (as Kimi does), and
// ends with `length` when `max_tokens` runs out. The cases are read at test time, never copied.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompletionService } from '../../../src/core/completion/completionService';
import type { CompletionStreamSource } from '../../../src/core/completion/completionStream';
import type { IndentStyle } from '../../../src/core/completion/completionTypes';
import { cursorWindows, stringReader } from '../../../src/core/completion/completionWindow';
import { parseSettings } from '../../../src/core/config/settings';
import type { ChatRequest, StreamEvent } from '../../../src/core/kimi/kimiTypes';
import { silentLogger } from '../../../src/core/log/logger';
import { repoRoot } from '../../support/repoRoot';

export interface PeerCase {
  id: string;
  peer: string;
  source: string;
  languageId: string;
  filename: string;
  prefix: string;
  suffix: string;
  raw: string;
  expected: string | null;
  expectedReplace?: number;
  mode: 'single' | 'multi';
  indent?: IndentStyle;
  peerTaste?: string;
  note?: string;
}

export interface PeerFile {
  peer: string;
  cases: PeerCase[];
}

/** Where the shared cases live: `../shared` next to the worktree (PEER_CLEANUP_DIR overrides). */
export const PEER_DIR = process.env.PEER_CLEANUP_DIR ?? path.resolve(repoRoot, '../shared/data/peer-cleanup');

/** The peer files, or the reason they cannot be read. */
export function loadPeerFiles(dir = PEER_DIR): PeerFile[] | string {
  if (!fs.existsSync(dir)) {
    return `${dir} is absent (the shared peer clean-up cases are not in this checkout)`;
  }
  const names = fs.readdirSync(dir).filter((n) => n.endsWith('.json') && n !== 'judgements.json').sort();
  if (names.length === 0) {
    return `${dir} holds no peer case files`;
  }
  return names.map((n) => JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8')) as PeerFile);
}

/** Hand judgements (judgements.json): id → the shown result they apply to and their class. */
export function loadJudgements(dir = PEER_DIR): Map<string, { got: string; class: string; reason: string }> {
  const file = path.join(dir, 'judgements.json');
  if (!fs.existsSync(file)) {
    return new Map();
  }
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { judgements: Record<string, { got: string; class: string; reason: string }> };
  return new Map(Object.entries(data.judgements));
}

/**
 * The editor's indentation for a document, as VS Code's `editor.detectIndentation` (on by
 * default) sets it when the file opens: tabs when most indented lines start with a tab, else the
 * most common step between the indentation of neighbouring lines; 4 spaces with nothing to go on.
 * A case's own `indent` is the editor set explicitly.
 */
export function editorIndent(text: string): IndentStyle {
  let tabs = 0;
  let spaces = 0;
  const steps = new Map<number, number>();
  let previous = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      continue;
    }
    const lead = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (lead.startsWith('\t')) {
      tabs++;
    } else if (lead !== '') {
      spaces++;
    }
    const width = lead.replace(/\t/g, '    ').length;
    const step = Math.abs(width - previous);
    if (step >= 2 && step <= 8 && !lead.startsWith('\t')) {
      steps.set(step, (steps.get(step) ?? 0) + 1);
    }
    previous = width;
  }
  if (tabs > spaces) {
    return { insertSpaces: false, tabSize: 4 };
  }
  let best = 4;
  let count = 0;
  for (const [step, n] of steps) {
    if (n > count || (n === count && step < best)) {
      best = step;
      count = n;
    }
  }
  return { insertSpaces: true, tabSize: best };
}

/** The editor's indentation for a case: its own setting, else what VS Code detects in the document. */
export function indentFor(c: PeerCase): IndentStyle {
  return c.indent ?? editorIndent(c.prefix + c.suffix);
}

/** What Moonpilot shows for a case: the text inserted at the cursor and the characters after it replaced, or undefined. */
export interface Shown {
  text: string;
  overwrite: number;
}

const approxTokens = (text: string): number => Math.ceil(Buffer.byteLength(text) / 4);

/** A server that answers every request with `raw`, in chunks, honouring `stop` and `max_tokens`. */
export function rawServer(raw: string, requests: ChatRequest[] = []): CompletionStreamSource {
  return {
    async *stream(req: ChatRequest): AsyncIterable<StreamEvent> {
      requests.push(req);
      let text = raw;
      let reason: 'stop' | 'length' = 'stop';
      for (const stop of req.stop ?? []) {
        const at = text.indexOf(stop);
        if (at >= 0) {
          text = text.slice(0, at);
        }
      }
      if (approxTokens(text) > req.maxTokens) {
        text = text.slice(0, req.maxTokens * 4);
        reason = 'length';
      }
      for (let i = 0; i < text.length; i += 7) {
        yield { kind: 'content', text: text.slice(i, i + 7) };
      }
      yield { kind: 'finish', reason };
    },
  };
}

/** A fresh install's settings: kimi-k2.6, Moonshot's dialect. */
const DEFAULTS = parseSettings({ get: () => undefined, userValue: () => undefined }, {});

/** Runs one case through the extension's completion service; `requests` receives what was sent. */
export async function showFor(c: PeerCase, requests: ChatRequest[] = []): Promise<Shown | undefined> {
  const doc = c.prefix + c.suffix;
  const windows = cursorWindows(stringReader(doc), c.prefix.length);
  const snapshot = {
    docKey: `file:///peer/${c.id}/${c.filename}`,
    path: c.filename,
    languageId: c.languageId,
    prefix: windows.prefix,
    suffix: windows.suffix,
    indent: indentFor(c),
    explicit: true, // no pause before the request: the outcome is the same, the test is faster
  };
  const server = rawServer(c.raw, requests);
  let ended: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (ended = resolve));
  let askedAgain = false;
  const service = new CompletionService({
    connection: { client: () => Promise.resolve(server) },
    settings: () => DEFAULTS,
    completionSettings: parseSettings({ get: () => undefined, userValue: () => undefined }, {}).completion,
    log: silentLogger,
    clock: { now: () => 0, setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
    now: () => 0,
    // The cursor stays where the case puts it: a result nobody is showing whole (a block whose
    // first lines were shown while it streamed) makes the service ask the editor again.
    editor: { cursor: () => snapshot, askAgain: () => (askedAgain = true) },
    observe: (event) => {
      if (event.kind === 'ended') {
        ended();
      }
    },
  });
  let suggestion = await service.complete(snapshot, new AbortController().signal);
  if (requests.length > 0) {
    await done;
  }
  if (askedAgain) {
    suggestion = await service.complete(snapshot, new AbortController().signal);
  }
  return suggestion && { text: suggestion.text, overwrite: suggestion.overwrite };
}

/** The document after accepting what is shown (the document unchanged when nothing is). */
export function accepted(c: PeerCase, shown: Shown | undefined): string {
  return shown ? c.prefix + shown.text + c.suffix.slice(shown.overwrite) : c.prefix + c.suffix;
}

/** The document after accepting what the peer shows. */
export function expectedDocument(c: PeerCase): string {
  return c.expected === null ? c.prefix + c.suffix : c.prefix + c.expected + c.suffix.slice(c.expectedReplace ?? 0);
}
