/**
 * Files whose text is not worth a model's attention: binary data, files over a size limit, and
 * generated or minified files (lock files, source maps, bundles, very long lines). Each verdict
 * carries a reason for the context report. One O(n) pass over the text, done once per document
 * version by the packer's cache.
 */

export interface ContentLimits {
  /** Files larger than this (UTF-8 bytes) are left out. */
  maxFileBytes: number;
  /** A line longer than this marks the file as minified or generated. */
  maxLineLength: number;
  /** An average line longer than this (in files of more than 2 lines) marks it too. */
  maxAverageLineLength: number;
  /** Share of control characters (other than tab, newline, CR, form feed) that marks binary. */
  maxControlRatio: number;
}

export const DEFAULT_CONTENT_LIMITS: ContentLimits = {
  maxFileBytes: 1_000_000,
  maxLineLength: 1_000,
  maxAverageLineLength: 300,
  maxControlRatio: 0.1,
};

/** What one pass over the text learned. */
export interface ContentStats {
  /** UTF-8 length. */
  bytes: number;
  lines: number;
  longestLine: number;
  /** The second longest line (a hand-written file may have one long line; minified code has more, or is one line). */
  secondLongestLine: number;
  /** A NUL character appears in the first 8 KiB. */
  hasNul: boolean;
  /** Control characters in the first 8 KiB, and how many characters were looked at. */
  controlChars: number;
  sampled: number;
  /** Longest run of backticks (for choosing a Markdown fence that the text cannot close). */
  longestBacktickRun: number;
}

const SAMPLE = 8192;

export function scanContent(text: string): ContentStats {
  const n = text.length;
  let bytes = 0;
  let lines = 1;
  let lineStart = 0;
  let longestLine = 0;
  let secondLongest = 0;
  let hasNul = false;
  let controlChars = 0;
  let run = 0;
  let longestRun = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      bytes += 1;
      if (c === 10) {
        const len = i - lineStart;
        if (len > longestLine) {
          secondLongest = longestLine;
          longestLine = len;
        } else if (len > secondLongest) {
          secondLongest = len;
        }
        lines++;
        lineStart = i + 1;
      } else if (c === 96) {
        run++;
        if (run > longestRun) {
          longestRun = run;
        }
        continue;
      } else if (c < 32 && i < SAMPLE && c !== 9 && c !== 13 && c !== 12) {
        controlChars++;
        if (c === 0) {
          hasNul = true;
        }
      }
    } else if (c < 0x800) {
      bytes += 2;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else {
      bytes += 3;
    }
    run = 0;
  }
  const last = n - lineStart;
  if (last > longestLine) {
    secondLongest = longestLine;
    longestLine = last;
  } else if (last > secondLongest) {
    secondLongest = last;
  }
  return { bytes, lines, longestLine, secondLongestLine: secondLongest, hasNul, controlChars, sampled: Math.min(n, SAMPLE), longestBacktickRun: longestRun };
}

const LOCK_FILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'cargo.lock',
  'poetry.lock',
  'pipfile.lock',
  'composer.lock',
  'gemfile.lock',
  'go.sum',
  'flake.lock',
  'packages.lock.json',
  'podfile.lock',
  'uv.lock',
]);

/** Why the file is generated, judged by its name alone, or undefined. */
export function generatedNameReason(path: string): string | undefined {
  const name = (path.replace(/\\/g, '/').split('/').pop() ?? '').toLowerCase();
  if (LOCK_FILES.has(name)) {
    return 'generated (lock file)';
  }
  if (/\.min\.(js|mjs|cjs|css)$/.test(name)) {
    return 'generated (minified)';
  }
  if (/\.(map)$/.test(name)) {
    return 'generated (source map)';
  }
  return undefined;
}

/** Why the text should be skipped (binary, too large, minified/generated), or undefined. */
export function contentSkipReason(path: string, stats: ContentStats, limits: ContentLimits = DEFAULT_CONTENT_LIMITS): string | undefined {
  if (stats.hasNul || (stats.sampled > 0 && stats.controlChars / stats.sampled > limits.maxControlRatio)) {
    return 'binary';
  }
  if (stats.bytes > limits.maxFileBytes) {
    return `too large (${formatBytes(stats.bytes)} > ${formatBytes(limits.maxFileBytes)})`;
  }
  const byName = generatedNameReason(path);
  if (byName) {
    return byName;
  }
  // One long line (a licence or a long comment in a hand-written file) is not minified code: two
  // are, or one that is most of the file.
  if (stats.longestLine > limits.maxLineLength && (stats.secondLongestLine > limits.maxLineLength || stats.longestLine * 2 > stats.bytes)) {
    return `generated or minified (a line of ${stats.longestLine} characters)`;
  }
  if (stats.lines > 2 && stats.bytes / stats.lines > limits.maxAverageLineLength) {
    return `generated or minified (average line ${Math.round(stats.bytes / stats.lines)} characters)`;
  }
  return undefined;
}

/**
 * Why a document of `chars` UTF-16 code units is too large, judged before reading its text (its
 * UTF-8 size is at least that), or undefined when it may fit. Lets an adapter leave a 50 MB file
 * out without copying or scanning it.
 */
export function sizeSkipReason(chars: number, limits: ContentLimits = DEFAULT_CONTENT_LIMITS): string | undefined {
  return chars > limits.maxFileBytes ? `too large (${formatBytes(chars)} or more > ${formatBytes(limits.maxFileBytes)})` : undefined;
}

/** Whether a sample of text looks binary (a NUL, or too many control characters), as `contentSkipReason` judges files. */
export function looksBinary(sample: string, limits: ContentLimits = DEFAULT_CONTENT_LIMITS): boolean {
  const stats = scanContent(sample.length > SAMPLE ? sample.slice(0, SAMPLE) : sample);
  return stats.hasNul || (stats.sampled > 0 && stats.controlChars / stats.sampled > limits.maxControlRatio);
}

function formatBytes(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)} MB` : n >= 1000 ? `${Math.round(n / 1000)} KB` : `${n} B`;
}
