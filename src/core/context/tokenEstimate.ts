/**
 * Fast token estimate for Kimi's tokenizer, and the safety margin that keeps a request under the
 * model's window.
 *
 * Kimi's tokenizer is a tiktoken-style BPE (163,584 ranks) that is not on npm. Its pre-tokenizer
 * splits text much like OpenAI's `o200k_base`: words (split at lower→upper case changes), groups
 * of up to three digits, punctuation runs, newline runs (with the indentation after them) and
 * runs of spaces; almost every such piece of ASCII code or English is one token, long rare words
 * a few. So the estimate counts pieces in one pass over the UTF-16 code units (no allocation,
 * O(n)) and weighs each kind of piece with a coefficient fitted by least squares (weighted for
 * relative error) against `o200k_base` and `cl100k_base` from `gpt-tokenizer` on real files from
 * node_modules (TypeScript sources and declarations, README prose). Alphanumeric runs that
 * switch between letters, digits and case very often (hashes, UUIDs, base64) count 1.5
 * characters a token, as measured. The fit used half of a similar set; `npm run bench -- context`
 * measures (mean |error| / p90 |error| / worst under-count / all files together):
 *
 * | text                                         | vs o200k_base                    | vs cl100k_base                   |
 * |----------------------------------------------|----------------------------------|----------------------------------|
 * | code: 106 files (@types/node, openai, lib.*) | 2.3 % / 5.0 % / −6.9 % / −1.3 %  | 2.9 % / 6.2 % / −6.4 % / −0.5 %  |
 * | prose: 88 READMEs                            | 3.7 % / 8.1 % / −14.0 % / −0.7 % | 4.1 % / 9.3 % / −15.3 % / −0.6 % |
 * | a packed 180K-token context (758 KB)         | −1.6 %                           | −0.8 %                           |
 *
 * (Characters ÷ 4 is off by 12–13 % on average on the same code.) Han, kana and Hangul count one
 * token per character (cl100k level; `o200k_base` needs 0.7–1.0 and Kimi's Chinese-heavy
 * vocabulary fewer, so this over-counts: safe). Other non-ASCII characters count half a token
 * per UTF-16 unit.
 *
 * Margin: budgets divide what is left of the window by 1 + {@link TOKEN_SAFETY_MARGIN} (1.15), so
 * an estimate may under-count by up to 13 % and the request still fits. That covers every code
 * file measured (worst −6.9 %) and every README but one that is mostly a list of GitHub user
 * names (−15.3 %), with room for Kimi's vocabulary differing from both references by a few per
 * cent; a packed context of many files is off by only ~1–2 % in total.
 */

import type { ChatMessage } from '../kimi/kimiTypes';

/** Fraction added to every estimate when checking it against the model's window. */
export const TOKEN_SAFETY_MARGIN = 0.15;

/** Alphanumeric runs at least this long that change class this often are random ids. */
const RANDOM_ID_MIN_LENGTH = 8;
const RANDOM_ID_CHANGE_RATE = 0.3;

/** Fitted weights per piece kind (see the file comment); random ids measured at ~1.5 characters a token. */
const WEIGHT = {
  word: 1.0,
  digits: 1.7,
  punctuation: 0.8,
  newline: 1.37,
  spaces: 2.2,
  randomIdChar: 1 / 1.5,
  cjk: 1.0,
  otherNonAscii: 0.5,
} as const;

// ASCII classes, looked up by char code.
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;
const SPACE = 4;
const NEWLINE = 5;
const PUNCT = 6;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  CLASS[c] =
    c >= 97 && c <= 122 ? LOWER : c >= 65 && c <= 90 ? UPPER : c >= 48 && c <= 57 ? DIGIT : c === 32 || c === 9 ? SPACE : c === 10 || c === 13 ? NEWLINE : PUNCT;
}
// Other control characters count like punctuation (rare in text that reaches here).

function isCjk(c: number): boolean {
  return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef);
}

