import * as fs from 'node:fs';
import * as path from 'node:path';

/** node_modules of the checkout, where the corpus packages are installed. */
export const NM = path.resolve(__dirname, '../../../../node_modules');

/** A file's path relative to node_modules, with forward slashes (as the context names it). */
export const relPath = (file: string): string => path.relative(NM, file).split(path.sep).join('/');

/** The `.ts` / `.tsx` files under `dir`, in name order. */
export function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      walk(full, out);
    } else if (/\.tsx?$/.test(e.name)) {
      out.push(full);
    }
  }
  return out;
}
