import * as assert from 'node:assert/strict';
import { int, parseArgs, safeGlob, str } from '../../../src/core/chat/toolArgs';

describe("chat tool arguments (the model's JSON, read defensively)", () => {
  it('reads an object, empty text as {}, and nothing else', () => {
    assert.deepEqual(parseArgs('{"path":"a.ts"}'), { path: 'a.ts' });
    assert.deepEqual(parseArgs('  '), {});
    for (const raw of ['[1]', 'null', '"a"', '{broken']) {
      assert.equal(parseArgs(raw), undefined, raw);
    }
  });

  it('takes strings as strings and only positive integers as line numbers', () => {
    const args = { path: 'a.ts', n: 3, zero: 0, half: 1.5, text: '3' };
    assert.equal(str(args, 'path'), 'a.ts');
    assert.equal(str(args, 'n'), undefined);
    assert.equal(int(args, 'n'), 3);
    for (const key of ['zero', 'half', 'text', 'missing']) {
      assert.equal(int(args, key), undefined, key);
    }
  });

  it('keeps a glob relative and inside the folder', () => {
    assert.equal(safeGlob(' ./src\\**\\*.ts '), 'src/**/*.ts');
    for (const glob of ['', '/etc/*', 'C:/x/*', 'src/../../*', 'a'.repeat(301)]) {
      assert.equal(safeGlob(glob), undefined, glob);
    }
  });
});
