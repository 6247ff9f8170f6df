import * as assert from 'node:assert/strict';
import { completionMode } from '../../../src/core/completion/completionPrompt';
import { StreamCutter } from '../../../src/core/completion/streamCutter';
import type { CompletionMode } from '../../../src/core/completion/completionTypes';
import { snap } from './completionHelpers';

/**
 * Feeds `chunks` until the cutter says stop; returns the kept text, the reason and how many chunks
 * were read. `mode` defaults to what the prompt would ask for; tests of the multi-line rules in
 * front of code that goes on in the block force 'multiLine' (the prompt asks for one line there,
 * but the cutter's rules must hold for any block).
 */
function run(file: string, chunks: string[], lineCap?: number, mode?: CompletionMode): { text: string; reason: string | undefined; read: number } {
  const s = snap(file);
  const cutter = new StreamCutter(s, mode ?? completionMode(s), lineCap);
  let read = 0;
  for (const chunk of chunks) {
    read++;
    if (cutter.push(chunk)) {
      return { text: cutter.text, reason: cutter.reason, read };
    }
  }
  return { text: cutter.finish(), reason: cutter.reason, read };
}

describe('stream cutter', () => {
  it('single line: stops at the newline', () => {
    const r = run('const total = █', ['add(', '40, 2);', '\nconsole', '.log(total);']);
    assert.deepEqual(r, { text: 'add(40, 2);', reason: 'newline', read: 3 });
  });

  it('multi-line: stops before a line that leaves the block', () => {
    const r = run('function f() {\n  const a = 1;\n  █\n  // end\n}\n', ['const b = 2;\n', '  return a + b;\n', '}\n', 'function g() {\n'], undefined, 'multiLine');
    assert.equal(r.text, 'const b = 2;\n  return a + b;');
    assert.equal(r.reason, 'dedent');
    assert.equal(r.read, 3, 'stopped as soon as the dedented line was complete');
  });

  it('multi-line after an opener: keeps the closing line, then stops', () => {
    const r = run('function f() {█', ['\n  return 1;\n', '}\n', '\nfunction g() {}\n']);
    assert.equal(r.text, '\n  return 1;\n}');
    assert.equal(r.reason, 'blockEnd');
    assert.equal(r.read, 2);
  });

  it('multi-line: stops after a block the completion opened and closed', () => {
    const r = run('█', ['if (ready) {\n', '  start();\n', '}\n', 'stop();\n']);
    assert.equal(r.text, 'if (ready) {\n  start();\n}');
    assert.equal(r.reason, 'blockEnd');
  });

  it('multi-line: stops at a blank line once the statement is complete', () => {
    const r = run('function f() {\n  █\n}\n', ['const a = 1;\n', '  const b = 2;\n', '\n', '  return a;\n']);
    assert.equal(r.text, 'const a = 1;\n  const b = 2;');
    assert.equal(r.reason, 'blankLine');
  });

  it('multi-line: stops when the next line repeats the text after the cursor', () => {
    const r = run('function f() {\n  █\n  return a;\n}\n', ['const a = 1;\n', '  return a;\n', '}\n'], undefined, 'multiLine');
    assert.equal(r.text, 'const a = 1;');
    assert.equal(r.reason, 'repeatsSuffix');
  });

  it('multi-line: a line that shares a long start with the next existing line is kept, however it is chunked', () => {
    // From a review: an early cut on a shared 20-character start dropped lines like these.
    const file = "function wire(bus) {█\n  bus.registerHandler('close', onClose);\n}\n";
    const stream = "\n  bus.registerHandler('open', onOpen);\n  bus.registerHandler('message', onMessage);\n";
    for (const size of [4, 12, 40]) {
      const r = run(file, stream.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [], undefined, 'multiLine');
      assert.equal(r.text, stream, `chunks of ${size}`);
      assert.equal(r.reason, undefined, `chunks of ${size}`);
    }
  });

  it('multi-line: stops at a markdown fence', () => {
    const r = run('█', ['x();\n', '```\n', 'Explanation']);
    assert.equal(r.text, 'x();');
    assert.equal(r.reason, 'fence');
  });

  it('multi-line: stops at the line cap', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `  call${i}();\n`);
    const r = run('function f() {█', lines, 5);
    assert.equal(r.reason, 'lineCap');
    assert.equal(r.text.split('\n').length, 5);
  });

  it('a stream that ends by itself is not cut, but its last line is still judged', () => {
    assert.deepEqual(run('function f() {\n  █\n}\n', ['return 1;']), { text: 'return 1;', reason: undefined, read: 1 });
    const r = run('function f() {\n  █\n  // end\n}\n', ['return 1;\n', '  x', '();'], undefined, 'multiLine');
    assert.equal(r.text, 'return 1;\n  x();');
    assert.equal(r.reason, undefined);
  });

  it('multi-line: a line that leaves the block is cut at its first character, not its newline', () => {
    const r = run('function f() {\n  █\n  // end\n}\n', ['return 1;\n', '}', ' // never read'], undefined, 'multiLine');
    assert.deepEqual(r, { text: 'return 1;', reason: 'dedent', read: 2 });
  });

  it('multi-line: offers the complete lines while the block is still streaming', () => {
    const s = snap('function f() {\n  █\n}\n');
    const cutter = new StreamCutter(s, 'multiLine');
    cutter.push('const a = 1;\n  const b');
    assert.equal(cutter.completeLines, 'const a = 1;');
    cutter.push(' = 2;\n');
    assert.equal(cutter.completeLines, 'const a = 1;\n  const b = 2;');
    assert.equal(new StreamCutter(snap('x = █'), 'singleLine').completeLines, undefined);
  });
});
