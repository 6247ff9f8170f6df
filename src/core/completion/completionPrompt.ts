/**
 * The completion request: Kimi's partial mode with thinking off (K2.6, the default). On a model
 * that reasons anyway (K3 at its lowest effort, K2.7 Code, an unknown third-party model, or a
 * switchable one under the `omit` dialect) the output limit makes room for the reasoning before
 * the code, and the newline stop is left to the stream cutter (a server-side stop is not
 * documented to spare the reasoning). Stable parts come first so
 * each keystroke only changes the tail and the server's prefix cache keeps hitting:
 *   1. a fixed system message (byte-identical for every request);
 *   2. a user message: the packed workspace context, then the text that follows the cursor
 *      (it does not change while the user types in front of it);
 *   3. last, an assistant message whose content is exactly the text before the cursor, with
 *      `partial: true`: the model continues it, and its reply does not repeat it.
 * When the context holds the whole file (completion's copy of the active file, kept while the
 * user types near the cursor: completionContext.ts), 2 and 3 carry only the few KB around the
 * cursor, so a move to another place sends that much uncached rather than the whole file again.
 * No temperature or other sampling parameter (every kimi-* model fixes them and rejects other
 * values); the output limit is tight because Kimi's rate limiter charges it, not the tokens generated.
 */
import type { ContextBlock, PackedContext } from '../context/contextTypes';
import type { ChatRequest, ThinkingDialect, UserMessage } from '../kimi/kimiTypes';
import { reasonsWhenAskedNotTo, resolveModelProfile, type ModelProfile } from '../kimi/modelProfiles';
import { cursorLine, indentOf, indentWidth, type CompletionMode, type CursorSnapshot } from './completionTypes';
import { shortWindows } from './completionWindow';

export const COMPLETION_SYSTEM_PROMPT = [
  'You are the inline code completion engine of a code editor.',
  'The last message is the exact text of a file up to the cursor (the end of it, when the file is long); continue it from exactly where it stops.',
  'Write only the text that belongs at the cursor, as it will appear in the file: no explanations, no markdown fences, and never repeat text that comes before the cursor.',
  'The user message gives related files from the workspace and the text that follows the cursor. Do not write the text that follows the cursor again: your continuation must fit in front of it.',
  'Prefer finishing the current line, or the current statement or block, and then stop.',
].join('\n');

/** Output limit for each mode: a line of code is rarely over 40 tokens; a block is capped at ~12 lines. */
export const MAX_TOKENS: Readonly<Record<CompletionMode, number>> = { singleLine: 64, multiLine: 192 };

/**
 * Room for reasoning before the code when the model reasons whatever the request says (K3's `low`
 * effort, K2.7 Code): reasoning counts against the output limit, and a limit that ends inside it
 * gives no continuation at all. Measured by `npm run bench -- completion` (K3 row).
 */
export const REASONING_ALLOWANCE_TOKENS = 3_072;

/** The model a completion is sent to, and how the endpoint spells thinking. */
export interface CompletionTarget {
  profile: ModelProfile;
  dialect: ThinkingDialect;
}

function targetOf(model: string | CompletionTarget): CompletionTarget {
  return typeof model === 'string' ? { profile: resolveModelProfile(model), dialect: 'moonshot' } : model;
}

/** Thinking, output limit and stop for a completion on this model. */
export function completionShape(target: CompletionTarget, mode: CompletionMode): Pick<ChatRequest, 'thinking' | 'maxTokens' | 'stop'> {
  if (reasonsWhenAskedNotTo(target.profile, target.dialect)) {
    // `thinking: false` asks effort-controlled models for their lowest effort (requestBody.ts).
    return { thinking: false, maxTokens: REASONING_ALLOWANCE_TOKENS + MAX_TOKENS[mode] };
  }
  // The server stops at the newline itself: nothing is generated (or billed) past it.
  return { thinking: false, maxTokens: MAX_TOKENS[mode], ...(mode === 'singleLine' ? { stop: ['\n'] } : {}) };
}

/** Lines a multi-line completion may have before the stream is cut. */
export const MULTI_LINE_CAP = 12;

