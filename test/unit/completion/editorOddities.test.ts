// Editor oddities (issue 7), the pure parts: what the context packer and the completion windows do
// with a 50 MB file, binary data, a 5 MB one-line minified file, non-UTF-8 text, notebook cells,
// untitled documents and multi-root workspaces. The VS Code side is test/integration/editorOddities.test.ts.
import * as assert from 'node:assert/strict';
import { CompletionPromptCache } from '../../../src/core/completion/completionPrompt';
import type { CursorSnapshot } from '../../../src/core/completion/completionTypes';
import { cursorWindows, PREFIX_WINDOW_CHARS, PREFIX_WINDOW_STEP, stringReader, SUFFIX_WINDOW_CHARS, windowSkipReason, type TextReader } from '../../../src/core/completion/completionWindow';
import { contentSkipReason, DEFAULT_CONTENT_LIMITS, looksBinary, scanContent, sizeSkipReason } from '../../../src/core/context/contentFilters';
import { packContext } from '../../../src/core/context/contextPacker';
import type { TrackedDocument } from '../../../src/core/context/contextTypes';
import { IgnoreRules } from '../../../src/core/context/ignoreRules';

function doc(path: string, text: string, firstOpened: number, extra: Partial<TrackedDocument> = {}): TrackedDocument {
  return { uri: `file:///ws/${path}`, path, languageId: 'typescript', text, firstOpened, folderKey: 'file:///ws', relativePath: path, ...extra };
}

/** A reader that records how many characters were read through it. */
function countingReader(text: string): TextReader & { read: number } {
  const reader = {
    length: text.length,
    read: 0,
    slice(start: number, end: number): string {
      const s = text.slice(start, end);
      reader.read += s.length;
      return s;
    },
  };
  return reader;
}

function snapshot(prefix: string, suffix: string, path = 'a.ts'): CursorSnapshot {
  return { docKey: `file:///ws/${path}`, path, languageId: 'typescript', prefix, suffix, indent: { insertSpaces: true, tabSize: 2 }, explicit: false };
}

/** Bytes as an editor that assumes UTF-8 shows them (invalid sequences become U+FFFD). */
const asUtf8 = (bytes: Uint8Array): string => new TextDecoder('utf-8').decode(bytes);
/** Latin-1 source text: "café = 'naïve'; // résumé" in ISO-8859-1. */
const LATIN1 = Uint8Array.from([...'const caf'].map((c) => c.charCodeAt(0)).concat([0xe9], [...` = 'na`].map((c) => c.charCodeAt(0)), [0xef], [...`ve'; // r`].map((c) => c.charCodeAt(0)), [0xe9, 0x73, 0x75, 0x6d, 0xe9, 0x0a]));

