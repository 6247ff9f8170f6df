import { importCandidates, parseImports } from '../../../src/core/context/importGraph';
import { fileUri, type TsProject, uriFile } from '../tsDefinitionLocator';

/**
 * The files a file imports, as a user opening them by hand would: each imported name's file
 * through barrel files (`export * from`), by the language service; else the module imported.
 */
export function importedFiles(project: TsProject, file: string, text: string): string[] {
  const out: string[] = [];
  const add = (f: string | undefined): void => {
    if (f && f !== file && project.has(f) && !out.includes(f)) {
      out.push(f);
    }
  };
  const lines = text.split('\n');
  for (const stmt of parseImports(text)) {
    const module = importCandidates(fileUri(file), stmt.specifier).map(uriFile).find((f) => project.has(f));
    if (!module) {
      continue;
    }
    let any = false;
    for (const n of stmt.names) {
      for (let k = stmt.line; k < Math.min(lines.length, stmt.line + 60); k++) {
        const at = new RegExp(`(^|[^\\w$])${n.local.replace(/\$/g, '\\$')}(?![\\w$])`).exec(lines[k]);
        if (at) {
          for (const d of project.definitions(file, project.offsetOf(file, { line: k, character: at.index + at[1].length }))) {
            add(d.file);
            any = true;
          }
          break;
        }
      }
    }
    if (!any) {
      add(module);
    }
  }
  return out;
}
