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
 *   copy is taken anew when the file differs from it anywhere those windows do not show (an
 *   edit elsewhere in the file, a change from chat or git, the cursor moved away from the
 *   lines typed), so what the model sees of the file is always current;
 * - every other file shows its current text, so a file the user left after editing it is
 *   refreshed once, on the first request after they left it (as it must be: its new code is
 *   what the completion elsewhere may need).
 * The prompt then needs only short windows around the cursor (completionPrompt.ts): the whole
 * file is already in the cached context.
 */
import { SHORT_PREFIX_CHARS, SHORT_SUFFIX_CHARS } from '../completion/completionWindow';
import { PackCache, packContext, type PackInput } from './contextPacker';
import type { CursorPosition, PackedContext, TrackedDocument } from './contextTypes';

/**
 * Characters before and after the cursor that the prompt's short windows always show (their
 * minimum, after they are cut at line boundaries; completionWindow.ts).
 */
const SHOWN_BEFORE = SHORT_PREFIX_CHARS - 1_024;
const SHOWN_AFTER = SHORT_SUFFIX_CHARS / 2;

export class CompletionContext {
  /** Per open document, the text the context shows for it, and the document version it had then. */
  private readonly shown = new Map<string, { text: string; version: number | undefined }>();
  /** Its own pack cache: chat packs the active file's live text, completion its copy. */
  private readonly cache = new PackCache();

  /** Packs for purpose `completion`: `input.documents` are the open documents with their live text. */
  pack(input: Omit<PackInput, 'purpose' | 'cache' | 'includeActiveFile' | 'activeInPlace'>): PackedContext {
    return packContext({ ...input, purpose: 'completion', documents: this.apply(input.documents, input.activeUri, input.cursor), activeInPlace: true, cache: this.cache });
  }

  /** The documents as the context shows them: the active one as its copy, the others current. */
  apply(documents: readonly TrackedDocument[], activeUri: string | undefined, cursor: CursorPosition | undefined): TrackedDocument[] {
    const open = new Set<string>();
    const out = documents.map((doc) => {
      open.add(doc.uri);
      const shown = this.shown.get(doc.uri);
      if (shown?.text === doc.text) {
        return doc;
      }
      // A lower version: the document was closed and opened again meanwhile (versions restart).
      const reopened = shown?.version !== undefined && doc.version !== undefined && doc.version < shown.version;
      if (doc.uri !== activeUri || shown === undefined || reopened || differsOutsideWindows(shown.text, doc.text, cursor)) {
        this.shown.set(doc.uri, { text: doc.text, version: doc.version });
        return doc;
      }
      return { ...doc, text: shown.text };
    });
    for (const uri of this.shown.keys()) {
      if (!open.has(uri)) {
        this.shown.delete(uri);
      }
    }
    return out;
  }
}

/**
 * Whether `live` differs from `copy` anywhere outside the text the prompt's windows show around
 * the cursor (true when the cursor is unknown). One pass over each end of the file.
 */
export function differsOutsideWindows(copy: string, live: string, cursor: CursorPosition | undefined): boolean {
  if (!cursor) {
    return true;
  }
  const at = offsetOf(live, cursor);
  const n = Math.min(copy.length, live.length);
  let same = 0;
  while (same < n && copy.charCodeAt(same) === live.charCodeAt(same)) {
    same++;
  }
  let sameEnd = 0;
  while (sameEnd < n - same && copy.charCodeAt(copy.length - 1 - sameEnd) === live.charCodeAt(live.length - 1 - sameEnd)) {
    sameEnd++;
  }
  // The live text that differs is [same, live.length - sameEnd).
  return same < at - SHOWN_BEFORE || live.length - sameEnd > at + SHOWN_AFTER;
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
