import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompletionContext } from '../../../src/core/completion/completionContext';
import type { CursorSnapshot } from '../../../src/core/completion/completionTypes';
import { cursorWindows, stringReader } from '../../../src/core/completion/completionWindow';
import type { PackedContext, TrackedDocument } from '../../../src/core/context/contextTypes';
import { declarationAt } from '../../../src/core/context/declarationText';
import type { Definition } from '../../../src/core/context/definitionTypes';
import type { SourceFile } from '../completionTyping';
import { simTokens } from './benchRequests';

/** node_modules of the checkout: the typed files, the other open files and the definitions come from there. */
export const NODE_MODULES = path.resolve(__dirname, '../../../../node_modules');

/** The other files of the workspace, as the context builder's tracker would hold them. */
export function otherDocuments(exclude: readonly string[], tokenGoal: number): TrackedDocument[] {
  const out: TrackedDocument[] = [];
  let tokens = 0;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (tokens > tokenGoal) {
        return;
      }
      const full = path.join(dir, entry.name);
      const rel = path.relative(NODE_MODULES, full).split(path.sep).join('/');
      if (entry.isDirectory()) {
        walk(full);
      } else if (full.endsWith('.ts') && !full.endsWith('.d.ts') && !exclude.includes(rel)) {
        const text = fs.readFileSync(full, 'utf8');
        out.push({ uri: `file:///nm/${rel}`, path: rel, relativePath: rel, folderKey: 'file:///nm', languageId: 'typescript', text, firstOpened: out.length });
        tokens += simTokens(text);
      }
    }
  };
  walk(path.join(NODE_MODULES, 'openai/src'));
  return out;
}

/**
 * A context source as the tracker does it for completion (the real CompletionContext and
 * packer, incremental): the files being edited are open, opened first, then the other files;
 * the active one is packed as a copy kept while the user types near the cursor.
 */
export function contextSource(edited: readonly SourceFile[], others: readonly TrackedDocument[], budgetTokens: number): (snapshot: CursorSnapshot, activeText: string) => PackedContext {
  const context = new CompletionContext();
  const later = others.map((d, i) => ({ ...d, firstOpened: edited.length + i }));
  const definitions = new Map(edited.map((f, i) => [`file:///bench/${f.name}`, benchDefinitions(i)]));
  return (snapshot, activeText) => {
    // The cursor, as the tracker reads it from the editor. These files are shorter than the
    // prefix window, so the prefix is all the text before the cursor.
    let line = 0;
    for (let i = snapshot.prefix.indexOf('\n'); i >= 0; i = snapshot.prefix.indexOf('\n', i + 1)) {
      line++;
    }
    const cursor = { line, character: snapshot.prefix.length - (snapshot.prefix.lastIndexOf('\n') + 1) };
    const open = edited.map((f, i): TrackedDocument => {
      const uri = `file:///bench/${f.name}`;
      // A file the typist left is back to its original text: each segment is retyped whole.
      return { uri, path: f.name, relativePath: f.name, folderKey: 'file:///bench', languageId: f.languageId, text: uri === snapshot.docKey ? activeText : f.text, firstOpened: i };
    });
    return context.pack({ budgetTokens, documents: [...open, ...later], activeUri: snapshot.docKey, cursor, definitions: definitions.get(snapshot.docKey) ?? [] });
  };
}

/**
 * Definitions as the tracker hands them for one file (the same array while the set is
 * unchanged): a dozen exported declarations of a mobx source file (not open), so the keystroke
 * path packs a definitions block as it does in the extension. COMPLETION_BENCH_DEFINITIONS=0
 * leaves them out (to compare).
 */
function benchDefinitions(index: number): Definition[] {
  const dir = path.join(NODE_MODULES, 'mobx/src/core');
  if (!fs.existsSync(dir) || process.env.COMPLETION_BENCH_DEFINITIONS === '0') {
    return [];
  }
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
  const file = path.join(dir, files[index % files.length]);
  const text = fs.readFileSync(file, 'utf8');
  const out: Definition[] = [];
  text.split('\n').forEach((line, i) => {
    const decl = out.length < 12 && /^export (function|class|interface|const|type) /.test(line) ? declarationAt(text, i) : undefined;
    if (decl) {
      const rel = path.relative(NODE_MODULES, file).split(path.sep).join('/');
      out.push({ uri: `file:///nm/${rel}`, path: rel, range: { startLine: decl.startLine, endLine: decl.endLine }, kind: decl.kind, name: decl.name, text: decl.text, source: 'languageServer', reason: 'bench', rank: out.length });
    }
  });
  return out;
}

/** The provider's cursor snapshot at `offset` of `text` in `file` (an automatic trigger). */
export function snapshotFor(file: SourceFile, text: string, offset: number): CursorSnapshot {
  const w = cursorWindows(stringReader(text), offset);
  return { docKey: `file:///bench/${file.name}`, path: file.name, languageId: file.languageId, prefix: w.prefix, suffix: w.suffix, indent: { insertSpaces: true, tabSize: 2 }, explicit: false };
}
