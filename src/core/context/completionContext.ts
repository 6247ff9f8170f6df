/**
 * The workspace context of a completion request, kept byte-stable across keystrokes and across
 * moves between files, so Kimi's prefix cache serves it (cached input costs a sixth).
 *
 * Completion asks at every pause in typing, so what changes between two requests decides what
 * it costs. Leaving the active file out of the context (its text goes in the prompt's prefix and
 * suffix anyway) would make every move to another file change the context in two places: the
 * file left appears, the file entered disappears, and everything after the first of the two is
 * sent uncached again. Instead every open file is packed in its first-opened place, and:
 * - the active file keeps the text it had when it became active: typing in it changes nothing
 *   in the context; the current text around the cursor is in the prompt's prefix and suffix;
 * - every other file shows its current text, so a file the user left after editing it is
 *   refreshed once, on the first request after they left it (as it must be: its new code is
 *   what the completion elsewhere may need).
 * The prompt then needs only short windows around the cursor (completionPrompt.ts): the whole
 * file is already in the cached context.
 */
import { PackCache, packContext, type PackInput } from './contextPacker';
import type { PackedContext, TrackedDocument } from './contextTypes';

export class CompletionContext {
  /** Per open document, the text the context shows for it. */
  private readonly shown = new Map<string, string>();
  /** Its own pack cache: chat packs the active file's live text, completion its frozen copy. */
  private readonly cache = new PackCache();

  /** Packs for purpose `completion`: `input.documents` are the open documents with their live text. */
  pack(input: Omit<PackInput, 'purpose' | 'cache' | 'includeActiveFile' | 'activeInPlace'>): PackedContext {
    return packContext({ ...input, purpose: 'completion', documents: this.apply(input.documents, input.activeUri), activeInPlace: true, cache: this.cache });
  }

  /** The documents as the context shows them: the active one frozen, the others current. */
  apply(documents: readonly TrackedDocument[], activeUri: string | undefined): TrackedDocument[] {
    const open = new Set<string>();
    const out = documents.map((doc) => {
      open.add(doc.uri);
      const shown = this.shown.get(doc.uri);
      if (doc.uri !== activeUri || shown === undefined) {
        this.shown.set(doc.uri, doc.text);
        return doc;
      }
      return shown === doc.text ? doc : { ...doc, text: shown };
    });
    for (const uri of this.shown.keys()) {
      if (!open.has(uri)) {
        this.shown.delete(uri);
      }
    }
    return out;
  }
}
