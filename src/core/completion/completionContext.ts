/**
 * The workspace context of a completion request, kept byte-stable across keystrokes and across
 * moves between files, so Kimi's prefix cache serves it (cached input costs a sixth).
 *
 * Completion asks at every pause in typing, so what changes between two requests decides what
 * it costs. Leaving the active file out of the context (its text goes in the prompt's prefix and
 * suffix anyway) would make every move to another file change the context in two places: the
 * file left appears, the file entered disappears, and everything after the first of the two is
 * sent uncached again. Instead every open file is packed in its first-opened place, and:
 * - the active file keeps a copy of its text while the user types in it: typing changes nothing
 *   in the context; the current text around the cursor is in the prompt's prefix and suffix. The
 *   lines typed there need no listing while the windows show them;
 * - a file that changed since its copy (the file the user just left, an edit elsewhere in the
 *   active file) keeps its copy when the change is small: the changed lines, as they read now,
 *   are listed in one block after all the files, so the model sees the current text and the
 *   bytes of every file block stay the same (a new copy would send that file and every file
 *   opened after it uncached again). A larger change takes a new copy.
 * The prompt then needs only short windows around the cursor (completionPrompt.ts): the whole
 * file is already in the cached context.
 */
import { diffLines } from 'diff';
import { SHORT_PREFIX_CHARS, SHORT_SUFFIX_CHARS } from './completionWindow';
import { renderFileChanges, type FileChange } from '../context/blockRendering';
import { looksBinary } from '../context/contentFilters';
import { packContext, withLazyText, type PackInput } from '../context/contextPacker';
import { PackCache } from '../context/packCache';
import type { ContextBlock, CursorPosition, PackedContext, TrackedDocument } from '../context/contextTypes';
import { secretContentReason } from '../context/secretFiles';
import { maskSecretTokens } from '../context/secretTokens';
import { estimateTokens } from '../context/tokenEstimate';

/**
 * Characters before and after the cursor that the prompt's short windows always show (their
 * minimum, after they are cut at line boundaries; completionWindow.ts).
 */
const SHOWN_BEFORE = SHORT_PREFIX_CHARS - 1_024;
const SHOWN_AFTER = SHORT_SUFFIX_CHARS / 2;
/** A change is listed rather than taking a new copy while both its old and new lines are at most this long. */
export const MAX_LISTED_CHANGE_CHARS = 4_096;
/** A listed line longer than this is minified or generated text: the file takes a new copy (and the packer's verdict). */
const MAX_LISTED_LINE_CHARS = 1_000;
/** Tokens the definitions leave free for the listing of changes (about a full listing of MAX_LISTED_CHANGE_CHARS). */
export const LISTING_ROOM_TOKENS = 1_500;

export class CompletionContext {
  /** Per open document, the text its block shows, and the document version it had then. */
  private readonly shown = new Map<string, { text: string; version: number | undefined }>();
  /** Its own pack cache: chat packs the active file's live text, completion its copy. */
  private readonly cache = new PackCache();
  /** The last line diff per document, for the copy and live text it was made from (a listed file stays different from its copy). */
  private readonly diffs = new Map<string, { copy: string; live: string; hunks: Hunk[] | undefined; secret: boolean }>();

  private hunksOf(uri: string, copy: string, live: string): Hunk[] | undefined {
    const last = this.diffs.get(uri);
    if (last && last.copy === copy && last.live === live) {
      return last.hunks;
    }
    const hunks = changedHunks(copy, live);
    this.diffs.set(uri, { copy, live, hunks, secret: secretContentReason(live) !== undefined });
    return hunks;
  }

