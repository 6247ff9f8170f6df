/**
 * Packs the workspace context for one request: which blocks go into the prompt, in which order,
 * and a report of what was left out and why. Pure; the VS Code tracker supplies the documents.
 *
 * Order, least to most volatile, so that Kimi's automatic prefix cache (256-token chunks) serves
 * as much of each prompt as possible:
 *   1. fixed instructions;
 *   2. the workspace summary (computed rarely, see workspaceSummary.ts);
 *   3. the other open files, by first-opened sequence (append-only, see openOrder.ts);
 *   4. the definitions the code around the cursor uses, from files not carried above
 *      (definitionBlock.ts: its bytes change only when the set of definitions changes);
 *   5. the active file (for completion: in its first-opened place among 3, see completionContext.ts);
 *   6. the text around the cursor, with the recently edited ranges.
 * Rendering is byte-stable (blockRendering.ts), so typing in the active file changes only blocks
 * 5–6: everything before them is the same bytes as in the previous request. For chat, the
 * project's instructions file (AGENTS.md…) follows the fixed instructions.
 *
 * Budget policy (tokens are estimates; the budget already has the safety margin taken off,
 * contextBudget.ts): the instructions and summary come first (they are small); then the cursor
 * window and the active file are reserved, because they matter most for relevance even though
 * they are the most volatile; when definitions are given, a fixed share of the budget is kept
 * for them (fixed, so which files fit never depends on the set of definitions); then other files
 * are filled in first-opened order, a file that does not fit is skipped and smaller ones after
 * it still go in ("over budget"). For completion typing changes none of those sizes (the active
 * file is a kept copy), so the set of files stays put while the user types; a file that stays
 * open keeps its place. A single other file larger than half the budget is left out whatever
 * else is open (a verdict that does not depend on the active file, so it cannot flip while
 * typing): the declarations used from it come in the definitions block instead. The definitions
 * then get the reserved share and whatever the files left. An active file that does not fit beside the cursor window is left out; the cursor window
 * still carries its neighbourhood.
 *
 * Never included, whatever the budget: secret files (secretFiles.ts, checked first, even when
 * the ignore rules say otherwise) and files holding a private key, ignored files
 * (ignoreRules.ts), binary, too large and generated files (contentFilters.ts), files parked by a
 * compaction. The report lists each with its reason. Credentials in any other file (API keys,
 * tokens, JWTs, password values; secretTokens.ts) are masked in its block and the cursor window,
 * the same bytes every time, and the report lists those files too.
 *
 * Cost: a `PackCache` (packCache.ts) keeps, per document, the scan, the verdict, the token estimate and the
 * rendered block for the exact text it saw, so a re-pack after a keystroke re-reads only the
 * active document.
 */
import { DEFAULT_CONTEXT_INSTRUCTIONS, recentEditsForDisplay, renderCursorWindow, renderInstructions, renderProjectInstructions, type ProjectInstructionsFile } from './blockRendering';
import { DEFAULT_CONTENT_LIMITS, type ContentLimits } from './contentFilters';
import type {
  ContextBlock,
  ContextPurpose,
  CursorPosition,
  EditedRange,
  ExcludedItem,
  ExclusionKind,
  PackedContext,
  TrackedDocument,
} from './contextTypes';
import type { DefinitionSelection } from './definitionBlock';
import type { Definition } from './definitionTypes';
import type { IgnoreRules } from './ignoreRules';
import { PackCache, type DocEntry, type Verdict } from './packCache';
import { estimateTokens } from './tokenEstimate';
import { renderWorkspaceSummary, type WorkspaceSummaryInput } from './workspaceSummary';

/** A single other file may take at most this share of the budget. */
export const MAX_FILE_SHARE_OF_BUDGET = 0.5;
/** Share of the budget kept for the definitions block whenever definitions are asked for. */
export const DEFINITIONS_SHARE_OF_BUDGET = 0.25;

