import * as assert from 'node:assert/strict';
import { CodeStreamExtractor, extractCode } from '../../../src/core/mockup/codeExtraction';

/** Feeds `answer` in chunks of `size` and returns what was emitted, plus each push's output. */
function streamed(answer: string, size: number): { code: string; pushes: string[]; shape: string } {
  const x = new CodeStreamExtractor();
  const pushes: string[] = [];
  for (let i = 0; i < answer.length; i += size) {
    pushes.push(x.push(answer.slice(i, i + size)));
  }
  pushes.push(x.end());
  return { code: pushes.join(''), pushes, shape: x.shape };
}

const HTML = '<!DOCTYPE html>\n<html>\n  <body>\n    <pre>`not a fence` and ``` inline</pre>\n  </body>\n</html>\n';

describe('mockup code extraction', () => {
  const answers: [string, string, string][] = [
    ['a fenced block', '```html\n' + HTML + '```', 'fenced'],
    ['prose around the fence', 'Here is the page:\n\n```html\n' + HTML + '```\n\nThis uses flexbox. Let me know!', 'fenced'],
    ['bare code', HTML, 'bare'],
    ['bare code closed by a stray fence', HTML + '```\nTrailing words.', 'bare'],
    ['a leading think block', '<think>The header is dark.\n```no```</think>\n```html\n' + HTML + '```', 'fenced'],
    ['a tilde fence and CRLF closing', '~~~tsx\n' + HTML + '~~~\r\n', 'fenced'],
    ['a longer fence holding a shorter one', '````vue\n' + HTML + '```\n' + '````', 'fenced'],
  ];
  for (const [what, answer, shape] of answers) {
    it(`takes exactly the code from ${what}, at any chunk size`, () => {
      const expected = what.includes('shorter') ? HTML + '```\n' : HTML;
      for (const size of [1, 2, 3, 7, 64, answer.length]) {
        const result = streamed(answer, size);
        assert.equal(result.code, expected, `chunk size ${size}`);
        assert.equal(result.shape, shape);
      }
      assert.equal(extractCode(answer).code, expected);
    });
  }

  it('streams code as it arrives instead of holding it back', () => {
    const x = new CodeStreamExtractor();
    assert.equal(x.push('Sure!\n```html\n<div cla'), '<div cla');
    assert.equal(x.push('ss="a">'), 'ss="a">');
    // A line that might become the closing fence waits for its newline.
    assert.equal(x.push('\n``'), '\n');
    assert.equal(x.push('`\nmore prose'), '');
    assert.equal(x.end(), '');
    assert.equal(x.codeLength, '<div class="a">\n'.length);
  });

  it('never treats the rest of a streamed line as a fence', () => {
    const x = new CodeStreamExtractor();
    assert.equal(x.push('```js\nconst a = '), 'const a = ');
    assert.equal(x.push('```\n'), '```\n');
    assert.equal(x.push('```'), '');
    assert.equal(x.end(), '');
  });

  it('reports prose-only answers as having no code', () => {
    const answer = "I can't read this image: it appears to be blank.";
    const x = new CodeStreamExtractor();
    assert.equal(x.push(answer), '');
    assert.equal(x.end(), '');
    assert.equal(x.shape, 'none');
    assert.equal(x.proseText, answer);
  });

  it('keeps an unfinished last line of a cut-off answer', () => {
    assert.equal(extractCode('```html\n<div>\n  <p>Half').code, '<div>\n  <p>Half');
  });
});
