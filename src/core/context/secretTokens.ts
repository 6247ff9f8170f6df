/**
 * Credentials pasted into any text (API keys, access tokens, JWTs, password values): found with
 * one cheap pattern of literal anchors and the full rules on the lines it hits, and masked in place so the rest of the file stays useful
 * and the masked text is the same bytes every time (the prompt cache keeps working). Pure.
 *
 * The token shapes are ported from secretlint's recommended rule set
 * (@secretlint/secretlint-rule-preset-recommend 13.1.0, https://github.com/secretlint/secretlint,
 * MIT licence, Copyright (c) 2020 azu): AWS access key IDs, GitHub, GitLab, npm, Slack, Stripe
 * and OpenAI/Anthropic-style `sk-` keys; and from gitleaks' default rules
 * (https://github.com/gitleaks/gitleaks, MIT licence, Copyright (c) 2019 Zachary Rice): Google
 * API keys and JWTs. The package itself does not fit the shipped bundle: it is 230 KB of ESM with
 * lodash inside, and its rules are secretlint plug-ins (`create(context)` reporting through the
 * secretlint runtime), not regular expressions one can import. The `sk-` rule is wider than
 * secretlint's OpenAI rule (Moonshot's and other hosts' keys are `sk-` and 20+ characters), and
 * the password rule is Moonpilot's own. Private keys (`-----BEGIN … PRIVATE KEY`) are not masked
 * here: a file holding one is left out whole (secretFiles.ts).
 */

interface TokenRule {
  /** What the masked text says it was. */
  label: string;
  /** Source of the rule's pattern (no capturing groups: the combined pattern numbers one per rule). */
  source: string;
}

/** Letters, digits, `_`, `-`: a token character on either side means it is part of a longer word. */
const NOT_AFTER = '(?<![A-Za-z0-9_-])';
const NOT_BEFORE = '(?![A-Za-z0-9_-])';

const RULES: readonly TokenRule[] = [
  { label: 'private key', source: '-----BEGIN[ A-Z]*PRIVATE KEY(?: BLOCK)?-----[\\s\\S]*?(?:-----END[ A-Z]*PRIVATE KEY(?: BLOCK)?-----|$(?![\\s\\S]))' },
  { label: 'AWS access key ID', source: '\\b(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}\\b' },
  { label: 'GitHub token', source: `${NOT_AFTER}(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36}(?![A-Za-z0-9_])` },
  { label: 'GitHub token', source: `${NOT_AFTER}github_pat_[A-Za-z0-9_]{82}(?![A-Za-z0-9_])` },
  { label: 'GitLab token', source: `${NOT_AFTER}glpat-[A-Za-z0-9_-]{20,128}${NOT_BEFORE}` },
  { label: 'npm token', source: `${NOT_AFTER}npm_[A-Za-z0-9_]{36}(?![A-Za-z0-9_])` },
  { label: 'Slack token', source: '\\b(?:xoxb|xoxp|xapp|xoxa|xoxo|xoxr|xoxe)-(?:\\d-)?(?:[a-zA-Z0-9]{1,40}-)+[a-zA-Z0-9]{1,40}\\b' },
  { label: 'Stripe key', source: `${NOT_AFTER}(?:sk|rk)_(?:live|test)_[a-zA-Z0-9]{24,99}(?![a-zA-Z0-9])` },
  // Kimi/Moonshot, OpenAI, Anthropic, DeepSeek…: `sk-` and 20 or more key characters, one a digit.
  { label: 'API key (sk-…)', source: `${NOT_AFTER}sk-(?=[A-Za-z_-]*[0-9])[A-Za-z0-9_-]{20,}${NOT_BEFORE}` },
  { label: 'Google API key', source: `${NOT_AFTER}AIza[0-9A-Za-z_-]{35}${NOT_BEFORE}` },
  { label: 'JWT', source: `${NOT_AFTER}ey[A-Za-z0-9]{17,}\\.ey[A-Za-z0-9/\\\\_-]{17,}\\.[A-Za-z0-9/\\\\_-]{10,}={0,2}` },
  // The value of a password setting: quoted after `=` or `:` anywhere, or bare after `=` on a
  // line of its own (.env, .ini, .properties style). Placeholders (`${…}`, `{{…}}`, `<…>`) stay.
  {
    label: 'password',
    source: `(?<=(?:[Pp]ass(?:word|wd)|PASS(?:WORD|WD)|[Pp]wd|PWD)["']?\\s*[:=]\\s*["'\`])(?![$<{%])[^"'\`\\r\\n]{3,200}(?=["'\`])|(?<=^[ \\t]*(?:export[ \\t]+)?[A-Za-z0-9_.-]*(?:[Pp]ass(?:word|wd)|PASS(?:WORD|WD)|[Pp]wd|PWD)[ \\t]*=[ \\t]*)(?![$<{%])[^\\s"'\`$<{(\\[;,#]{3,200}(?=[ \\t]*(?:[#;].*)?$)`,
  },
];