/** What `packContext` packs: the purpose, its budget and what the tracker holds, as plain data. */
export interface PackInput {
  purpose: ContextPurpose;
  /** Estimated tokens the context may use (see `contextBudget`). */
  budgetTokens: number;
  /** The open documents (active one included), any order. */
  documents: readonly TrackedDocument[];
  /** `uri` of the active document. */
  activeUri?: string;
  /** Cursor in the active document. */
  cursor?: CursorPosition;
  recentEdits?: readonly EditedRange[];
  /** Fixed instructions opening the context; defaults to `DEFAULT_CONTEXT_INSTRUCTIONS`. '' for none. */
  instructions?: string;
  /** Omitted: no workspace summary block. */
  workspace?: WorkspaceSummaryInput;
  /**
   * Whether the active file's text (and the cursor window) is part of the context. Default:
   * false for `completion` (its prompt carries the prefix and suffix itself), true otherwise.
   */
  includeActiveFile?: boolean;
  /** Default: same as `includeActiveFile`. */
  includeCursorWindow?: boolean;
  /**
   * Pack the active file like any other open file, in its first-opened place, without the cursor
   * window (completion: its text is a copy kept while the user types near the cursor, see
   * completionContext.ts).
   */
  activeInPlace?: boolean;
  ignore?: IgnoreRules;
  limits?: ContentLimits;
  /** Items the adapter already left out (non-file schemes, pending ignore rules). */
  preExcluded?: readonly ExcludedItem[];
  /** Reuse across calls (one per tracker) for incremental packing. */
  cache?: PackCache;
  /**
   * Definitions the code around the cursor uses (definitionTypes.ts); [] while none are known
   * yet. Undefined: no definitions block and no share of the budget kept for one.
   */
  definitions?: readonly Definition[];
  /**
   * Tokens the definitions block leaves free for a block the caller appends (completion's list
   * of changes since the copies), so definitions filling the budget do not force new copies.
   */
  definitionsLeaveFree?: number;
  /** The project's instructions files (AGENTS.md…), already screened by the adapter; chat only. */
  projectInstructions?: readonly ProjectInstructionsFile[];
}

function byFirstOpened(a: TrackedDocument, b: TrackedDocument): number {
  return a.firstOpened - b.firstOpened || (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0);
}

