/**
 * The context builder: purpose → budget → pack → compact, on plain data. The VS Code document
 * tracker (vscode/context/documentTracker.ts) says what is open; the builder budgets for the
 * purpose's model (its window from the `GET /models` list when known, else its profile), packs
 * with one cache kept across calls (packCache.ts), hands the definitions of the active file only
 * when the context carries that file, and now and then compacts the open-file order
 * (openOrder.ts). Pure: no `vscode`.
 */
import type { ProjectInstructionsFile } from './blockRendering';
import { contextBudget, DEFAULT_OUTPUT_RESERVE, type ContextSettings } from './contextBudget';
import { packContext, type PackInput } from './contextPacker';
import type { ContextPurpose, CursorPosition, EditedRange, ExcludedItem, PackedContext, TrackedDocument } from './contextTypes';
import type { ContentLimits } from './contentFilters';
import type { Definition } from './definitionTypes';
import type { IgnoreRules } from './ignoreRules';
import type { OpenOrder } from './openOrder';
import { PackCache } from './packCache';
import { estimateTokens } from './tokenEstimate';
import type { WorkspaceSummaryInput } from './workspaceSummary';
import { resolveModelProfile } from '../kimi/modelProfiles';
import type { ModelInfo } from '../kimi/kimiTypes';
import type { Logger } from '../log/logger';

/** Options of one `pack` call. */
export interface ContextPackOptions {
  /** Caps the context (estimated tokens); the window, reserve and margin cap it anyway. */
  budgetTokens?: number;
  /**
   * Chat: default true. Completion: always in, as a copy kept while the user types
   * near the cursor (completionContext.ts); false leaves it out.
   */
  includeActiveFile?: boolean;
  /** Estimated tokens of the rest of the request (system prompt, history, prefix/suffix). */
  otherPromptTokens?: number;
  /** The request's `max_tokens`; default per purpose (1,024 completion, 32,768 chat). */
  outputReserveTokens?: number;
  /** Replaces the default context instructions ('' for none). */
  instructions?: string;
}

/** The model, window and output reserve a purpose is budgeted with, and the budget that leaves. */
export interface ContextBudgetPlan {
  model: string;
  windowTokens: number;
  outputReserveTokens: number;
  budgetTokens: number;
}

/** What is open right now, as the document tracker holds it: the builder's input. */
export interface TrackedContext {
  /** The open documents the packer may use, numbered by the open-file order (first opened, parked). */
  documents: TrackedDocument[];
  /** Open editors left out up front (not files, too large, unreadable, waiting for ignore rules). */
  excluded: ExcludedItem[];
  activeUri?: string;
  cursor?: CursorPosition;
  recentEdits: EditedRange[];
  workspace: WorkspaceSummaryInput | undefined;
  /** The project's instructions files (AGENTS.md…), screened by the adapter; sent with chat only. */
  projectInstructions: readonly ProjectInstructionsFile[];
  /** Definitions the active file's code uses, as last found (the same array while unchanged). */
  definitions: readonly Definition[];
  ignore: IgnoreRules;
  limits: ContentLimits;
}

/** The settings a budget reads: the model of each purpose and `moonpilot.context.*`. */
export interface ContextBuilderSettings {
  completionModel: string;
  chatModel: string;
  context: ContextSettings;
}

/**
 * The completion purpose's packer (`CompletionContext`, core/completion/completionContext.ts),
 * handed in so that the context floor imports no feature.
 */
export interface CompletionPacker {
  pack(input: Omit<PackInput, 'purpose' | 'cache' | 'includeActiveFile' | 'activeInPlace'>): PackedContext;
}

/** What the builder is built from. */
export interface ContextBuilderDeps {
  /** What is open now; read again after a compaction renumbered the order. */
  read(): TrackedContext;
  /** The open-file order the tracker numbers documents by; a compaction renumbers it and parks files. */
  order: OpenOrder;
  settings(): ContextBuilderSettings;
  completion: CompletionPacker;
  log: Logger;
  /** After a compaction: the tracker lists the workspace summary again. */
  onCompacted(): void;
  /** Milliseconds now (default `Date.now`): the idle time before a compaction. */
  now?(): number;
  /**
   * The endpoint's `GET /models` answer once it has come (undefined before, or when the endpoint
   * lists none), so budgets use the window the endpoint serves: a vLLM server started with a
   * smaller `max_model_len` than the model's profile says.
   */
  listedModels?(): readonly ModelInfo[] | undefined;
}

