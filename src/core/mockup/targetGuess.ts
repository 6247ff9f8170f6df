/**
 * Guesses the default mockup target from a workspace's package.json: Vue (or Nuxt) projects get
 * Vue components, React (or Next, Remix, Gatsby, Preact) projects get TSX, everything else (no
 * package.json, a plain site, a backend) gets a single HTML file.
 */
import type { MockupTarget } from './mockupTargets';

const VUE = ['vue', 'nuxt', '@vue/runtime-dom', '@nuxt/kit'];
const REACT = ['react', 'react-dom', 'next', '@remix-run/react', 'gatsby', 'preact', '@vitejs/plugin-react', '@vitejs/plugin-react-swc'];

function depsOf(manifest: Record<string, unknown>, field: string): string[] {
  const deps = manifest[field];
  return deps && typeof deps === 'object' && !Array.isArray(deps) ? Object.keys(deps) : [];
}

/**
 * `packageJsons`: the text of each workspace folder's package.json (unparseable ones are
 * skipped). Runtime dependencies decide first; dev dependencies only when those say nothing.
 */
export function guessTarget(packageJsons: readonly string[]): MockupTarget {
  const manifests: Record<string, unknown>[] = [];
  for (const text of packageJsons) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        manifests.push(parsed as Record<string, unknown>);
      }
    } catch {
      // Not JSON (half-edited, or a comment): no opinion from this folder.
    }
  }
  for (const fields of [['dependencies', 'peerDependencies'], ['devDependencies']]) {
    const names = new Set(manifests.flatMap((m) => fields.flatMap((f) => depsOf(m, f))));
    const vue = VUE.some((d) => names.has(d));
    const react = REACT.some((d) => names.has(d));
    if (vue !== react) {
      return vue ? 'vue' : 'react';
    }
    if (vue && react) {
      return 'react';
    }
  }
  return 'html';
}
