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
 * relative error) against `o200k_base` and `cl100k_base` from `gpt-tokenizer`, on real files from
 * node_modules: TypeScript sources and declarations (`openai`, `@types/node`, `typescript/lib`,
 * `markdown-it`) and README prose, 9.3 M characters of code and 1.4 M of prose, fitted on one half
 * of the files and measured on the other:
 *
 * | text  | vs o200k_base: mean abs / p90 / worst under / all files together | vs cl100k_base        |
 * |-------|------------------------------------------------------------------|-----------------------|
 * | code  | 2.4 % / 5.0 % / −9.0 % / −0.7 %                                   | 2.5 / 5.1 / −10.2 / −0.6 % |
 * | prose | 3.2 % / 6.1 % / −8.2 % / −1.1 %                                   | 3.5 / 7.4 / −10.0 / −1.7 % |
 *
 * (`npm run bench -- context` re-measures this; characters ÷ 4 is off by 12.5 % on average.)
 * Han, kana and Hangul count one token per character (cl100k level; `o200k_base` needs 0.7–1.0
 * and Kimi's Chinese-heavy vocabulary fewer, so this over-counts: safe). Other non-ASCII
 * characters count half a token per UTF-16 unit.
 *
 * Margin: a file can be under-counted by up to ~10 %; a packed context of many files by ~2 %,
 * and Kimi's vocabulary differs from both references by an unknown few per cent. Budgets
 * therefore divide the window by {@link TOKEN_SAFETY_MARGIN} + 1 (10 %) before packing, which
 * covers the worst single file measured and leaves ~8 % for a typical pack.
 */

/** Fraction added to every estimate when checking it against the model's window. */
export const TOKEN_SAFETY_MARGIN = 0.1;

/** Fitted weights per piece kind (see the file comment). */
const WEIGHT = {
  word: 1.0,
  digits: 1.7,
  punctuation: 0.8,
  newline: 1.37,
  spaces: 2.2,
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
    if (cls === LOWER || cls === UPPER) {
      // A word; a lower→upper change starts a new piece (camelCase splits like the BPE's regex).
      words++;
      let prevLower = cls === LOWER;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        const k = d < 128 ? CLASS[d] : 0;
        if (k === LOWER) {
          prevLower = true;
        } else if (k === UPPER) {
          if (prevLower) {
            words++;
          }
          prevLower = false;
        } else {
          break;
        }
        i++;
      }
    } else if (cls === DIGIT) {
      const start = i;
      i++;
      while (i < n && text.charCodeAt(i) < 128 && CLASS[text.charCodeAt(i)] === DIGIT) {
        i++;
      }
      digitTokens += Math.ceil((i - start) / 3);
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
    cjk * WEIGHT.cjk +
    other * WEIGHT.otherNonAscii;
  return n === 0 ? 0 : Math.max(1, Math.ceil(estimate));
}

/** `tokens` plus the safety margin, rounded up: what the window must have room for. */
export function withSafetyMargin(tokens: number): number {
  return Math.ceil(tokens * (1 + TOKEN_SAFETY_MARGIN));
}
