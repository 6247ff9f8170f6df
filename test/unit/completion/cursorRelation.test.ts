import * as assert from 'node:assert/strict';
import { fitAfterTyping, relate } from '../../../src/core/completion/cursorRelation';

const at = (prefix: string, suffix: string, docKey = 'file:///a.ts'): { docKey: string; prefix: string; suffix: string } => ({ docKey, prefix, suffix });

describe('cursor relation (typing into a suggestion)', () => {
  it('reads what was typed at the cursor when the text after it is unchanged', () => {
    assert.deepEqual(relate(at('const x', ';\n'), at('const x = 1', ';\n')), { typed: ' = 1', inserted: '' });
    assert.deepEqual(relate(at('a', ''), at('a', '')), { typed: '', inserted: '' });
  });

  it('reads the closer or quote the editor inserted after the cursor (`(` typed → `)` inserted)', () => {
    assert.deepEqual(relate(at('f', ';\n}'), at('f(', ');\n}')), { typed: '(', inserted: ')' });
    assert.deepEqual(relate(at('x = ', '\n'), at('x = [{', '}]\n')), { typed: '[{', inserted: '}]' });
    // The suffix window lost its last line meanwhile: still the same text after the closer.
    assert.deepEqual(relate(at('f', '\nnext\nlast'), at('f(', ')\nnext')), { typed: '(', inserted: ')' });
  });

  it('finds no relation across documents, after a deletion, elsewhere, or when the text after the cursor changed otherwise', () => {
    assert.equal(relate(at('const x', ''), at('const x =', '', 'file:///b.ts')), undefined);
    assert.equal(relate(at('const x', ''), at('const ', '')), undefined);
    assert.equal(relate(at('const x', ''), at('let x =', '')), undefined);
    assert.equal(relate(at('f', ';'), at('f(', 'x;')), undefined, 'not a closer');
    assert.equal(relate(at('f', ';'), at('f', ');')), undefined, 'a closer appeared but nothing was typed');
  });

  it('leaves the rest of a completion after typing its start, written over the inserted closer', () => {
    assert.deepEqual(fitAfterTyping({ text: ' = 1;', overwrite: 0 }, { typed: ' = ', inserted: '' }), { text: '1;', overwrite: 0 });
    assert.deepEqual(fitAfterTyping({ text: '(a, b);', overwrite: 1 }, { typed: '(', inserted: ')' }), { text: 'a, b);', overwrite: 2 });
  });

  it('leaves nothing when the completion was typed whole, or when its rest lacks the inserted closer', () => {
    assert.equal(fitAfterTyping({ text: 'abc', overwrite: 0 }, { typed: 'abc', inserted: '' }), undefined);
    assert.equal(fitAfterTyping({ text: '(a, b', overwrite: 0 }, { typed: '(', inserted: ')' }), undefined);
  });
});