/** Estimated Kimi tokens of `text`; O(n), no allocation. Never negative; 0 only for ''. */
export function estimateTokens(text: string): number {
  const n = text.length;
  let words = 0;
  let digitTokens = 0;
  let punctRuns = 0;
  let newlineRuns = 0;
  let spaceRuns = 0;
  let cjk = 0;
  let other = 0;
  let randomIdChars = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 128) {
      if (isCjk(c)) {
        cjk++;
      } else {
        other++;
      }
      i++;
      continue;
    }
    const cls = CLASS[c];
    if (cls === LOWER || cls === UPPER || cls === DIGIT) {
      // An alphanumeric run: words split at lower→upper changes and where letters meet digits,
      // digits in groups of three (as the BPE's regex splits them). A run that changes class
      // that often (hashes, UUIDs, base64) is a random id, which BPE cuts into short pieces.
      const start = i;
      let runWords = 0;
      let runDigitTokens = 0;
      let changes = 0;
      let prev = 0;
      let digitsInGroup = 0;
      while (i < n) {
        const d = text.charCodeAt(i);
        const k = d < 128 ? CLASS[d] : 0;
        if (k === DIGIT) {
          if (prev !== DIGIT) {
            changes += prev === 0 ? 0 : 1;
            digitsInGroup = 0;
          }
          if (digitsInGroup % 3 === 0) {
            runDigitTokens++;
          }
          digitsInGroup++;
        } else if (k === LOWER) {
          if (prev === DIGIT || prev === 0) {
            runWords++;
            changes += prev === DIGIT ? 1 : 0;
          }
        } else if (k === UPPER) {
          if (prev === LOWER || prev === DIGIT || prev === 0) {
            runWords++;
            changes += prev === 0 ? 0 : 1;
          }
        } else {
          break;
        }
        prev = k;
        i++;
      }
      const length = i - start;
      if (length >= RANDOM_ID_MIN_LENGTH && changes >= length * RANDOM_ID_CHANGE_RATE) {
        randomIdChars += length;
      } else {
        words += runWords;
        digitTokens += runDigitTokens;
      }
    } else if (cls === NEWLINE) {
      // Newlines and the indentation after them.
      newlineRuns++;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d >= 128 || (CLASS[d] !== NEWLINE && CLASS[d] !== SPACE)) {
          break;
        }
        i++;
      }
    } else if (cls === SPACE) {
      const start = i;
      i++;
      while (i < n && text.charCodeAt(i) < 128 && CLASS[text.charCodeAt(i)] === SPACE) {
        i++;
      }
      // A single space joins the next word; longer runs are pieces of their own.
      if (i - start > 1) {
        spaceRuns++;
      }
    } else {
      punctRuns++;
      i++;
      while (i < n && text.charCodeAt(i) < 128 && CLASS[text.charCodeAt(i)] === PUNCT) {
        i++;
      }
    }
  }
  const estimate =
    words * WEIGHT.word +
    digitTokens * WEIGHT.digits +
    punctRuns * WEIGHT.punctuation +
    newlineRuns * WEIGHT.newline +
    spaceRuns * WEIGHT.spaces +
    randomIdChars * WEIGHT.randomIdChar +
    cjk * WEIGHT.cjk +
    other * WEIGHT.otherNonAscii;
  return n === 0 ? 0 : Math.max(1, Math.ceil(estimate));
}

/** `tokens` plus the safety margin, rounded up: what the window must have room for. */
export function withSafetyMargin(tokens: number): number {
  return Math.ceil(tokens * (1 + TOKEN_SAFETY_MARGIN));
}

/** Tokens of a message list, including per-message overhead and tool-call arguments. */
export function estimateMessagesTokens(messages: readonly ChatMessage[]): number {
  let total = 0;
  for (const m of messages) {
    total += 4;
    if (typeof m.content === 'string') {
      total += estimateTokens(m.content);
    } else {
      for (const part of m.content) {
        total += part.type === 'text' ? estimateTokens(part.text) : 1_000;
      }
    }
    if (m.role === 'assistant') {
      total += estimateTokens(m.reasoning_content ?? '');
      for (const call of m.tool_calls ?? []) {
        total += 8 + estimateTokens(call.function.name + call.function.arguments);
      }
    }
  }
  return total;
}
