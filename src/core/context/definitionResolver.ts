/**
 * Which symbols a line near the cursor is likely to need, and a resolver that asks a
 * language-server style locator where they are declared (VS Code's definition provider in the
 * extension, the TypeScript language service in the benchmark), reads those files and cuts out
 * the declarations. Pure: the locator is the host.
 *
 * The symbols asked about: every identifier in a window of lines around the cursor (nearest
 * first: a line mostly uses what the lines around it use), then the names the file imports
 * (84–95 % of the definitions a line needs sit in a file the current file imports directly).
 */
import { codeMask } from './codeMask';
import { declarationAt, enclosingDeclarationLine, type Declaration } from './declarationText';
import type { CursorPosition } from './contextTypes';
import type { Definition, DefinitionLocator, DefinitionQuery, DefinitionResolver } from './definitionTypes';
import { IMPORT_RANK, parseImports } from './importGraph';

/** Lines around the cursor whose identifiers are looked up. */
export const TARGET_WINDOW = { before: 40, after: 20 } as const;
/** Most positions asked about per query (each is one provider call). */
export const MAX_TARGETS = 120;

const KEYWORDS = new Set(
  (
    'abstract any as async await boolean break case catch class const constructor continue debugger declare default delete do else enum export extends false finally for from function get if implements import in infer instanceof interface is keyof let module namespace never new null number object of package private protected public readonly require return satisfies set static string super switch symbol this throw true try type typeof undefined unique unknown var void while with yield ' +
    'def elif except lambda nonlocal pass raise self None True False fn impl mut pub struct trait use where func go chan defer map range select'
  ).split(' '),
);

export interface DefinitionTarget {
  name: string;
  position: CursorPosition;
  rank: number;
  reason: string;
}

/** Lines of a selection looked up at most, besides the window around the cursor. */
export const MAX_SELECTION_LINES = 200;

/**
 * The positions to ask about, nearest to the cursor first, then the imported names; one per
 * name. A selection's lines (up to 200) count as near the cursor too.
 */
export function definitionTargets(text: string, cursor: CursorPosition, selection?: { startLine: number; endLine: number }): DefinitionTarget[] {
  const mask = codeMask(text);
  const lines = mask.split('\n');
  const byName = new Map<string, DefinitionTarget>();
  const selFrom = selection ? Math.max(selection.startLine, selection.endLine - MAX_SELECTION_LINES) : cursor.line;
  const from = Math.max(0, Math.min(cursor.line - TARGET_WINDOW.before, selFrom));
  const to = Math.min(lines.length - 1, Math.max(cursor.line + TARGET_WINDOW.after, selection ? Math.min(selection.endLine, selFrom + MAX_SELECTION_LINES) : 0));
  for (let line = from; line <= to; line++) {
    if (/^\s*import\b/.test(lines[line])) {
      continue;
    }
    for (const m of lines[line].matchAll(/[A-Za-z_$][\w$]*/g)) {
      const name = m[0];
      const at = m.index ?? 0;
      if (KEYWORDS.has(name) || name.length < 2 || (at > 0 && /[\d.]/.test(lines[line][at - 1]) && lines[line][at - 1] !== '.')) {
        continue;
      }
      const rank = selection && line >= selection.startLine && line <= selection.endLine ? 0 : Math.abs(line - cursor.line);
      const old = byName.get(name);
      if (!old || rank < old.rank) {
        byName.set(name, { name, position: { line, character: at }, rank, reason: `\`${name}\` used on line ${line + 1}` });
      }
    }
  }
  const near = [...byName.values()].sort((a, b) => a.rank - b.rank || a.position.line - b.position.line || a.position.character - b.position.character);
  const imported: DefinitionTarget[] = [];
  let i = 0;
  for (const stmt of parseImports(text)) {
    const stmtLines = lines.slice(stmt.line, stmt.line + 40);
    for (const n of stmt.names) {
      i++;
      if (byName.has(n.local)) {
        continue;
      }
      for (let k = 0; k < stmtLines.length; k++) {
        const m = new RegExp(`(^|[^\\w$])${n.local.replace(/\$/g, '\\$')}(?![\\w$])`).exec(stmtLines[k]);
        if (m) {
          imported.push({ name: n.local, position: { line: stmt.line + k, character: m.index + m[1].length }, rank: IMPORT_RANK + i, reason: `imported as \`${n.local}\` (line ${stmt.line + k + 1})` });
          break;
        }
      }
    }
  }
  return [...near.slice(0, MAX_TARGETS - Math.min(imported.length, MAX_TARGETS / 2)), ...imported].slice(0, MAX_TARGETS);
}