/** Packs the context; see the file comment for the order and the budget policy. */
export function packContext(input: PackInput): PackedContext {
  const cache = input.cache ?? new PackCache();
  const limits = input.limits ?? DEFAULT_CONTENT_LIMITS;
  const includeActive = input.includeActiveFile ?? input.purpose !== 'completion';
  const includeCursor = includeActive && (input.includeCursorWindow ?? true);
  const budget = Math.max(0, Math.floor(input.budgetTokens));
  const excluded: ExcludedItem[] = [...(input.preExcluded ?? [])];
  const exclude = (path: string, reason: string, kind: ExclusionKind): void => {
    excluded.push({ path, reason, kind });
  };

  // 1. Verdicts for every document, in first-opened order.
  const docs = [...input.documents].sort(byFirstOpened);
  const seen = new Set<string>();
  let active: { doc: TrackedDocument; entry: DocEntry } | undefined;
  const others: { doc: TrackedDocument; entry: DocEntry }[] = [];
  for (const doc of docs) {
    if (seen.has(doc.uri)) {
      continue;
    }
    seen.add(doc.uri);
    const inPlace = input.activeInPlace === true && doc.uri === input.activeUri;
    if (doc.uri === input.activeUri && !includeActive && !inPlace) {
      // Its text changes with every keystroke: scanning and estimating it only to leave it out
      // would cost a pass over the whole file on the completion path.
      exclude(doc.path, `active file: the ${input.purpose} prompt carries its text itself`, 'active');
      continue;
    }
    const entry = cache.entry(doc, limits);
    const ignored = entry.verdict === null && input.ignore && doc.folderKey !== undefined && doc.relativePath !== undefined ? input.ignore.reasonFor(doc.folderKey, doc.relativePath) : undefined;
    const verdict: Verdict | null = entry.verdict ?? (ignored ? { reason: ignored, kind: 'ignored' } : doc.parked && doc.uri !== input.activeUri ? { reason: 'parked at the last compaction (least recently used while over budget); activate it to bring it back', kind: 'parked' } : null);
    if (verdict) {
      exclude(doc.path, verdict.reason, verdict.kind);
      continue;
    }
    if (doc.uri === input.activeUri && !inPlace) {
      active = { doc, entry };
    } else {
      others.push({ doc, entry });
    }
  }
  cache.retain(seen);

  // 2. Fixed blocks, if they fit at all.
  let remaining = budget;
  const head: ContextBlock[] = [];
  const instructions = input.instructions ?? DEFAULT_CONTEXT_INSTRUCTIONS;
  for (const [kind, text] of [
    ['instructions', instructions === '' ? '' : renderInstructions(instructions)],
    ['projectInstructions', input.projectInstructions && input.projectInstructions.length > 0 ? renderProjectInstructions(input.projectInstructions) : ''],
    ['workspaceSummary', input.workspace ? renderWorkspaceSummary(input.workspace) : ''],
  ] as const) {
    if (text === '') {
      continue;
    }
    const block = cache.fixedBlock(kind, text);
    if (block.tokens <= remaining) {
      head.push(block);
      remaining -= block.tokens;
    } else {
      exclude(kind, `over budget (${block.tokens} tokens, ${remaining} left)`, 'budget');
    }
  }

  // 3. Reserve the cursor window, then the active file.
  const tail: ContextBlock[] = [];
  /** Documents with text in the blocks (for the report of what was masked). */
  const sent: { doc: TrackedDocument; entry: DocEntry }[] = [];
  let activeIn: TrackedDocument | undefined;
  if (active) {
    const { doc, entry } = active;
    let cursorBlock: ContextBlock | undefined;
    if (includeCursor && input.cursor) {
      const pathOf = (uri: string): string | undefined => (uri === doc.uri || others.some((o) => o.doc.uri === uri) ? input.documents.find((d) => d.uri === uri)?.path : undefined);
      const edits = recentEditsForDisplay(input.recentEdits ?? [], pathOf);
      const text = renderCursorWindow({ ...doc, text: entry.text }, input.cursor, entry.fence, edits);
      const tokens = estimateTokens(text);
      if (tokens <= remaining) {
        cursorBlock = { kind: 'cursorWindow', key: 'cursorWindow', text, tokens };
        remaining -= tokens;
      } else {
        exclude('cursorWindow', `over budget (${tokens} tokens, ${remaining} left)`, 'budget');
      }
    }
    const activeBlock = cache.fileBlock(doc, entry, 'activeFile');
    if (activeBlock.tokens <= remaining) {
      tail.push(activeBlock);
      activeIn = doc;
      remaining -= activeBlock.tokens;
    } else {
      exclude(doc.path, `active file over budget (${activeBlock.tokens} tokens, ${remaining} left)${cursorBlock ? '; the text around the cursor is included' : ''}`, 'budget');
    }
    if (cursorBlock) {
      tail.push(cursorBlock);
    }
    if (cursorBlock || activeIn) {
      sent.push(active);
    }
  }

  // 4. Other files in first-opened order; one that does not fit is skipped, smaller ones still go in.
  const middle: ContextBlock[] = [];
  const shareCap = Math.floor(budget * MAX_FILE_SHARE_OF_BUDGET);
  const kept = input.definitions ? Math.min(remaining, Math.floor(budget * DEFINITIONS_SHARE_OF_BUDGET)) : 0;
  remaining -= kept;
  const carried = new Map<string, string>();
  for (const { doc, entry } of others) {
    const block = cache.fileBlock(doc, entry, 'file');
    if (block.tokens > shareCap) {
      exclude(doc.path, `larger than half the context budget (${block.tokens} of ${budget} tokens)${input.definitions ? '; the declarations used from it go in the definitions block' : ''}`, 'budget');
    } else if (block.tokens > remaining) {
      exclude(doc.path, `over budget (${block.tokens} tokens, ${remaining} left)`, 'budget');
    } else {
      middle.push(block);
      sent.push({ doc, entry });
      carried.set(doc.uri, doc.path);
      if (doc.uri === input.activeUri) {
        activeIn = doc;
      }
      remaining -= block.tokens;
    }
  }
  remaining += kept;

  // 5. The definitions, in the reserved share and what the files left.
  let definitions: DefinitionSelection | undefined;
  if (input.definitions) {
    if (activeIn && !carried.has(activeIn.uri)) {
      carried.set(activeIn.uri, activeIn.path);
    }
    definitions = cache.definitions(input.definitions, Math.max(0, remaining - (input.definitionsLeaveFree ?? 0)), carried, input.activeUri);
    if (definitions.block) {
      middle.push(definitions.block);
      remaining -= definitions.block.tokens;
    }
  }

  const blocks = [...head, ...middle, ...tail];
  const masked = sent.flatMap(({ doc, entry }) => (entry.masked !== undefined ? [{ path: doc.path, reason: entry.masked }] : []));
  const tokens = budget - remaining;
  return withLazyText({
    blocks,
    tokens,
    activeFile: activeIn && { uri: activeIn.uri, path: activeIn.path },
    report: {
      purpose: input.purpose,
      budgetTokens: budget,
      totalTokens: tokens,
      included: blocks.map((b) => ({ key: b.key, kind: b.kind, tokens: b.tokens })),
      excluded,
      ...(masked.length > 0 ? { masked } : {}),
      ...(definitions ? { definitions: definitions.report } : {}),
    },
  });
}

/**
 * A packed context whose `text` is the blocks joined on first use: a re-pack on the keystroke
 * path costs nothing per byte until a request is actually built from it.
 */
export function withLazyText(fields: Omit<PackedContext, 'text'>): PackedContext {
  let text: string | undefined;
  return {
    ...fields,
    get text(): string {
      text ??= fields.blocks.map((b) => b.text).join('');
      return text;
    },
  };
}
