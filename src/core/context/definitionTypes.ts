/**
 * Definitions a line of code needs: the declarations of the symbols used around the cursor and
 * imported by the file, found in files that need not be open. Plain data; the resolvers that
 * find them (VS Code's providers, the import graph, the TypeScript language service in the
 * benchmark) sit behind `DefinitionResolver`.
 */
import type { CursorPosition } from './contextTypes';

export type DefinitionKind = 'class' | 'interface' | 'type' | 'enum' | 'function' | 'method' | 'property' | 'variable' | 'namespace' | 'other';

/** Who found a definition. */
export type DefinitionSource = 'languageServer' | 'importGraph';

export interface Definition {
  /** URI of the file holding the declaration. */
  uri: string;
  /** Workspace-relative path (for the prompt and the report). */
  path: string;
  /** Lines of the declaration (0-based, inclusive), doc comment included. */
  range: { startLine: number; endLine: number };
  kind: DefinitionKind;
  name: string;
  /** The declaration as sent: signature, doc comment, member signatures; a body only when small. */
  text: string;
  source: DefinitionSource;
  /** Why it was looked up, e.g. "`Observable` used on line 12" or "imported: `map`". */
  reason: string;
  /** Priority when the budget is short: lower first (distance from the cursor; imports after). */
  rank: number;
}

/** The document a resolver is asked about. */
export interface DefinitionQuery {
  uri: string;
  path: string;
  languageId: string;
  text: string;
  version?: number;
  cursor: CursorPosition;
  /** Lines of a selection (0-based, inclusive): its identifiers are looked up too (chat about a selection). */
  selection?: { startLine: number; endLine: number };
}

/** Finds the definitions a document needs around the cursor. Never throws for a missing provider: it returns []. */
export interface DefinitionResolver {
  resolve(query: DefinitionQuery, signal?: AbortSignal): Promise<Definition[]>;
}

/** A place a provider answered with: the file and the line of the declared name (0-based). */
export interface DefinitionLocation {
  uri: string;
  line: number;
}

/**
 * What a language-server style resolver needs from its host: definitions at positions, and the
 * text and display path of any file (open or not).
 */
export interface DefinitionLocator {
  /** For each position, where its symbol is declared ([] when nothing answers). */
  definitionsAt(uri: string, positions: readonly CursorPosition[], signal?: AbortSignal): Promise<DefinitionLocation[][]>;
  /** For each position, where the type of its symbol is declared (a variable's class or interface). */
  typeDefinitionsAt?(uri: string, positions: readonly CursorPosition[], signal?: AbortSignal): Promise<DefinitionLocation[][]>;
  readText(uri: string): Promise<string | undefined>;
  pathOf(uri: string): string;
}
