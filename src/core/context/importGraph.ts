/**
 * The import graph as a cheap source of definitions where no language server answers: the
 * import statements of a TypeScript/JavaScript file, their relative specifiers resolved to
 * candidate files, and the exported declarations of the imported names found in those files
 * (following `export … from` re-exports a few hops). Pure: the host reads files.
 */
import { declarationAt } from './declarationText';
import type { Definition, DefinitionQuery, DefinitionResolver } from './definitionTypes';

export interface ImportedName {
  /** The name exported by the module (`default` for a default import). */
  imported: string;
  /** The name bound in the importing file. */
  local: string;
}

export interface ImportStatement {
  specifier: string;
  names: ImportedName[];
  /** `import * as ns`: the namespace's local name. */
  namespace?: string;
  /** 0-based line of the statement's start. */
  line: number;
}

const IMPORT_RE = /^[ \t]*import\s+(type\s+)?([\s\S]*?)\s+from\s+['"]([^'"\n]+)['"]/gm;
const REQUIRE_RE = /^[ \t]*(?:const|let|var)\s+(\{[^}]*\}|[\w$]+)\s*=\s*require\(\s*['"]([^'"\n]+)['"]\s*\)/gm;

function lineAt(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
  }
  return line;
}

function namedList(list: string, separator: RegExp): ImportedName[] {
  return list
    .split(',')
    .map((part) => part.trim().replace(/^type\s+/, ''))
    .filter((part) => part !== '')
    .map((part) => {
      const [imported, local] = part.split(separator).map((s) => s.trim());
      return { imported, local: local ?? imported };
    })
    .filter((n) => /^[\w$]+$/.test(n.imported) && /^[\w$]+$/.test(n.local));
}

/** The import statements (ES `import … from`, CommonJS `require`) of a TS/JS file. */
export function parseImports(text: string): ImportStatement[] {
  const out: ImportStatement[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const clause = m[2].trim();
    const stmt: ImportStatement = { specifier: m[3], names: [], line: lineAt(text, m.index ?? 0) };
    const braces = /\{([\s\S]*)\}/.exec(clause);
    if (braces) {
      stmt.names.push(...namedList(braces[1], /\s+as\s+/));
    }
    const ns = /\*\s*as\s+([\w$]+)/.exec(clause);
    if (ns) {
      stmt.namespace = ns[1];
    }
    const def = /^([\w$]+)\s*(?:,|$)/.exec(clause);
    if (def && def[1] !== 'type') {
      stmt.names.push({ imported: 'default', local: def[1] });
    }
    out.push(stmt);
  }
  for (const m of text.matchAll(REQUIRE_RE)) {
    const stmt: ImportStatement = { specifier: m[2], names: [], line: lineAt(text, m.index ?? 0) };
    if (m[1].startsWith('{')) {
      stmt.names.push(...namedList(m[1].slice(1, -1), /\s*:\s*/));
    } else {
      stmt.namespace = m[1];
    }
    out.push(stmt);
  }
  return out;
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mts', '.mjs', '.cts', '.cjs'];

/** The directory part of a URI (up to and including its last `/`). */
function dirOf(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/') + 1);
}

/** `spec` (relative, `/`-separated) resolved against the directory URI `dir`. */
export function joinUri(dir: string, spec: string): string {
  const schemeEnd = dir.indexOf('://');
  const rootEnd = schemeEnd < 0 ? 0 : dir.indexOf('/', schemeEnd + 3);
  const root = rootEnd < 0 ? dir : dir.slice(0, rootEnd);
  const parts = dir.slice(root.length).split('/').filter((p) => p !== '');
  for (const seg of spec.split('/')) {
    if (seg === '..') {
      parts.pop();
    } else if (seg !== '.' && seg !== '') {
      parts.push(seg);
    }
  }
  return `${root}/${parts.join('/')}`;
}

/**
 * The files a relative specifier may name, in the order a TypeScript resolver tries them (a
 * `.js` specifier may name a `.ts` source); [] for a package specifier.
 */
export function importCandidates(fromUri: string, specifier: string): string[] {
  if (!specifier.startsWith('.')) {
    return [];
  }
  const base = joinUri(dirOf(fromUri), specifier);
  const out: string[] = [];
  const js = /\.(m|c)?jsx?$/.exec(base);
  if (js) {
    const stem = base.slice(0, base.length - js[0].length);
    out.push(...(js[1] === 'm' ? ['.mts'] : js[1] === 'c' ? ['.cts'] : ['.ts', '.tsx']).map((e) => stem + e));
  }
  if (/\.[cm]?[jt]sx?$/.test(base)) {
    out.push(base);
  }
  out.push(...SOURCE_EXTENSIONS.map((e) => base + e), ...SOURCE_EXTENSIONS.map((e) => `${base}/index${e}`));
  return out;
}

/** Lines (0-based) where `name` is declared at the top level of a module, exported or not. */
function declarationLines(text: string, name: string): number[] {
  const escaped = name.replace(/\$/g, '\\$');
  const re = new RegExp(`^(?:export\\s+)?(?:declare\\s+)?(?:default\\s+)?(?:abstract\\s+)?(?:async\\s+)?(?:class|interface|type|enum|function\\*?|const|let|var|namespace)\\s+${escaped}\\b`, 'gm');
  const lines: number[] = [];
  for (const m of text.matchAll(re)) {
    lines.push(lineAt(text, m.index ?? 0));
  }
  return lines;
}

/** Where a module re-exports `name` from (`export { name } from`, `export * from`). */
function reexportSources(text: string, name: string): { specifier: string; name: string }[] {
  const out: { specifier: string; name: string }[] = [];
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}\s*from\s+['"]([^'"\n]+)['"]/gm)) {
    for (const n of namedList(m[1], /\s+as\s+/)) {
      if (n.local === name) {
        out.push({ specifier: m[2], name: n.imported });
      }
    }
  }
  for (const m of text.matchAll(/^export\s+\*\s+from\s+['"]([^'"\n]+)['"]/gm)) {
    out.push({ specifier: m[1], name });
  }
  return out;
}