  /** Packs for purpose `completion`: `input.documents` are the open documents with their live text. */
  pack(input: Omit<PackInput, 'purpose' | 'cache' | 'includeActiveFile' | 'activeInPlace'>): PackedContext {
    const { documents, changes } = this.apply(input.documents, input.activeUri, input.cursor);
    const packed = packContext({ ...input, purpose: 'completion', documents, activeInPlace: true, cache: this.cache, definitionsLeaveFree: LISTING_ROOM_TOKENS });
    const listed = withChanges(packed, changes, input.budgetTokens);
    if (listed) {
      return listed;
    }
    // The listing does not fit the budget: the changed files take new copies instead, so no
    // block shows old text without its changes.
    const fresh = new Map<string, TrackedDocument>();
    for (const doc of input.documents) {
      if (changes.some((c) => c.path === doc.path)) {
        this.shown.set(doc.uri, { text: doc.text, version: doc.version });
        fresh.set(doc.uri, doc);
      }
    }
    return packContext({ ...input, purpose: 'completion', documents: documents.map((d) => fresh.get(d.uri) ?? d), activeInPlace: true, cache: this.cache, definitionsLeaveFree: LISTING_ROOM_TOKENS });
  }

  /**
   * The documents as the context shows them (each as its copy), and the changes to list after
   * them. Takes a new copy of a document seen for the first time, reopened, or changed too much.
   */
  apply(documents: readonly TrackedDocument[], activeUri: string | undefined, cursor: CursorPosition | undefined): { documents: TrackedDocument[]; changes: FileChange[] } {
    const open = new Set<string>();
    const changes: FileChange[] = [];
    const out = documents.map((doc) => {
      open.add(doc.uri);
      const shown = this.shown.get(doc.uri);
      if (shown?.text === doc.text) {
        return doc;
      }
      // A lower version: the document was closed and opened again meanwhile (versions restart).
      const reopened = shown?.version !== undefined && doc.version !== undefined && doc.version < shown.version;
      if (shown !== undefined && !reopened) {
        const copy = { ...doc, text: shown.text };
        // Changes inside the prompt's windows around the active file's cursor need no listing.
        const near = doc.uri === activeUri && cursor ? offsetOf(doc.text, cursor) : undefined;
        if (near !== undefined) {
          // The common case while typing, checked without a line diff: all of it is near the cursor.
          const { same, sameEnd } = difference(shown.text, doc.text);
          if (insideWindows(same, doc.text.length - sameEnd, near)) {
            return copy;
          }
        }
        const hunks = this.hunksOf(doc.uri, shown.text, doc.text);
        const listed = hunks?.filter((h) => near === undefined || !insideWindows(h.liveStart, h.liveEnd, near));
        // Listed only when small and plain text: a key or binary data takes a new copy, which the
        // packer then leaves out like any other secret or binary file. Typing at the cursor only
        // grows the hunk there, which the windows show; other hunks keep their bytes.
        if (listed && listed.length === 0) {
          return copy;
        }
        if (
          listed &&
          listed.reduce((n, h) => n + h.oldChars + h.text.length, 0) <= MAX_LISTED_CHANGE_CHARS &&
          !listed.some((h) => h.text.split('\n').some((line) => line.length > MAX_LISTED_LINE_CHARS) || looksBinary(h.text)) &&
          !this.diffs.get(doc.uri)?.secret
        ) {
          for (const h of listed) {
            // Listed lines are masked like the file blocks (small: at most a few KB).
            changes.push({ path: doc.path, languageId: doc.languageId, fromLine: h.fromLine, toLine: h.toLine, text: maskSecretTokens(h.text).text });
          }
          return copy;
        }
      }
      this.shown.set(doc.uri, { text: doc.text, version: doc.version });
      return doc;
    });
    for (const uri of this.shown.keys()) {
      if (!open.has(uri)) {
        this.shown.delete(uri);
      }
    }
    for (const uri of this.diffs.keys()) {
      if (!open.has(uri)) {
        this.diffs.delete(uri);
      }
    }
    return { documents: out, changes };
  }
}

/**
 * The packed context with the changes of the files it holds listed last; undefined when the
 * listing does not fit the budget.
 */
function withChanges(packed: PackedContext, changes: readonly FileChange[], budgetTokens: number): PackedContext | undefined {
  const held = new Set(packed.blocks.filter((b) => b.kind === 'file').map((b) => b.key));
  const listed = changes.filter((c) => held.has(c.path));
  if (listed.length === 0) {
    return packed;
  }
  const text = renderFileChanges(listed);
  const block: ContextBlock = { kind: 'fileChanges', key: 'fileChanges', text, tokens: estimateTokens(text) };
  if (packed.tokens + block.tokens > budgetTokens) {
    return undefined;
  }
  return withLazyText({
    blocks: [...packed.blocks, block],
    tokens: packed.tokens + block.tokens,
    activeFile: packed.activeFile,
    report: {
      ...packed.report,
      totalTokens: packed.report.totalTokens + block.tokens,
      included: [...packed.report.included, { key: block.key, kind: block.kind, tokens: block.tokens }],
    },
  });
}