/**
 * Single line when the cursor is in front of text on its line, after code that does not open a
 * block, or where the block already goes on after the cursor; multi-line only where a block is
 * still to be written (as Copilot does): on a blank line or right after a block opener (`{`, `(`,
 * `[`, `:`, `=>`) when what follows is the end of the block (less indented, or a closer), a
 * blank line, or nothing.
 * In front of existing code a block-sized guess mostly writes again what follows (the stream
 * cutter can only drop such a line once all of it has arrived), while the line being written is
 * what the user needs.
 */
export function completionMode(snapshot: Pick<CursorSnapshot, 'prefix' | 'suffix' | 'indent'>): CompletionMode {
  const { before, after } = cursorLine(snapshot);
  if (after.trim() !== '') {
    return 'singleLine';
  }
  const opener = /(?:[{([:]|=>)\s*$/.test(before);
  if (before.trim() !== '' && !opener) {
    return 'singleLine';
  }
  return blockGoesOn(snapshot, indentWidth(indentOf(before), snapshot.indent.tabSize), opener) ? 'singleLine' : 'multiLine';
}

/**
 * True when there is nothing to ask for: the cursor ends a line that opens a block whose body is
 * already written below. One line is all the mode would allow there, and the line is complete:
 * the model can only answer with the newline the request stops at.
 */
export function lineIsComplete(snapshot: Pick<CursorSnapshot, 'prefix' | 'suffix' | 'indent'>): boolean {
  const { before, after } = cursorLine(snapshot);
  return after.trim() === '' && before.trim() !== '' && /(?:[{([:]|=>)\s*$/.test(before) && blockGoesOn(snapshot, indentWidth(indentOf(before), snapshot.indent.tabSize), true);
}

/**
 * Whether the code right after the cursor's line belongs to the block being written: the next
 * line is not blank, does not start with a closer, and is indented deeper than the opener's line
 * (after an opener) or at least as deep as the cursor (on a blank line).
 */
function blockGoesOn(snapshot: Pick<CursorSnapshot, 'suffix' | 'indent'>, indent: number, opener: boolean): boolean {
  const start = snapshot.suffix.indexOf('\n');
  if (start < 0) {
    return false;
  }
  const end = snapshot.suffix.indexOf('\n', start + 1);
  const next = snapshot.suffix.slice(start + 1, end < 0 ? undefined : end);
  if (next.trim() === '' || /^\s*[)\]}]/.test(next)) {
    return false; // a blank line, or the end of a block (also where the cursor sits at column 0)
  }
  const nextIndent = indentWidth(indentOf(next), snapshot.indent.tabSize);
  return opener ? nextIndent > indent : nextIndent >= indent;
}

/**
 * The user message: the packed context first (stable), then the text after the cursor.
 * `fileInContext`: the context holds a copy of the file being edited (completionContext.ts).
 */
export function completionUserMessage(snapshot: Pick<CursorSnapshot, 'path' | 'languageId' | 'suffix'>, contextText: string, fileInContext = false): string {
  const parts: string[] = [];
  if (contextText.trim() !== '') {
    parts.push(contextText.trimEnd(), '');
  }
  parts.push(`The file being edited is ${snapshot.path} (${snapshot.languageId}). Your reply continues it at the cursor.`);
  if (fileInContext) {
    parts.push('Its copy among the files above may be older than the text around the cursor: the text before the cursor (your reply continues it) and after it, below, are current.');
  }
  if (snapshot.suffix === '') {
    parts.push('Nothing follows the cursor: it is at the end of the file.');
  } else {
    parts.push(
      'This is the text that FOLLOWS the cursor, already in the file. Do not write it again; your continuation goes in front of it:',
      '<text_after_cursor>',
      snapshot.suffix,
      '</text_after_cursor>',
    );
  }
  return parts.join('\n');
}

/**
 * The text before and after the cursor that the prompt carries: all of the windows, or only the
 * short ones when the context already holds this very file (completionWindow.ts); the file is
 * then named as its block in the context names it.
 */
export function promptWindows<S extends CursorSnapshot>(snapshot: S, context: PackedContext | string): S {
  const inContext = typeof context === 'string' ? undefined : context.activeFile;
  return inContext?.uri === snapshot.docKey ? { ...snapshot, ...shortWindows(snapshot), path: inContext.path } : snapshot;
}

export interface CompletionPrompt {
  request: ChatRequest;
  mode: CompletionMode;
}

/**
 * Builds the request for one completion. `context` is the packed workspace context; when it
 * holds the active file (completion's copy of it), the prompt carries only short windows.
 */
export function buildCompletionPrompt(snapshot: CursorSnapshot, context: PackedContext | string, model: string | CompletionTarget, mode: CompletionMode = completionMode(snapshot)): CompletionPrompt {
  const windows = promptWindows(snapshot, context);
  const contextText = typeof context === 'string' ? context : context.text;
  const target = targetOf(model);
  const request: ChatRequest = {
    model: target.profile.id,
    messages: [
      { role: 'system', content: COMPLETION_SYSTEM_PROMPT },
      { role: 'user', content: completionUserMessage(windows, contextText, windows !== snapshot) },
      { role: 'assistant', content: windows.prefix, partial: true },
    ],
    ...completionShape(target, mode),
  };
  return { request, mode };
}

/** `JSON.rawJSON` (Node 21+, VS Code's extension host): lets JSON.stringify emit pre-serialized text. */
const rawJSON = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;

/**
 * Builds completion prompts, keeping the user message (context + text after the cursor, up to
 * the whole 256K window) from one request to the next while it is unchanged: the common case
 * while typing, since typing changes only the text before the cursor. The message is also
 * serialized once: its `toJSON` hands JSON.stringify the already-escaped text, so a keystroke
 * does not re-escape a megabyte of context; and it is frozen, so the Kimi client encodes it to
 * bytes once and sends those again (requestBody.ts). The JSON value sent is the same either way
 * (the serialized path \u-escapes non-ASCII, so the bytes differ and CJK text takes more of them).
 */
export class CompletionPromptCache {
  private last: { context: readonly ContextBlock[] | string; suffix: string; path: string; languageId: string; fileInContext: boolean; message: UserMessage } | undefined;

  build(snapshot: CursorSnapshot, context: PackedContext | string, model: string | CompletionTarget, mode: CompletionMode = completionMode(snapshot)): CompletionPrompt {
    const windows = promptWindows(snapshot, context);
    const prompt = buildCompletionPrompt({ ...windows, suffix: '' }, '', model, mode);
    prompt.request.messages[1] = this.userMessage(windows, context, windows !== snapshot);
    const last = prompt.request.messages[2];
    if (rawJSON && NON_ASCII.test(windows.prefix)) {
      // Keep the whole body one-byte (half the memory to build and copy): \u-escape the rest too.
      const wire = { role: 'assistant', content: rawJSON(asciiJson(windows.prefix)), partial: true };
      Object.defineProperty(last, 'toJSON', { value: () => wire, enumerable: false });
    }
    return prompt;
  }

  private userMessage(snapshot: CursorSnapshot, context: PackedContext | string, fileInContext: boolean): UserMessage {
    const key = typeof context === 'string' ? context : context.blocks;
    const last = this.last;
    if (last && last.suffix === snapshot.suffix && last.path === snapshot.path && last.languageId === snapshot.languageId && last.fileInContext === fileInContext && sameContext(last.context, key)) {
      return last.message;
    }
    const content = completionUserMessage(snapshot, typeof context === 'string' ? context : context.text, fileInContext);
    const message: UserMessage = { role: 'user', content };
    if (rawJSON) {
      const wire = { role: 'user', content: rawJSON(asciiJson(content)) };
      Object.defineProperty(message, 'toJSON', { value: () => wire, enumerable: false });
    }
    Object.freeze(message); // sent again while unchanged: the request body encodes it once (requestBody.ts)
    this.last = { context: key, suffix: snapshot.suffix, path: snapshot.path, languageId: snapshot.languageId, fileInContext, message };
    return message;
  }
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * A JSON string literal with every non-ASCII character \u-escaped: the same JSON value, but a
 * one-byte string in V8, so the request body built around it stays one-byte too.
 */
export function asciiJson(text: string): string {
  const json = JSON.stringify(text);
  return NON_ASCII.test(json) ? json.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

function sameContext(a: readonly ContextBlock[] | string, b: readonly ContextBlock[] | string): boolean {
  if (typeof a === 'string' || typeof b === 'string') {
    return a === b;
  }
  return a.length === b.length && a.every((block, i) => block === b[i] || (block.key === b[i].key && block.text === b[i].text));
}