/** How many files the resolver reads at most per query (re-export chains of a barrel file). */
const MAX_FILES_PER_QUERY = 60;
const MAX_HOPS = 3;

/**
 * Definitions of the names a file imports from relative paths, found by reading the imported
 * files. The host supplies `readText` (undefined for a missing file) and `pathOf`.
 */
export class ImportGraphResolver implements DefinitionResolver {
  constructor(private readonly host: { readText(uri: string): Promise<string | undefined>; pathOf(uri: string): string }) {}

  async resolve(query: DefinitionQuery, signal?: AbortSignal): Promise<Definition[]> {
    const texts = new Map<string, string | undefined>();
    const read = async (uri: string): Promise<string | undefined> => {
      if (!texts.has(uri)) {
        texts.set(uri, texts.size < MAX_FILES_PER_QUERY ? await this.host.readText(uri) : undefined);
      }
      return texts.get(uri);
    };
    const open = async (fromUri: string, specifier: string): Promise<{ uri: string; text: string } | undefined> => {
      for (const uri of importCandidates(fromUri, specifier)) {
        const text = await read(uri);
        if (text !== undefined) {
          return { uri, text };
        }
      }
      return undefined;
    };
    const find = async (fromUri: string, specifier: string, name: string, hops: number): Promise<{ uri: string; text: string; line: number } | undefined> => {
      const file = await open(fromUri, specifier);
      if (!file || signal?.aborted) {
        return undefined;
      }
      const lines = name === 'default' ? defaultLines(file.text) : declarationLines(file.text, name);
      if (lines.length > 0) {
        return { ...file, line: lines[0] };
      }
      if (hops >= MAX_HOPS) {
        return undefined;
      }
      for (const re of reexportSources(file.text, name)) {
        const found = await find(file.uri, re.specifier, re.name, hops + 1);
        if (found) {
          return found;
        }
      }
      return undefined;
    };
    const out: Definition[] = [];
    let rank = 0;
    for (const stmt of parseImports(query.text)) {
      for (const n of stmt.names) {
        const found = await find(query.uri, stmt.specifier, n.imported, 0);
        rank++;
        const decl = found && declarationAt(found.text, found.line);
        if (found && decl) {
          out.push({
            uri: found.uri,
            path: this.host.pathOf(found.uri),
            range: { startLine: decl.startLine, endLine: decl.endLine },
            kind: decl.kind,
            name: decl.name || n.local,
            text: decl.text,
            source: 'importGraph',
            reason: `imported as \`${n.local}\` (line ${stmt.line + 1})`,
            rank: IMPORT_RANK + rank,
          });
        }
      }
    }
    return out;
  }
}

/** Rank of imported names: after every symbol used near the cursor. */
export const IMPORT_RANK = 10_000;

function defaultLines(text: string): number[] {
  const m = /^export\s+default\s/m.exec(text);
  return m ? [lineAt(text, m.index)] : [];
}