/** Lengths of the text two versions share at their start and at their end (not overlapping). */
function difference(copy: string, live: string): { same: number; sameEnd: number } {
  const n = Math.min(copy.length, live.length);
  let same = 0;
  while (same < n && copy.charCodeAt(same) === live.charCodeAt(same)) {
    same++;
  }
  let sameEnd = 0;
  while (sameEnd < n - same && copy.charCodeAt(copy.length - 1 - sameEnd) === live.charCodeAt(live.length - 1 - sameEnd)) {
    sameEnd++;
  }
  return { same, sameEnd };
}

/** Whether live text [start, end) lies within what the prompt's windows around the cursor at `at` always show. */
function insideWindows(start: number, end: number, at: number): boolean {
  return start >= at - SHOWN_BEFORE && end <= at + SHOWN_AFTER;
}

/**
 * Whether `live` differs from `copy` anywhere outside the text the prompt's windows show around
 * the cursor (true when the cursor is unknown). One pass over each end of the file.
 */
export function differsOutsideWindows(copy: string, live: string, cursor: CursorPosition | undefined): boolean {
  if (cursor === undefined) {
    return true;
  }
  const { same, sameEnd } = difference(copy, live);
  return !insideWindows(same, live.length - sameEnd, offsetOf(live, cursor));
}

/** One change of whole lines: the copy's lines `fromLine`..`toLine` (1-based; toLine < fromLine for an insertion) now read `text`. */
export interface Hunk {
  fromLine: number;
  toLine: number;
  oldChars: number;
  /** Where `text` is in the live text. */
  liveStart: number;
  liveEnd: number;
  text: string;
}

/** Edits (lines) beyond which the copy is simply taken anew rather than the changes listed. */
const MAX_DIFF_EDITS = 400;

/** The changes from `copy` to `live` as hunks of whole lines (a line diff), or undefined when they are too many to work out cheaply. */
export function changedHunks(copy: string, live: string): Hunk[] | undefined {
  // Only the lines between the shared start and the shared end are diffed.
  const { same, sameEnd } = difference(copy, live);
  const start = same === 0 ? 0 : copy.lastIndexOf('\n', same - 1) + 1;
  const nl = copy.indexOf('\n', copy.length - sameEnd);
  const tail = nl < 0 ? 0 : Math.max(0, Math.min(copy.length - (nl + 1), copy.length - start, live.length - start));
  const parts = diffLines(copy.slice(start, copy.length - tail), live.slice(start, live.length - tail), { maxEditLength: MAX_DIFF_EDITS });
  if (!parts) {
    return undefined;
  }
  const hunks: Hunk[] = [];
  let line = 1;
  for (let i = copy.indexOf('\n'); i >= 0 && i < start; i = copy.indexOf('\n', i + 1)) {
    line++;
  }
  let offset = start;
  let current: Hunk | undefined;
  for (const part of parts) {
    const lines = part.count;
    if (!part.added && !part.removed) {
      current = undefined;
      line += lines;
      offset += part.value.length;
      continue;
    }
    if (!current) {
      current = { fromLine: line, toLine: line - 1, oldChars: 0, liveStart: offset, liveEnd: offset, text: '' };
      hunks.push(current);
    }
    if (part.removed) {
      current.toLine += lines;
      current.oldChars += part.value.length;
      line += lines;
    } else {
      current.text += part.value;
      current.liveEnd += part.value.length;
      offset += part.value.length;
    }
  }
  return hunks;
}

function offsetOf(text: string, cursor: CursorPosition): number {
  let offset = 0;
  for (let line = 0; line < cursor.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) {
      return text.length;
    }
    offset = nl + 1;
  }
  return Math.min(text.length, offset + cursor.character);
}
