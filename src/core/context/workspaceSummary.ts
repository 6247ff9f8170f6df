/**
 * The workspace summary block: folder names, the languages by file count, and a short file list.
 * Deterministic: the same folders and files give the same bytes whatever order they came in
 * (sorted by code unit, not by locale). The adapter computes its input once per session and again
 * only at a compaction, so the summary does not churn the prefix cache as files come and go.
 */

export interface WorkspaceSummaryInput {
  /** Workspace folder names, in the workspace's order. */
  folders: readonly string[];
  /** Workspace-relative paths (`/`-separated), already filtered of secret and ignored files. */
  files: readonly string[];
  /** How many files there are in all, when `files` is a sample. */
  totalFiles?: number;
}

/** Files listed at most: shallow ones first, then by path. */
export const SUMMARY_MAX_FILES = 60;

const LANGUAGE_BY_EXTENSION: Readonly<Record<string, string>> = {
  ts: 'TypeScript', tsx: 'TypeScript', mts: 'TypeScript', cts: 'TypeScript',
  js: 'JavaScript', jsx: 'JavaScript', mjs: 'JavaScript', cjs: 'JavaScript',
  py: 'Python', pyi: 'Python', rb: 'Ruby', go: 'Go', rs: 'Rust', java: 'Java', kt: 'Kotlin', kts: 'Kotlin',
  scala: 'Scala', swift: 'Swift', m: 'Objective-C', mm: 'Objective-C', c: 'C', h: 'C/C++ header',
  cc: 'C++', cpp: 'C++', cxx: 'C++', hpp: 'C++', cs: 'C#', fs: 'F#', php: 'PHP', lua: 'Lua', dart: 'Dart',
  ex: 'Elixir', exs: 'Elixir', erl: 'Erlang', hs: 'Haskell', ml: 'OCaml', clj: 'Clojure', r: 'R', jl: 'Julia',
  sh: 'Shell', bash: 'Shell', zsh: 'Shell', ps1: 'PowerShell', sql: 'SQL', html: 'HTML', htm: 'HTML',
  css: 'CSS', scss: 'SCSS', less: 'Less', vue: 'Vue', svelte: 'Svelte', astro: 'Astro',
  json: 'JSON', jsonc: 'JSON', yaml: 'YAML', yml: 'YAML', toml: 'TOML', xml: 'XML', md: 'Markdown',
  mdx: 'MDX', rst: 'reStructuredText', tex: 'LaTeX', proto: 'Protocol Buffers', graphql: 'GraphQL',
  tf: 'Terraform', zig: 'Zig', nim: 'Nim', sol: 'Solidity',
};

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function renderWorkspaceSummary(input: WorkspaceSummaryInput, maxFiles = SUMMARY_MAX_FILES): string {
  const files = [...new Set(input.files)].sort(byCodeUnit);
  const counts = new Map<string, number>();
  for (const file of files) {
    const name = file.split('/').pop() ?? file;
    const dot = name.lastIndexOf('.');
    const language = dot > 0 ? LANGUAGE_BY_EXTENSION[name.slice(dot + 1).toLowerCase()] : undefined;
    if (language) {
      counts.set(language, (counts.get(language) ?? 0) + 1);
    }
  }
  const languages = [...counts.entries()].sort((a, b) => b[1] - a[1] || byCodeUnit(a[0], b[0])).map(([name, n]) => `${name} (${n})`);
  const depth = (p: string): number => p.split('/').length;
  const shown = [...files].sort((a, b) => depth(a) - depth(b) || byCodeUnit(a, b)).slice(0, maxFiles).sort(byCodeUnit);
  const total = Math.max(input.totalFiles ?? files.length, files.length);
  const lines = ['# Workspace'];
  lines.push(`Folders: ${input.folders.length > 0 ? input.folders.join(', ') : '(none: loose files)'}`);
  if (languages.length > 0) {
    lines.push(`Languages: ${languages.join(', ')}`);
  }
  if (shown.length > 0) {
    lines.push(shown.length < total ? `Files (the ${shown.length} shallowest of ${total}):` : `Files (${total}):`);
    lines.push(...shown.map((f) => `- ${f.replace(/[\u0000-\u001f\u007f]+/g, ' ')}`));
  }
  return `${lines.join('\n')}\n\n`;
}