const COMBINED = new RegExp(RULES.map((r) => `(${r.source})`).join('|'), 'gm');

export interface SecretToken {
  label: string;
  start: number;
  end: number;
}

/**
 * Literal pieces of which every rule's match holds at least one: one cheap pattern over the whole
 * text (about 2 ms per 100K characters), the full rules only on the lines it hits.
 */
const ANCHORS = /PRIVATE KEY|A3T|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA|AIza|gh[pousr]_|github_pat_|glpat-|npm_|xox|xapp-|k_live_|k_test_|sk-|eyJ|[Pp]ass|PASS|[Pp]wd|PWD/g;

/** Every credential in `text`, in order. */
export function findSecretTokens(text: string): SecretToken[] {
  const found: SecretToken[] = [];
  let from = -1;
  let to = -1;
  const scan = (): void => {
    const slice = text.slice(from, to);
    COMBINED.lastIndex = 0;
    for (let m = COMBINED.exec(slice); m !== null; m = COMBINED.exec(slice)) {
      const rule = m.findIndex((g, i) => i > 0 && g !== undefined);
      found.push({ label: RULES[rule - 1]?.label ?? 'secret', start: from + m.index, end: from + m.index + m[0].length });
      if (m[0].length === 0) {
        COMBINED.lastIndex++;
      }
    }
  };
  ANCHORS.lastIndex = 0;
  for (let hit = ANCHORS.exec(text); hit !== null; hit = ANCHORS.exec(text)) {
    // The hit's line; a private key runs on to its END line (or the end of the text).
    const start = text.lastIndexOf('\n', hit.index) + 1;
    const close = hit[0] === 'PRIVATE KEY' ? text.indexOf('-----END', hit.index) : hit.index;
    const lineEnd = close < 0 ? -1 : text.indexOf('\n', close);
    const end = lineEnd < 0 ? text.length : lineEnd;
    if (start <= to) {
      to = Math.max(to, end);
    } else {
      if (to >= 0) {
        scan();
      }
      from = start;
      to = end;
    }
    ANCHORS.lastIndex = Math.max(ANCHORS.lastIndex, end);
  }
  if (to >= 0) {
    scan();
  }
  return found;
}

/** Why the text must not be sent as it is ("contains a GitHub token"), or undefined. */
export function secretTokenReason(text: string): string | undefined {
  const first = findSecretTokens(text)[0];
  return first && `contains ${/^(?:[AEIOU]|npm)/.test(first.label) ? 'an' : 'a'} ${first.label}`;
}

export interface MaskedText {
  /** The text with every credential replaced by `[masked LABEL]`; the same string when none was found. */
  text: string;
  /** How many were masked, and what they were (labels in order of first appearance, once each). */
  count: number;
  labels: string[];
}

/** Masks every credential except private keys (a file holding one is left out whole; see `findSecretTokens`). */
export function maskSecretTokens(text: string): MaskedText {
  const found = findSecretTokens(text).filter((t) => t.label !== 'private key');
  if (found.length === 0) {
    return { text, count: 0, labels: [] };
  }
  let out = '';
  let at = 0;
  const labels: string[] = [];
  for (const token of found) {
    out += `${text.slice(at, token.start)}[masked ${token.label}]`;
    at = token.end;
    if (!labels.includes(token.label)) {
      labels.push(token.label);
    }
  }
  return { text: out + text.slice(at), count: found.length, labels };
}

/** "2 secrets masked (GitHub token, password)" for the context report. */
export function describeMasked(masked: Pick<MaskedText, 'count' | 'labels'>): string {
  return `${masked.count} ${masked.count === 1 ? 'secret' : 'secrets'} masked (${masked.labels.join(', ')})`;
}
