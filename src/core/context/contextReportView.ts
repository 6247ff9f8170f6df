/**
 * The text of "Moonpilot: Show Context for Current Editor": the budget, each block with its token
 * count, the excluded files with their reasons, then exactly the bytes that would be sent.
 */
import type { ContextBlockKind, PackedContext } from './contextTypes';
import { TOKEN_SAFETY_MARGIN } from './tokenEstimate';

export interface ContextViewMeta {
  model: string;
  windowTokens: number;
  outputReserveTokens: number;
  /** Path of the active editor's file, if any. */
  activePath?: string;
}

const KIND_LABEL: Readonly<Record<ContextBlockKind, string>> = {
  instructions: 'instructions',
  projectInstructions: 'project instructions',
  workspaceSummary: 'workspace summary',
  file: 'open file',
  activeFile: 'active file',
  cursorWindow: 'around the cursor',
  fileChanges: 'changes since the copies',
  definitions: 'definitions used near the cursor',
};

const SOURCE_LABEL = { languageServer: 'language server', importGraph: 'import graph' } as const;

function n(x: number): string {
  return x.toLocaleString('en-US');
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

export function renderContextView(packed: PackedContext, meta: ContextViewMeta): string {
  const r = packed.report;
  const share = r.budgetTokens > 0 ? ` (${((100 * r.totalTokens) / r.budgetTokens).toFixed(1)} %)` : '';
  const out: string[] = [
    `# Moonpilot context: ${r.purpose}${meta.activePath ? ` for ${meta.activePath}` : ''}`,
    '',
    `Model \`${meta.model}\`: window ${n(meta.windowTokens)} tokens, output reserve ${n(meta.outputReserveTokens)}, safety margin ${Math.round(TOKEN_SAFETY_MARGIN * 100)} % → context budget ${n(r.budgetTokens)} tokens.`,
    `Total: ${n(r.totalTokens)} of ${n(r.budgetTokens)} estimated tokens${share} in ${packed.blocks.length} blocks; ${r.excluded.length} left out.`,
    '',
    '## Included, in prompt order',
    '',
    '| # | block | tokens |',
    '|---|---|---|',
    ...packed.blocks.map((b, i) => `| ${i + 1} | ${KIND_LABEL[b.kind]}${b.kind === 'file' || b.kind === 'activeFile' ? `: ${cell(b.key)}` : ''} | ${n(b.tokens)} |`),
    '',
    `## Left out (${r.excluded.length})`,
    '',
  ];
  if (r.excluded.length === 0) {
    out.push('Nothing.');
  } else {
    out.push('| file | reason |', '|---|---|', ...r.excluded.map((e) => `| ${cell(e.path)} | ${cell(e.reason)} |`));
  }
  if (r.masked !== undefined && r.masked.length > 0) {
    out.push('', `## Sent with credentials masked (${r.masked.length})`, '', '| file | masked |', '|---|---|', ...r.masked.map((m) => `| ${cell(m.path)} | ${cell(m.reason)} |`));
  }
  const defs = r.definitions;
  if (defs) {
    const kept = defs.filter((d) => d.included).length;
    out.push('', `## Definitions (${kept} included of ${defs.length} found)`, '');
    if (defs.length === 0) {
      out.push('None found yet: they are looked up in the background after the file opens or the cursor moves to another line.');
    } else {
      out.push(
        '| definition | declared in | found by | why | tokens | sent |',
        '|---|---|---|---|---|---|',
        ...defs.map((d) => `| ${cell(`${d.kind} ${d.name}`)} | ${cell(`${d.path}:${d.line}`)} | ${SOURCE_LABEL[d.source]} | ${cell(d.reason)} | ${n(d.tokens)} | ${d.included ? 'yes' : cell(`no: ${d.note ?? ''}`)} |`),
      );
    }
  }
  out.push('', '## Exactly what is sent', '');
  const blocks = packed.blocks.map((b, i) => `<!-- ───── block ${i + 1}: ${KIND_LABEL[b.kind]}, ${n(b.tokens)} tokens ───── -->\n${b.text}`);
  return `${out.join('\n')}\n${blocks.join('')}`;
}
