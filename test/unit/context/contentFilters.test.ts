import * as assert from 'node:assert/strict';
import { contentSkipReason, DEFAULT_CONTENT_LIMITS, scanContent } from '../../../src/core/context/contentFilters';

const skip = (path: string, text: string, limits = DEFAULT_CONTENT_LIMITS): string | undefined => contentSkipReason(path, scanContent(text), limits);

describe('contentFilters', () => {
  it('scans bytes, lines and backtick runs in one pass', () => {
    const stats = scanContent('ab\n```\né😀\n');
    assert.equal(stats.bytes, 2 + 1 + 3 + 1 + 2 + 4 + 1);
    assert.equal(stats.lines, 4);
    assert.equal(stats.longestLine, 3);
    assert.equal(stats.longestBacktickRun, 3);
  });

  it('skips binary content: NUL bytes or many control characters', () => {
    assert.equal(skip('a.bin', 'PK\u0003\u0004\u0000\u0000rest'), 'binary');
    assert.equal(skip('a.dat', '\u0001\u0002\u0003\u0004'.repeat(20) + 'text'.repeat(10)), 'binary');
    assert.equal(skip('a.ts', 'const tab =\t"\\f";\r\n'), undefined);
  });

  it('skips files over the size limit', () => {
    assert.equal(skip('big.ts', 'x\n'.repeat(600_000)), 'too large (1.2 MB > 1.0 MB)');
    assert.equal(skip('big.ts', 'x\n'.repeat(600), { ...DEFAULT_CONTENT_LIMITS, maxFileBytes: 1_000 }), 'too large (1 KB > 1 KB)');
  });

  it('skips minified and generated files with the reason', () => {
    assert.equal(skip('bundle.js', `!function(){${'a=1;'.repeat(400)}}();\n`), 'generated or minified (a line of 1616 characters)');
    assert.equal(skip('data.ts', `${'x'.repeat(400)}\n`.repeat(10)), 'generated or minified (average line 365 characters)');
    assert.equal(skip('web/app.min.js', 'a'), 'generated (minified)');
    assert.equal(skip('dist/app.js.map', '{}'), 'generated (source map)');
    assert.equal(skip('package-lock.json', '{}'), 'generated (lock file)');
    assert.equal(skip('sub/yarn.lock', '#'), 'generated (lock file)');
    assert.equal(skip('src/app.ts', 'export const a = 1;\n'), undefined);
  });
});
