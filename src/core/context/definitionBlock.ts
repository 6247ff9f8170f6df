/**
 * The definitions block: the declarations the code around the cursor uses, from files the
 * context does not already carry, in one block placed after the file blocks.
 *
 * Byte stability: the block is rendered from the chosen set alone, sorted by path and line (not
 * by rank, not with the reason or the cursor's line), so its bytes change only when the set of
 * definitions changes, and everything before it stays cached. The budget decides the set by
 * rank (nearest to the cursor first, imported names after).
 */
import { fenceFor, headerSafe } from './blockRendering';
import type { ContextBlock, DefinitionReportEntry } from './contextTypes';
import type { Definition } from './definitionTypes';
import { estimateTokens } from './tokenEstimate';

export const DEFINITIONS_HEADING =
  '## Definitions the code being edited uses, from files not shown above (declarations only: `{ … }` stands for a body left out)\n';

function languageOf(path: string): string {
  const ext = /\.([\w]+)$/.exec(path)?.[1] ?? '';
  return ({ ts: 'typescript', tsx: 'typescriptreact', mts: 'typescript', cts: 'typescript', js: 'javascript', jsx: 'javascriptreact', mjs: 'javascript', cjs: 'javascript', py: 'python', rs: 'rust', go: 'go', java: 'java', cs: 'csharp' } as Record<string, string>)[ext] ?? ext;
}

/** The section of one definition, exactly as sent. */
export function renderDefinition(d: Definition): string {
  const fence = fenceFor(Math.max(0, ...Array.from(d.text.matchAll(/`+/g), (m) => m[0].length)));
  const text = d.text.endsWith('\n') ? d.text : `${d.text}\n`;
  return `### ${headerSafe(d.path)}, line ${d.range.startLine + 1}: ${d.kind} ${headerSafe(d.name)}\n${fence}${languageOf(d.path)}\n${text}${fence}\n\n`;
}

export interface DefinitionSelection {
  block?: ContextBlock;
  /** Every definition offered, with what became of it. */
  report: DefinitionReportEntry[];
}

/**
 * Chooses the definitions to send within `budgetTokens` and renders their block. `carried`
 * gives, for a URI whose text is already in the context, the path of its block; definitions in
 * `activeUri` are in the file being edited.
 */
export function selectDefinitions(definitions: readonly Definition[], budgetTokens: number, carried: (uri: string) => string | undefined, activeUri: string | undefined): DefinitionSelection {
  const report: DefinitionReportEntry[] = [];
  const entry = (d: Definition, tokens: number, included: boolean, note?: string): DefinitionReportEntry => ({ name: d.name, kind: d.kind, path: d.path, line: d.range.startLine + 1, source: d.source, reason: d.reason, tokens, included, note });
  // One per place, the best rank kept. A declaration inside a larger one already chosen (a method of a class) is covered by it when the larger one shows its first line.
  const byPlace = new Map<string, Definition>();
  for (const d of [...definitions].sort((a, b) => a.rank - b.rank)) {
    const key = `${d.uri}\u0000${d.range.startLine}`;
    if (!byPlace.has(key)) {
      byPlace.set(key, d);
    }
  }
  const unique = [...byPlace.values()];
  const candidates: { d: Definition; section: string; tokens: number }[] = [];
  for (const d of unique) {
    if (d.uri === activeUri) {
      continue; // in the file being edited: the prompt has it
    }
    const path = carried(d.uri);
    if (path !== undefined) {
      report.push(entry(d, 0, false, `already in the context (file ${path})`));
      continue;
    }
    const section = renderDefinition(d);
    candidates.push({ d, section, tokens: estimateTokens(section) });
  }
  let remaining = budgetTokens - estimateTokens(DEFINITIONS_HEADING);
  const chosen: typeof candidates = [];
  for (const c of candidates) {
    const firstLine = c.d.text.split('\n').find((l) => l.trim() !== '' && !/^\s*(?:\/\/|\/\*|\*)/.test(l))?.trim();
    const outer = chosen.find(({ d: o }) => o.uri === c.d.uri && o.range.startLine <= c.d.range.startLine && o.range.endLine >= c.d.range.endLine && firstLine !== undefined && o.text.includes(firstLine));
    if (outer) {
      report.push(entry(c.d, 0, false, `listed in ${outer.d.kind} ${outer.d.name}`));
    } else if (c.tokens <= remaining) {
      chosen.push(c);
      remaining -= c.tokens;
      report.push(entry(c.d, c.tokens, true));
    } else {
      report.push(entry(c.d, c.tokens, false, `over budget (${c.tokens} tokens, ${Math.max(0, remaining)} left)`));
    }
  }
  if (chosen.length === 0) {
    return { report };
  }
  chosen.sort((a, b) => (a.d.path < b.d.path ? -1 : a.d.path > b.d.path ? 1 : a.d.range.startLine - b.d.range.startLine));
  const text = DEFINITIONS_HEADING + chosen.map((c) => c.section).join('');
  return { block: { kind: 'definitions', key: 'definitions', text, tokens: estimateTokens(text) }, report };
}