/** Declarations in these files are the language's own (lib.d.ts and the like): known to the model, not worth the budget. */
const LANGUAGE_LIBRARY = /\/node_modules\/(?:typescript\/lib|@types\/node)\/|\/lib\.[\w.]*\.d\.ts$/;

/** Definitions through a language-server style locator (see the file comment). */
export class LocatorDefinitionResolver implements DefinitionResolver {
  constructor(private readonly locator: DefinitionLocator) {}

  async resolve(query: DefinitionQuery, signal?: AbortSignal): Promise<Definition[]> {
    const targets = definitionTargets(query.text, query.cursor, query.selection);
    if (targets.length === 0) {
      return [];
    }
    const positions = targets.map((t) => t.position);
    const near = targets.filter((t) => t.rank < IMPORT_RANK);
    const [answers, typeAnswers] = await Promise.all([
      this.locator.definitionsAt(query.uri, positions, signal),
      this.locator.typeDefinitionsAt ? this.locator.typeDefinitionsAt(query.uri, near.map((t) => t.position), signal) : Promise.resolve([]),
    ]);
    const wanted = new Map<string, { uri: string; line: number; rank: number; reason: string; name: string; enclosing: boolean }>();
    const want = (uri: string, line: number, rank: number, reason: string, name: string, enclosing: boolean): void => {
      if (uri === query.uri || LANGUAGE_LIBRARY.test(uri)) {
        return;
      }
      const key = `${uri}\u0000${line}`;
      const old = wanted.get(key);
      if (!old || rank < old.rank) {
        wanted.set(key, { uri, line, rank, reason, name, enclosing });
      }
    };
    targets.forEach((t, i) => {
      for (const loc of answers[i] ?? []) {
        want(loc.uri, loc.line, t.rank, t.reason, t.name, true);
      }
    });
    near.forEach((t, i) => {
      for (const loc of typeAnswers[i] ?? []) {
        want(loc.uri, loc.line, t.rank + 0.5, `the type of ${t.reason}`, t.name, false);
      }
    });
    const texts = new Map<string, string | undefined>();
    const read = async (uri: string): Promise<string | undefined> => {
      if (!texts.has(uri)) {
        texts.set(uri, await this.locator.readText(uri));
      }
      return texts.get(uri);
    };
    const out: Definition[] = [];
    const done = new Set<string>();
    const add = (uri: string, text: string, line: number, rank: number, reason: string, name: string): Declaration | undefined => {
      const decl = declarationAt(text, line);
      const key = `${uri}\u0000${decl?.startLine}`;
      if (!decl || done.has(key)) {
        return decl;
      }
      done.add(key);
      out.push({ uri, path: this.locator.pathOf(uri), range: { startLine: decl.startLine, endLine: decl.endLine }, kind: decl.kind, name: decl.name || name, text: decl.text, source: 'languageServer', reason, rank });
      return decl;
    };
    for (const w of [...wanted.values()].sort((a, b) => a.rank - b.rank)) {
      if (signal?.aborted) {
        return [];
      }
      const text = await read(w.uri);
      if (text === undefined) {
        continue;
      }
      const decl = add(w.uri, text, w.line, w.rank, w.reason, w.name);
      // A member: its class or interface too, with the signatures of its other members.
      const outer = w.enclosing && decl && (decl.kind === 'method' || decl.kind === 'property') ? enclosingDeclarationLine(text, w.line) : undefined;
      if (outer !== undefined) {
        add(w.uri, text, outer, w.rank + 0.25, `declares ${decl?.name ?? w.name}, ${w.reason}`, w.name);
      }
    }
    return out;
  }
}

/**
 * The language server's definitions, plus the import graph's for the imported names the
 * language server did not answer for (no language server for the file, or not ready yet).
 */
export class CombinedDefinitionResolver implements DefinitionResolver {
  constructor(
    private readonly primary: DefinitionResolver,
    private readonly fallback: DefinitionResolver,
  ) {}

  async resolve(query: DefinitionQuery, signal?: AbortSignal): Promise<Definition[]> {
    const [primary, fallback] = await Promise.all([this.primary.resolve(query, signal).catch(() => []), this.fallback.resolve(query, signal).catch(() => [])]);
    const names = new Set(primary.map((d) => d.name));
    const places = new Set(primary.map((d) => `${d.uri}\u0000${d.range.startLine}`));
    return [...primary, ...fallback.filter((d) => !names.has(d.name) && !places.has(`${d.uri}\u0000${d.range.startLine}`))];
  }
}
