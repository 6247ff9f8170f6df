/**
 * The completion request: Kimi's partial mode with thinking off. Stable parts come first so
 * each keystroke only changes the tail and the server's prefix cache keeps hitting:
 *   1. a fixed system message (byte-identical for every request);
 *   2. a user message: the packed workspace context, then the text that follows the cursor
 *      (it does not change while the user types in front of it);
 *   3. last, an assistant message whose content is exactly the text before the cursor, with
 *      `partial: true`: the model continues it, and its reply does not repeat it.
 * No temperature or other sampling parameter (kimi-k2.5 fixes them and rejects other values);
 * `max_tokens` is tight because Kimi's rate limiter charges it, not the tokens generated.
 */
import type { ContextBlock, PackedContext } from '../context/contextTypes';
import type { ChatRequest, UserMessage } from '../kimi/kimiTypes';
import { cursorLine, type CompletionMode, type CursorSnapshot } from './completionTypes';

export const COMPLETION_SYSTEM_PROMPT = [
  'You are the inline code completion engine of a code editor.',
  'The last message is the exact text of a file up to the cursor; continue it from exactly where it stops.',
  'Write only the text that belongs at the cursor, as it will appear in the file: no explanations, no markdown fences, and never repeat text that comes before the cursor.',
  'The user message gives related files from the workspace and the text that follows the cursor. Do not write the text that follows the cursor again: your continuation must fit in front of it.',
  'Prefer finishing the current line, or the current statement or block, and then stop.',
].join('\n');

/** `max_tokens` for each mode: a line of code is rarely over 40 tokens; a block is capped at ~12 lines. */
export const MAX_TOKENS: Readonly<Record<CompletionMode, number>> = { singleLine: 64, multiLine: 192 };

/** Lines a multi-line completion may have before the stream is cut. */
export const MULTI_LINE_CAP = 12;

/**
 * Single line when the cursor is in front of text on its line or after code that does not open
 * a block; multi-line on a blank line or right after a block opener (`{`, `(`, `[`, `:`, `=>`).
 */
export function completionMode(snapshot: Pick<CursorSnapshot, 'prefix' | 'suffix'>): CompletionMode {
  const { before, after } = cursorLine(snapshot);
  if (after.trim() !== '') {
    return 'singleLine';
  }
  if (before.trim() === '') {
    return 'multiLine';
  }
  return /(?:[{([:]|=>)\s*$/.test(before) ? 'multiLine' : 'singleLine';
}

/** The user message: the packed context first (stable), then the text after the cursor. */
export function completionUserMessage(snapshot: Pick<CursorSnapshot, 'path' | 'languageId' | 'suffix'>, contextText: string): string {
  const parts: string[] = [];
  if (contextText.trim() !== '') {
    parts.push(contextText.trimEnd(), '');
  }
  parts.push(`The file being edited is ${snapshot.path} (${snapshot.languageId}). Your reply continues it at the cursor.`);
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

export interface CompletionPrompt {
  request: ChatRequest;
  mode: CompletionMode;
}

/**
 * Builds the request for one completion. `contextText` is the packed workspace context
 * (other files), without the active file: that goes in as the text before and after the cursor.
 */
export function buildCompletionPrompt(snapshot: CursorSnapshot, contextText: string, model: string, mode: CompletionMode = completionMode(snapshot)): CompletionPrompt {
  const request: ChatRequest = {
    model,
    messages: [
      { role: 'system', content: COMPLETION_SYSTEM_PROMPT },
      { role: 'user', content: completionUserMessage(snapshot, contextText) },
      { role: 'assistant', content: snapshot.prefix, partial: true },
    ],
    thinking: false,
    maxTokens: MAX_TOKENS[mode],
  };
  if (mode === 'singleLine') {
    // The server stops at the newline itself: nothing is generated (or billed) past it.
    request.stop = ['\n'];
  }
  return { request, mode };
}

/** `JSON.rawJSON` (Node 21+, VS Code's extension host): lets JSON.stringify emit pre-serialized text. */
const rawJSON = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;

/**
 * Builds completion prompts, keeping the user message (context + text after the cursor, up to
 * the whole 256K window) from one request to the next while it is unchanged: the common case
 * while typing, since typing changes only the text before the cursor. The message is also
 * serialized once: its `toJSON` hands JSON.stringify the already-escaped text, so a keystroke
 * does not re-escape a megabyte of context. The JSON value sent is the same either way (the
 * serialized path \u-escapes non-ASCII, so the bytes differ and CJK text takes more of them).
 */
export class CompletionPromptCache {
  private last: { context: readonly ContextBlock[] | string; suffix: string; path: string; languageId: string; message: UserMessage } | undefined;

  build(snapshot: CursorSnapshot, context: PackedContext | string, model: string, mode: CompletionMode = completionMode(snapshot)): CompletionPrompt {
    const prompt = buildCompletionPrompt({ ...snapshot, suffix: '' }, '', model, mode);
    prompt.request.messages[1] = this.userMessage(snapshot, context);
    const last = prompt.request.messages[2];
    if (rawJSON && NON_ASCII.test(snapshot.prefix)) {
      // Keep the whole body one-byte (half the memory to build and copy): \u-escape the rest too.
      const wire = { role: 'assistant', content: rawJSON(asciiJson(snapshot.prefix)), partial: true };
      Object.defineProperty(last, 'toJSON', { value: () => wire, enumerable: false });
    }
    return prompt;
  }

  private userMessage(snapshot: CursorSnapshot, context: PackedContext | string): UserMessage {
    const key = typeof context === 'string' ? context : context.blocks;
    const last = this.last;
    if (last && last.suffix === snapshot.suffix && last.path === snapshot.path && last.languageId === snapshot.languageId && sameContext(last.context, key)) {
      return last.message;
    }
    const content = completionUserMessage(snapshot, typeof context === 'string' ? context : context.text);
    const message: UserMessage = { role: 'user', content };
    if (rawJSON) {
      const wire = { role: 'user', content: rawJSON(asciiJson(content)) };
      Object.defineProperty(message, 'toJSON', { value: () => wire, enumerable: false });
    }
    this.last = { context: key, suffix: snapshot.suffix, path: snapshot.path, languageId: snapshot.languageId, message };
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
