/**
 * The TypeScript language service as a `DefinitionLocator`, for the relevance benchmark in plain
 * Node (the extension uses VS Code's definition provider behind the same interface). Test code,
 * never shipped. Files are held in memory; `setText` replaces one (the benchmark's edited file).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { CursorPosition } from '../../src/core/context/contextTypes';
import { lineOf as lineAtOffset } from '../../src/core/context/declarationText';
import type { DefinitionLocation, DefinitionLocator } from '../../src/core/context/definitionTypes';

export class TsProject {
  private readonly texts = new Map<string, string>();
  private readonly versions = new Map<string, number>();
  private readonly lineStarts = new Map<string, number[]>();
  readonly service: ts.LanguageService;

  constructor(files: readonly string[], options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, noEmit: true, skipLibCheck: true, experimentalDecorators: true }) {
    for (const f of files) {
      this.texts.set(f, fs.readFileSync(f, 'utf8'));
      this.versions.set(f, 0);
    }
    const host: ts.LanguageServiceHost = {
      getScriptFileNames: () => [...this.texts.keys()],
      getScriptVersion: (f) => String(this.versions.get(f) ?? 0),
      getScriptSnapshot: (f) => {
        const text = this.texts.get(f) ?? (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => path.dirname(files[0] ?? process.cwd()),
      getCompilationSettings: () => options,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => this.texts.has(f) || fs.existsSync(f),
      readFile: (f) => this.texts.get(f) ?? (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  has(file: string): boolean {
    return this.texts.has(file);
  }

  text(file: string): string | undefined {
    return this.texts.get(file);
  }

  setText(file: string, text: string): void {
    if (this.texts.get(file) !== text) {
      this.texts.set(file, text);
      this.versions.set(file, (this.versions.get(file) ?? 0) + 1);
      this.lineStarts.delete(file);
    }
  }

  offsetOf(file: string, pos: CursorPosition): number {
    return (this.starts(file)[pos.line] ?? 0) + pos.character;
  }

  lineOf(file: string, offset: number): number {
    return lineAtOffset(this.starts(file), offset);
  }

  private starts(file: string): number[] {
    let s = this.lineStarts.get(file);
    if (!s) {
      const text = this.texts.get(file) ?? ts.sys.readFile(file) ?? '';
      s = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
        s.push(i + 1);
      }
      this.lineStarts.set(file, s);
    }
    return s;
  }

  /** Where the type of the symbol at `offset` is declared. */
  typeDefinitions(file: string, offset: number): { file: string; line: number }[] {
    const defs = this.service.getTypeDefinitionAtPosition(file, offset) ?? [];
    return defs.map((d) => ({ file: d.fileName, line: this.lineOf(d.fileName, d.textSpan.start) }));
  }

  /** Where the symbol at `offset` is declared: file and the line of the declared name. */
  definitions(file: string, offset: number): { file: string; line: number }[] {
    const defs = this.service.getDefinitionAtPosition(file, offset) ?? [];
    return defs.map((d) => ({ file: d.fileName, line: this.lineOf(d.fileName, d.textSpan.start) }));
  }
}

export const fileUri = (file: string): string => `file://${file.split(path.sep).join('/')}`;
export const uriFile = (uri: string): string => uri.replace(/^file:\/\//, '').split('/').join(path.sep);

/** The language service behind the resolver interface. Positions are asked one by one (it answers synchronously). */
export class TsDefinitionLocator implements DefinitionLocator {
  constructor(
    private readonly project: TsProject,
    private readonly root: string,
  ) {}

  definitionsAt(uri: string, positions: readonly CursorPosition[]): Promise<DefinitionLocation[][]> {
    const file = uriFile(uri);
    return Promise.resolve(positions.map((p) => this.project.definitions(file, this.project.offsetOf(file, p)).map((d) => ({ uri: fileUri(d.file), line: d.line }))));
  }

  typeDefinitionsAt(uri: string, positions: readonly CursorPosition[]): Promise<DefinitionLocation[][]> {
    const file = uriFile(uri);
    return Promise.resolve(positions.map((p) => this.project.typeDefinitions(file, this.project.offsetOf(file, p)).map((d) => ({ uri: fileUri(d.file), line: d.line }))));
  }

  readText(uri: string): Promise<string | undefined> {
    const file = uriFile(uri);
    return Promise.resolve(this.project.text(file) ?? (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined));
  }

  pathOf(uri: string): string {
    return path.relative(this.root, uriFile(uri)).split(path.sep).join('/');
  }
}