describe('editor oddities (pure parts)', () => {
  describe('a 50 MB file', () => {
    it('is left out by its length alone, before its text is read', () => {
      assert.equal(sizeSkipReason(50_000_000), 'too large (50.0 MB or more > 1.0 MB)');
      assert.equal(sizeSkipReason(DEFAULT_CONTENT_LIMITS.maxFileBytes), undefined, 'exactly at the limit it may still fit');
      assert.equal(sizeSkipReason(2_000, { ...DEFAULT_CONTENT_LIMITS, maxFileBytes: 1_000 }), 'too large (2 KB or more > 1 KB)');
    });

    it('is left out of the context when its text does reach the packer, and never rendered', () => {
      const line = 'export const x = 1; // padding padding padding padding padding padding\n';
      const big = line.repeat(Math.ceil(50_000_000 / line.length));
      const packed = packContext({ purpose: 'chat', budgetTokens: 200_000, documents: [doc('big.ts', big, 1), doc('app.ts', 'const a = 1;\n', 2)], activeUri: 'file:///ws/app.ts' });
      assert.deepEqual(packed.report.excluded.find((e) => e.path === 'big.ts'), { path: 'big.ts', reason: 'too large (50.0 MB > 1.0 MB)', kind: 'content' });
      assert.ok(!packed.text.includes('padding padding'), 'none of its text is in the context');
    });

    it('completion reads only its cursor windows, wherever the cursor is', () => {
      const line = 'let value = compute(value) + 1; // a line of ordinary code here\n';
      const big = line.repeat(Math.ceil(50_000_000 / line.length));
      for (const at of [0, Math.floor(big.length / 2), big.length]) {
        const reader = countingReader(big);
        const w = cursorWindows(reader, at);
        assert.ok(w.prefix.length <= PREFIX_WINDOW_CHARS + PREFIX_WINDOW_STEP, `prefix ${w.prefix.length} chars at ${at}`);
        assert.ok(w.suffix.length <= SUFFIX_WINDOW_CHARS);
        assert.ok(reader.read <= PREFIX_WINDOW_CHARS + PREFIX_WINDOW_STEP + SUFFIX_WINDOW_CHARS, `read ${reader.read} chars at ${at}`);
        assert.equal(big.slice(w.prefixStart, at), w.prefix);
      }
    });
  });

  describe('binary data', () => {
    const bytes = Uint8Array.from({ length: 64 * 1024 }, (_, i) => (i * 2_654_435_761) >>> 24);
    const binary = asUtf8(bytes);

    it('is left out of the context as binary, with the reason', () => {
      assert.equal(contentSkipReason('image.png', scanContent(binary)), 'binary');
      const packed = packContext({ purpose: 'chat', budgetTokens: 100_000, documents: [doc('image.png', binary, 1), doc('app.ts', 'const a = 1;\n', 2)], activeUri: 'file:///ws/app.ts' });
      assert.deepEqual(packed.report.excluded[0], { path: 'image.png', reason: 'binary', kind: 'content' });
      assert.equal(packed.blocks.filter((b) => b.key === 'image.png').length, 0);
    });

    it('gets no completion: the text around the cursor looks binary', () => {
      const w = cursorWindows(stringReader(binary), 30_000);
      assert.equal(windowSkipReason(w), 'binary text around the cursor');
      assert.equal(windowSkipReason({ prefix: 'header\u0000\u0000\u0000', suffix: '' }), 'binary text around the cursor');
      assert.equal(looksBinary('PK\u0003\u0004\u0014\u0000'), true);
    });

    it('gets no completion where the windows hold a private key: before, after, or split by the cursor', () => {
      const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n';
      const reason = 'contains a private key: never sent';
      assert.equal(windowSkipReason({ prefix: `const k = \`${key}`, suffix: '`;\n' }), reason);
      assert.equal(windowSkipReason({ prefix: 'const k = `', suffix: `${key}\`;\n` }), reason);
      const at = key.indexOf('PRIVATE') + 3;
      assert.equal(windowSkipReason({ prefix: key.slice(0, at), suffix: key.slice(at) }), reason);
      assert.equal(windowSkipReason({ prefix: 'const BEGIN = "-----BEGIN";\n', suffix: 'const doc = "a PUBLIC KEY-----";\n' }), undefined);
    });

    it('ordinary code (tabs, form feeds, CRLF, far-away NULs) still completes', () => {
      assert.equal(windowSkipReason({ prefix: 'function f() {\r\n\tconst s = "\f";\r\n\t', suffix: '\r\n}\r\n' }), undefined);
      // A NUL far from the cursor (an embedded blob 10 KB back) does not stop completion here.
      assert.equal(windowSkipReason({ prefix: `const blob = "\u0000";\n${'x = x + 1;\n'.repeat(1_000)}`, suffix: '' }), undefined);
    });
  });

  describe('a 5 MB one-line minified file', () => {
    const minified = `!function(e){${'var a=e.call(this,1)||{};a.b=function(c){return c*2};'.repeat(Math.ceil(5_000_000 / 52))}}(window);`;

    it('is left out of the context as minified', () => {
      assert.ok(minified.length >= 5_000_000 && !minified.includes('\n'));
      const reason = contentSkipReason('bundle.js', scanContent(minified), { ...DEFAULT_CONTENT_LIMITS, maxFileBytes: 10_000_000 });
      assert.equal(reason, `generated or minified (a line of ${minified.length} characters)`);
      assert.match(contentSkipReason('bundle.js', scanContent(minified)) ?? '', /^too large \(5\.\d MB > 1\.0 MB\)$/);
    });

    it('completion carries a bounded window of the line, stable while typing', () => {
      const at = Math.floor(minified.length * 0.75);
      const reader = countingReader(minified);
      const w = cursorWindows(reader, at);
      assert.ok(w.prefix.length > PREFIX_WINDOW_CHARS - PREFIX_WINDOW_STEP && w.prefix.length <= PREFIX_WINDOW_CHARS + PREFIX_WINDOW_STEP, `prefix ${w.prefix.length}`);
      assert.equal(w.suffix.length, SUFFIX_WINDOW_CHARS, 'no newline to cut at: the whole suffix window');
      assert.ok(reader.read <= PREFIX_WINDOW_CHARS + PREFIX_WINDOW_STEP + SUFFIX_WINDOW_CHARS);
      // One more character typed: the window starts at the same place (the prompt's cache prefix holds).
      const typed = minified.slice(0, at) + 'x' + minified.slice(at);
      assert.equal(cursorWindows(stringReader(typed), at + 1).prefixStart, w.prefixStart);
      const prompt = new CompletionPromptCache().build(snapshot(w.prefix, w.suffix, 'bundle.js'), '', 'kimi-k2.5');
      const body = JSON.stringify(prompt.request);
      assert.ok(body.length < 200_000, `request body ${body.length} chars`);
    });
  });

  describe('non-UTF-8 text', () => {
    it('latin-1 read as UTF-8 (U+FFFD) is text, not binary, and stays valid JSON on the wire', () => {
      const text = asUtf8(LATIN1);
      assert.ok(text.includes('\ufffd'));
      assert.equal(contentSkipReason('legacy.ts', scanContent(text)), undefined);
      assert.equal(windowSkipReason({ prefix: text, suffix: '' }), undefined);
      const prompt = new CompletionPromptCache().build(snapshot(text, '\n', 'legacy.ts'), 'ctx \ufffd', 'kimi-k2.5');
      const wire = JSON.parse(JSON.stringify(prompt.request)) as { messages: { content: string }[] };
      assert.equal(wire.messages[2].content, text, 'the text before the cursor arrives as the editor shows it');
    });

    it('latin-1 read as latin-1 packs with its accents', () => {
      const text = new TextDecoder('latin1').decode(LATIN1);
      assert.equal(text, "const café = 'naïve'; // résumé\n");
      const packed = packContext({ purpose: 'chat', budgetTokens: 10_000, documents: [doc('legacy.ts', text, 1)], activeUri: 'file:///ws/legacy.ts', cursor: { line: 0, character: 5 } });
      assert.ok(packed.text.includes("const café = 'naïve';"));
      assert.equal(scanContent(text).bytes, 36, 'UTF-8 size counts the accents as 2 bytes');
    });

    it('a lone surrogate (broken UTF-16) does not break the request body', () => {
      const text = 'const s = "\ud800";\nconst t = ';
      const prompt = new CompletionPromptCache().build(snapshot(text, '\n'), '', 'kimi-k2.5');
      const json = JSON.stringify(prompt.request);
      assert.doesNotThrow(() => JSON.parse(json));
      assert.ok(Buffer.from(json, 'utf8').toString('utf8') === json, 'the body is well-formed UTF-8 (the surrogate is \\u-escaped)');
    });
  });

  describe('notebook cells', () => {
    it("a cell completes from its own text; other cells' editors are reported, not packed", () => {
      const cell = 'import numpy as np\nx = np.arange(10)\ny = ';
      const w = cursorWindows(stringReader(cell), cell.length);
      assert.deepEqual([w.prefix, w.suffix, windowSkipReason(w)], [cell, '', undefined]);
      const packed = packContext({
        purpose: 'chat',
        budgetTokens: 10_000,
        documents: [doc('app.ts', 'const a = 1;\n', 1)],
        activeUri: 'file:///ws/app.ts',
        preExcluded: [{ path: 'vscode-notebook-cell:/ws/analysis.ipynb#W0sZmlsZQ%3D%3D', reason: 'not a file (vscode-notebook-cell: scheme)', kind: 'scheme' }],
      });
      assert.deepEqual(packed.report.excluded[0].kind, 'scheme');
      assert.ok(!packed.text.includes('np.arange'));
    });
  });

  describe('untitled documents', () => {
    it('pack with the untitled mark, and a pasted private key is still left out', () => {
      const key = ['-----BEGIN', ' OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n'].join('');
      const packed = packContext({
        purpose: 'chat',
        budgetTokens: 10_000,
        documents: [doc('Untitled-1', 'scratch = 1\n', 1, { uri: 'untitled:Untitled-1', untitled: true, folderKey: undefined, relativePath: undefined }), doc('Untitled-2', key, 2, { uri: 'untitled:Untitled-2', untitled: true, folderKey: undefined, relativePath: undefined })],
        activeUri: 'file:///ws/none.ts',
      });
      assert.ok(packed.text.includes('## File: Untitled-1 (untitled, never saved)'));
      assert.deepEqual(packed.report.excluded.find((e) => e.path === 'Untitled-2'), { path: 'Untitled-2', reason: 'contains a private key', kind: 'secret' });
      assert.ok(!packed.text.includes('b3BlbnNzaC1rZXktdjEAAAAA'));
    });
  });

  describe('multi-root workspaces', () => {
    it("each folder's ignore rules apply only to its own files (one relative path in two folders), and a file outside every folder still packs", () => {
      const ignore = new IgnoreRules();
      ignore.setIgnoreFile('file:///a', '', '.gitignore', 'generated.ts\n');
      const documents = [
        doc('api/generated.ts', 'export const fromApi = 1;\n', 1, { uri: 'file:///a/generated.ts', folderKey: 'file:///a', relativePath: 'generated.ts' }),
        doc('web/generated.ts', 'export const fromWeb = 2;\n', 2, { uri: 'file:///b/generated.ts', folderKey: 'file:///b', relativePath: 'generated.ts' }),
        doc('notes.ts', 'export const outside = 3;\n', 3, { uri: 'file:///elsewhere/notes.ts', folderKey: undefined, relativePath: undefined }),
      ];
      const packed = packContext({ purpose: 'chat', budgetTokens: 10_000, documents, activeUri: 'file:///b/generated.ts', ignore, workspace: { folders: ['api', 'web'], files: ['api/src.ts', 'web/src.ts'], totalFiles: 2 } });
      assert.deepEqual(packed.report.excluded, [{ path: 'api/generated.ts', reason: 'ignored by .gitignore (generated.ts)', kind: 'ignored' }]);
      assert.ok(packed.text.includes('## Active file: web/generated.ts'));
      assert.ok(packed.text.includes('## File: notes.ts'), 'a file outside every folder (no folder, no ignore rules) is packed');
      assert.ok(!packed.text.includes('fromApi'));
    });
  });
});
