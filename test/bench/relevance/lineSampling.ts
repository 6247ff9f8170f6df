import * as path from 'node:path';
import { codeMask } from '../../../src/core/context/codeMask';
import type { TsProject } from '../tsDefinitionLocator';
import { relPath } from './corpusFiles';

/** A definition a sampled line needs: where go-to-definition puts it (its name line). */
export interface Gold {
  file: string;
  /** Path relative to node_modules, as the context names it. */
  path: string;
  line: number;
  text: string;
}

/** A line of a file to complete, with the definitions in other files it needs. */
export interface Sample {
  file: string;
  line: number;
  gold: Gold[];
}

/** How many lines are sampled: per package, and at most per file. */
export interface SampleLimits {
  perPackage: number;
  perFile: number;
}

/** A seeded random number generator (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Lines worth completing: code, not comments, lone brackets, or lines of import and re-export statements. */
function candidateLines(text: string): number[] {
  const masked = codeMask(text);
  const mask = masked.split('\n');
  const moduleLines = new Set<number>();
  for (const m of masked.matchAll(/^[ \t]*(?:import|export)\b[^;]*?\bfrom\s*['"][^\n]*|^[ \t]*import\s*['"][^\n]*/gm)) {
    const first = masked.slice(0, m.index).split('\n').length - 1;
    const count = m[0].split('\n').length;
    for (let k = 0; k < count; k++) {
      moduleLines.add(first + k);
    }
  }
  const out: number[] = [];
  mask.forEach((l, i) => {
    const t = l.trim();
    if (t.length >= 8 && /[A-Za-z_$]/.test(t) && !moduleLines.has(i)) {
      out.push(i);
    }
  });
  return out;
}

/** The definitions in other files of the package that the identifiers of `line` resolve to. */
function goldOf(project: TsProject, srcDir: string, file: string, text: string, line: number): Gold[] {
  const lines = text.split('\n');
  const masked = codeMask(text).split('\n')[line];
  const seen = new Set<string>();
  const out: Gold[] = [];
  for (const m of masked.matchAll(/[A-Za-z_$][\w$]*/g)) {
    const offset = project.offsetOf(file, { line, character: m.index ?? 0 });
    for (const d of project.definitions(file, offset)) {
      if (d.file === file || !d.file.startsWith(srcDir + path.sep) || d.file.endsWith('.d.ts')) {
        continue;
      }
      const key = `${d.file}:${d.line}`;
      if (seen.has(key)) {
        continue;
      }
      seen.add(key);
      const defText = (project.text(d.file) ?? '').split('\n')[d.line]?.trim() ?? '';
      if (defText.length >= 6) {
        out.push({ file: d.file, path: relPath(d.file), line: d.line, text: defText });
      }
    }
  }
  void lines;
  return out;
}

/** Lines of the package with at least one gold definition, in a seeded random order of files and lines. */
export function sampleLines(project: TsProject, srcDir: string, files: readonly string[], rand: () => number, limits: SampleLimits): Sample[] {
  const samples: Sample[] = [];
  for (const file of shuffle(files.filter((f) => !f.endsWith('.d.ts')), rand)) {
    if (samples.length >= limits.perPackage) {
      break;
    }
    const text = project.text(file) ?? '';
    let taken = 0;
    for (const line of shuffle(candidateLines(text), rand)) {
      if (taken >= limits.perFile || samples.length >= limits.perPackage) {
        break;
      }
      const gold = goldOf(project, srcDir, file, text, line);
      if (gold.length > 0) {
        samples.push({ file, line, gold });
        taken++;
      }
    }
  }
  return samples;
}