/**
 * Builds the context for a purpose on demand. Cheap on repeat: the tracker hands the same string
 * objects for unchanged documents, and the pack cache keeps scans, verdicts, estimates and
 * rendered blocks per text.
 */
export class ContextBuilder {
  private readonly cache = new PackCache();
  private readonly now: () => number;
  private lastPackAt: number;
  private lastDroppedForBudget = false;

  constructor(private readonly deps: ContextBuilderDeps) {
    this.now = deps.now ?? Date.now;
    this.lastPackAt = this.now();
  }

  /** The model, window and output reserve `pack` budgets with for `purpose`. */
  budgetFor(purpose: ContextPurpose, options: ContextPackOptions = {}): ContextBudgetPlan {
    const s = this.deps.settings();
    const model = purpose === 'completion' ? s.completionModel : s.chatModel;
    const windowTokens = resolveModelProfile(model, this.deps.listedModels?.()).contextLength;
    const outputReserveTokens = options.outputReserveTokens ?? DEFAULT_OUTPUT_RESERVE[purpose];
    const budgetTokens = contextBudget({
      purpose,
      windowTokens,
      settings: s.context,
      outputReserveTokens,
      otherPromptTokens: options.otherPromptTokens,
      capTokens: options.budgetTokens,
    });
    return { model, windowTokens, outputReserveTokens, budgetTokens };
  }

  /** Packs the context for `purpose` from what is open now. Synchronous and cheap on repeat. */
  pack(purpose: ContextPurpose, options: ContextPackOptions = {}): PackedContext {
    const { budgetTokens } = this.budgetFor(purpose, options);
    let packed = this.packNow(purpose, budgetTokens, options);
    const now = this.now();
    // Parking applies to every purpose, so only the large chat budget decides it: the
    // small completion budget drops files all the time and must not park them for chat.
    if (purpose !== 'completion') {
      if (this.deps.order.shouldCompact({ idleMs: now - this.lastPackAt, droppedForBudget: this.lastDroppedForBudget })) {
        this.compact(packed, budgetTokens);
        packed = this.packNow(purpose, budgetTokens, options);
      }
      this.lastDroppedForBudget = packed.report.excluded.some((e) => e.kind === 'budget' && e.path !== 'cursorWindow');
    }
    this.lastPackAt = now;
    return packed;
  }

  private packNow(purpose: ContextPurpose, budgetTokens: number, options: ContextPackOptions): PackedContext {
    const t = this.deps.read();
    // The active file's definitions, as last found (the same array while unchanged); none for a file the context leaves out.
    const definitions = t.documents.some((d) => d.uri === t.activeUri) ? t.definitions : [];
    if (purpose === 'completion' && options.includeActiveFile !== false) {
      return this.deps.completion.pack({
        budgetTokens,
        documents: t.documents,
        activeUri: t.activeUri,
        cursor: t.cursor,
        instructions: options.instructions,
        workspace: t.workspace,
        ignore: t.ignore,
        limits: t.limits,
        preExcluded: t.excluded,
        definitions,
      });
    }
    return packContext({
      purpose,
      budgetTokens,
      documents: t.documents,
      activeUri: t.activeUri,
      cursor: t.cursor,
      recentEdits: t.recentEdits,
      instructions: options.instructions,
      workspace: t.workspace,
      includeActiveFile: options.includeActiveFile,
      ignore: t.ignore,
      limits: t.limits,
      preExcluded: t.excluded,
      cache: this.cache,
      definitions,
      projectInstructions: purpose === 'chat' ? t.projectInstructions : undefined,
    });
  }

  /** Rare and deliberate (see openOrder.ts): renumber, park least recently used files when over budget, refresh the summary. */
  private compact(packed: PackedContext, budgetTokens: number): void {
    const fixed = packed.blocks.filter((b) => b.kind !== 'file').reduce((s, b) => s + b.tokens, 0);
    const t = this.deps.read();
    const candidates = t.documents.filter((d) => d.uri !== t.activeUri).map((d) => ({ uri: d.uri, tokens: estimateTokens(d.text) }));
    const parked = this.deps.order.compact(candidates, Math.max(0, budgetTokens - fixed));
    this.deps.log.info('context', `compacted the open-file order (${candidates.length} files, ${parked.length} parked)`);
    this.deps.onCompacted();
  }
}
