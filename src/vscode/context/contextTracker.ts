import * as path from 'node:path';
import * as vscode from 'vscode';
import { contextBudget, DEFAULT_OUTPUT_RESERVE, type ContextSettings } from '../../core/context/contextBudget';
import type { ProjectInstructionsFile } from '../../core/context/blockRendering';
import { CompletionContext } from '../../core/completion/completionContext';
import { packContext, PackCache } from '../../core/context/contextPacker';
import type { ContextPurpose, CursorPosition, EditedRange, ExcludedItem, PackedContext, TrackedDocument } from '../../core/context/contextTypes';
import { DEFAULT_CONTENT_LIMITS, sizeSkipReason, type ContentLimits } from '../../core/context/contentFilters';
import { CombinedDefinitionResolver, LocatorDefinitionResolver } from '../../core/context/definitionResolver';
import type { Definition } from '../../core/context/definitionTypes';
import { ImportGraphResolver } from '../../core/context/importGraph';
import { OpenOrder } from '../../core/context/openOrder';
import { secretContentReason, secretFileReason } from '../../core/context/secretFiles';
import { estimateTokens } from '../../core/context/tokenEstimate';
import { isFileScheme, schemeReason } from '../../core/context/uriSchemes';
import type { WorkspaceSummaryInput } from '../../core/context/workspaceSummary';
import { resolveModelProfile } from '../../core/kimi/modelProfiles';
import type { ModelInfo } from '../../core/kimi/kimiTypes';
import type { Logger } from '../../core/log/logger';
import type { SettingsReader } from '../settingsReader';
import type { WorkspaceExclusions } from './workspaceExclusions';
import { DefinitionService } from './definitionService';
import { VsCodeDefinitionLocator } from './definitionLocator';

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

/** What the tracker knows right now, as plain data. */
export interface ContextSnapshot {
  documents: TrackedDocument[];
  activeUri?: string;
  cursor?: CursorPosition;
  recentEdits: EditedRange[];
  /** Open editors that are not files (output, git, debug…) or still waiting for ignore rules. */
  excluded: ExcludedItem[];
  workspace: WorkspaceSummaryInput | undefined;
}

const NOTEBOOK_CELL_SCHEME = 'vscode-notebook-cell';
const MAX_RECENT_EDITS = 20;
const SUMMARY_SCAN_LIMIT = 2_000;
const SUMMARY_EXCLUDE = '**/{node_modules,.git,out,dist,build,coverage,target,.next,.venv,venv,__pycache__}/**';
/** The project's instructions files for coding assistants, read from each workspace folder's root, in this order. */
export const PROJECT_INSTRUCTIONS_FILES = ['AGENTS.md', '.github/copilot-instructions.md', 'CLAUDE.md'] as const;
/** Characters of one instructions file sent at most. */
const MAX_INSTRUCTIONS_CHARS = 32_000;

interface CachedDoc {
  version: number;
  tracked: TrackedDocument;
}

/**
 * Tracks what the user has open in VS Code (tabs and visible editors, unsaved edits included),
 * the order files were first opened, recent edits, the active editor and cursor, and the ignore
 * rules of every workspace folder; packs the context for a purpose on demand.
 *
 * Cheap on the keystroke path: events only record what changed; `pack` re-reads the text only of
 * documents whose version changed and hands the packer the same string objects otherwise, and
 * the packer's cache keeps scans, verdicts, estimates and rendered blocks per text.
 */
export class ContextTracker implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when open documents, the active editor, the cursor or the rules change. */
  readonly onDidChange = this.changed.event;

  private readonly order = new OpenOrder();
  private readonly cache = new PackCache();
  private readonly completionContext = new CompletionContext();
  private readonly texts = new Map<string, CachedDoc>();
  /** URIs open in tabs or visible editors, in a deterministic order of appearance. */
  private openUris: string[] = [];
  private activeUri: string | undefined;
  private cursor: CursorPosition | undefined;
  private recentEdits: EditedRange[] = [];
  /** Tabs VS Code could not open as text (binary, too large, unreadable) → why; not retried while open. */
  private readonly unreadable = new Map<string, string>();
  private summary: WorkspaceSummaryInput | undefined;
  private models: readonly ModelInfo[] | undefined;
  private contextSettings: ContextSettings;
  private limits: ContentLimits;
  private lastPackAt = Date.now();
  private lastDroppedForBudget = false;
  /** Definitions the active editor's code uses, found off the keystroke path. */
  readonly definitions: DefinitionService;
  private projectInstructions: ProjectInstructionsFile[] = [];

  constructor(
    private readonly settings: SettingsReader,
    private readonly log: Logger,
    private readonly exclusions: WorkspaceExclusions,
  ) {
    this.contextSettings = settings.current.context;
    this.limits = { ...DEFAULT_CONTENT_LIMITS, maxFileBytes: this.contextSettings.maxFileBytes };
    const w = vscode.window;
    const ws = vscode.workspace;
    const instructionsWatcher = ws.createFileSystemWatcher('**/{AGENTS.md,CLAUDE.md,copilot-instructions.md}');
    const locator = new VsCodeDefinitionLocator();
    this.definitions = new DefinitionService(new CombinedDefinitionResolver(new LocatorDefinitionResolver(locator), new ImportGraphResolver(locator)), (d) => this.definitionAllowed(d), log);
    this.subscriptions.push(
      this.definitions,
      instructionsWatcher,
      instructionsWatcher.onDidChange(() => void this.loadProjectInstructions()),
      instructionsWatcher.onDidCreate(() => void this.loadProjectInstructions()),
      instructionsWatcher.onDidDelete(() => void this.loadProjectInstructions()),
      this.changed,
      exclusions.onDidChange(() => this.changed.fire()),
      w.tabGroups.onDidChangeTabs(() => this.refreshOpen()),
      w.onDidChangeVisibleTextEditors(() => this.refreshOpen()),
      ws.onDidOpenTextDocument(() => this.refreshOpen()),
      ws.onDidCloseTextDocument((doc) => {
        this.texts.delete(doc.uri.toString());
        this.refreshOpen();
      }),
      ws.onDidChangeTextDocument((e) => this.onEdit(e)),
      w.onDidChangeActiveTextEditor((editor) => this.onActive(editor)),
      w.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.uri.toString() === this.activeUri) {
          const p = e.selections[0]?.active;
          this.cursor = p ? { line: p.line, character: p.character } : undefined;
        }
      }),
      ws.onDidChangeWorkspaceFolders(() => {
        void this.refreshSummary();
      }),
      ws.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('moonpilot.context')) {
          this.contextSettings = settings.current.context;
          this.limits = { ...DEFAULT_CONTENT_LIMITS, maxFileBytes: this.contextSettings.maxFileBytes };
          this.changed.fire();
        }
      }),
    );
  }

  private scanned = false;

  /**
   * Runs the first scan (open tabs, ignore files, workspace summary) once: when the features warm
   * up after the activation shell's idle delay, or before the first use of the context if that
   * comes first. Off the activation path either way.
   */
  start(): void {
    if (this.scanned) {
      return;
    }
    this.scanned = true;
    this.exclusions.requestRoots();
    this.onActive(vscode.window.activeTextEditor);
    this.refreshOpen();
    void this.refreshSummary();
    void this.loadProjectInstructions();
  }

  /** Model list from `GET /models`, so budgets use the served context lengths. */
  setModels(models: readonly ModelInfo[] | undefined): void {
    this.models = models;
  }

  /** The model, window and output reserve `pack` budgets with for `purpose`. */
  budgetFor(purpose: ContextPurpose, options: ContextPackOptions = {}): { model: string; windowTokens: number; outputReserveTokens: number; budgetTokens: number } {
    const s = this.settings.current;
    const model = purpose === 'completion' ? s.completionModel : s.chatModel;
    const windowTokens = resolveModelProfile(model, this.models).contextLength;
    const outputReserveTokens = options.outputReserveTokens ?? DEFAULT_OUTPUT_RESERVE[purpose];
    const budgetTokens = contextBudget({
      purpose,
      windowTokens,
      settings: this.contextSettings,
      outputReserveTokens,
      otherPromptTokens: options.otherPromptTokens,
      capTokens: options.budgetTokens,
    });
    return { model, windowTokens, outputReserveTokens, budgetTokens };
  }

  /** Packs the context for `purpose` from what is open now. Synchronous and cheap on repeat. */
  pack(purpose: ContextPurpose, options: ContextPackOptions = {}): PackedContext {
    this.start();
    const { budgetTokens } = this.budgetFor(purpose, options);
    let packed = this.packNow(purpose, budgetTokens, options);
    const now = Date.now();
    // Parking applies to every purpose, so only the large chat/mockup budgets decide it: the
    // small completion budget drops files all the time and must not park them for chat.
    if (purpose !== 'completion') {
      if (this.order.shouldCompact({ idleMs: now - this.lastPackAt, droppedForBudget: this.lastDroppedForBudget })) {
        this.compact(packed, budgetTokens);
        packed = this.packNow(purpose, budgetTokens, options);
      }
      this.lastDroppedForBudget = packed.report.excluded.some((e) => e.kind === 'budget' && e.path !== 'cursorWindow');
    }
    this.lastPackAt = now;
    return packed;
  }

  /** Resolves when every ignore file requested so far has been read (for views and tests). */
  async whenRulesLoaded(): Promise<void> {
    this.start();
    await this.exclusions.whenLoaded();
  }

  snapshot(): ContextSnapshot {
    this.start();
    const { documents, excluded } = this.collect();
    return {
      documents: documents.map((d) => ({ ...d })),
      activeUri: this.activeUri,
      cursor: this.currentCursor(),
      recentEdits: this.recentEdits.map((e) => ({ ...e })),
      excluded,
      workspace: this.summary,
    };
  }

  private packNow(purpose: ContextPurpose, budgetTokens: number, options: ContextPackOptions): PackedContext {
    const { documents, excluded } = this.collect();
    // The active file's definitions, as last found (the same array while unchanged); none for a file the context leaves out.
    const definitions = documents.some((d) => d.uri === this.activeUri) ? this.definitions.current(this.activeUri) : [];
    if (purpose === 'completion' && options.includeActiveFile !== false) {
      return this.completionContext.pack({
        budgetTokens,
        documents,
        activeUri: this.activeUri,
        cursor: this.currentCursor(),
        instructions: options.instructions,
        workspace: this.summary,
        ignore: this.exclusions.ignoreRules,
        limits: this.limits,
        preExcluded: excluded,
        definitions,
      });
    }
    return packContext({
      purpose,
      budgetTokens,
      documents,
      activeUri: this.activeUri,
      cursor: this.currentCursor(),
      recentEdits: this.recentEdits,
      instructions: options.instructions,
      workspace: this.summary,
      includeActiveFile: options.includeActiveFile,
      ignore: this.exclusions.ignoreRules,
      limits: this.limits,
      preExcluded: excluded,
      cache: this.cache,
      definitions,
      projectInstructions: purpose === 'chat' ? this.projectInstructions : undefined,
    });
  }

  /** The active document's cursor: read from its editor while one is visible, else the last one seen. */
  private currentCursor(): CursorPosition | undefined {
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.activeUri);
    if (editor) {
      const p = editor.selection.active;
      this.cursor = { line: p.line, character: p.character };
    }
    return this.cursor ? { ...this.cursor } : undefined;
  }

  /** Rare and deliberate (see openOrder.ts): renumber, park least recently used files when over budget, refresh the summary. */
  private compact(packed: PackedContext, budgetTokens: number): void {
    const fixed = packed.blocks.filter((b) => b.kind !== 'file').reduce((s, b) => s + b.tokens, 0);
    const candidates = this.collect()
      .documents.filter((d) => d.uri !== this.activeUri)
      .map((d) => ({ uri: d.uri, tokens: estimateTokens(d.text) }));
    const parked = this.order.compact(candidates, Math.max(0, budgetTokens - fixed));
    this.log.info('context', `compacted the open-file order (${candidates.length} files, ${parked.length} parked)`);
    void this.refreshSummary();
  }

  /** The open documents as the packer sees them, and the open editors that are left out up front. */
  private collect(): { documents: TrackedDocument[]; excluded: ExcludedItem[] } {
    const documents: TrackedDocument[] = [];
    const excluded: ExcludedItem[] = [];
    const loaded = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    for (const key of this.openUris) {
      const uri = vscode.Uri.parse(key);
      const notAFile = schemeReason(uri.scheme, 'context');
      if (notAFile !== undefined) {
        excluded.push({ path: key, reason: notAFile, kind: 'scheme' });
        continue;
      }
      const doc = loaded.get(key);
      if (!doc) {
        const why = this.unreadable.get(key);
        if (why !== undefined) {
          excluded.push({ path: this.displayPath(uri), reason: why, kind: 'content' });
        }
        continue;
      }
      // A huge document is left out by its length alone: its text is never copied or scanned.
      const tooLarge = sizeSkipReason(documentLength(doc), this.limits);
      if (tooLarge !== undefined) {
        this.texts.delete(key);
        excluded.push({ path: this.displayPath(doc.uri), reason: tooLarge, kind: 'content' });
        continue;
      }
      const tracked = this.tracked(doc);
      const pending = this.exclusions.rulesPending(doc.uri);
      if (pending) {
        excluded.push({ path: tracked.path, reason: 'waiting for ignore rules to load', kind: 'pending' });
        continue;
      }
      tracked.firstOpened = this.order.seqOf(key) ?? this.order.open(key);
      tracked.parked = this.order.isParked(key);
      documents.push(tracked);
    }
    return { documents, excluded };
  }

  /** The document's tracked form, re-read only when its version changed. */
  private tracked(doc: vscode.TextDocument): TrackedDocument {
    const key = doc.uri.toString();
    const cached = this.texts.get(key);
    if (cached && cached.version === doc.version && cached.tracked.languageId === doc.languageId) {
      return cached.tracked;
    }
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    const untitled = doc.uri.scheme === 'untitled';
    const relativePath = folder ? path.posix.relative(folder.uri.path, doc.uri.path) : undefined;
    const tracked: TrackedDocument = {
      uri: key,
      path: this.displayPath(doc.uri),
      languageId: doc.languageId,
      text: doc.getText(),
      firstOpened: cached?.tracked.firstOpened ?? 0,
      version: doc.version,
      folderKey: folder?.uri.toString(),
      relativePath,
      absolutePath: doc.uri.scheme === 'file' ? doc.uri.fsPath.replace(/\\/g, '/') : doc.uri.path,
      untitled,
    };
    this.texts.set(key, { version: doc.version, tracked });
    return tracked;
  }

  /** Workspace-relative path (with the folder name in a multi-root workspace), or the file name outside any folder. */
  private displayPath(uri: vscode.Uri): string {
    if (uri.scheme === 'untitled') {
      return uri.path;
    }
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    return folder ? vscode.workspace.asRelativePath(uri, multiRoot) : path.posix.basename(uri.path);
  }

  /** Recomputes the open set from tabs and visible editors; new ones are appended to the order. */
  private refreshOpen(): void {
    const seen = new Set<string>();
    const uris: string[] = [];
    const add = (uri: vscode.Uri | undefined): void => {
      const key = uri?.toString();
      if (key && !seen.has(key) && uri?.scheme !== 'moonpilot-context') {
        seen.add(key);
        uris.push(key);
      }
    };
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        if (tab.input instanceof vscode.TabInputText) {
          add(tab.input.uri);
        } else if (tab.input instanceof vscode.TabInputTextDiff) {
          add(tab.input.original);
          add(tab.input.modified);
        } else if (tab.input instanceof vscode.TabInputCustom) {
          // Images, PDFs, hex views, custom text editors: included when VS Code holds their text,
          // otherwise reported with the reason (binary) instead of silently missing.
          add(tab.input.uri);
        }
      }
    }
    for (const editor of vscode.window.visibleTextEditors) {
      add(editor.document.uri);
    }
    const loaded = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    for (const key of this.openUris) {
      if (!seen.has(key)) {
        this.order.close(key);
        this.texts.delete(key);
        this.exclusions.forget(vscode.Uri.parse(key));
        this.unreadable.delete(key);
      }
    }
    for (const key of uris) {
      this.order.open(key);
      const uri = vscode.Uri.parse(key);
      if (isFileScheme(uri.scheme)) {
        this.exclusions.rulesPending(uri);
        if (!loaded.has(key) && uri.scheme !== 'untitled' && !this.unreadable.has(key)) {
          void this.load(uri);
        }
      }
    }
    this.openUris = uris;
    this.changed.fire();
  }

  /**
   * Loads a tab's document that VS Code has not loaded yet (restored tabs, binary files shown in
   * the binary editor), unless it is too large; a tab that cannot be text is remembered with the
   * reason, shown in the context report and not tried again while it stays open.
   */
  private async load(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      const tooLarge = sizeSkipReason(stat.size, this.limits);
      if (tooLarge !== undefined) {
        if (this.openUris.includes(key)) {
          this.unreadable.set(key, tooLarge);
        }
      } else {
        await vscode.workspace.openTextDocument(uri);
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // The tab may have closed meanwhile: a stale reason would stop it loading when reopened.
      if (!this.openUris.includes(key)) {
        return;
      }
      this.unreadable.set(key, /binary/i.test(message) ? 'binary (VS Code does not open it as text)' : 'could not be read as text');
      this.log.debug('context', `could not load ${key}: ${message}`);
    }
    this.changed.fire();
  }

  private onActive(editor: vscode.TextEditor | undefined): void {
    // Focus moving to a panel, the chat view or a non-file editor keeps the last real editor. A
    // notebook cell is where the user types, though: it becomes the active editor (its text is not
    // packed, see uriSchemes.ts), so the file edited before it counts as an open file again
    // instead of being left out as "active".
    const scheme = editor?.document.uri.scheme;
    if (!editor || scheme === undefined || !(isFileScheme(scheme) || scheme === NOTEBOOK_CELL_SCHEME)) {
      return;
    }
    this.activeUri = editor.document.uri.toString();
    const p = editor.selection.active;
    this.cursor = { line: p.line, character: p.character };
    this.order.use(this.activeUri);
    this.changed.fire();
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) {
      return;
    }
    const key = e.document.uri.toString();
    if (!isFileScheme(e.document.uri.scheme)) {
      return;
    }
    for (const change of e.contentChanges) {
      const startLine = change.range.start.line;
      let newLines = 0;
      for (let i = change.text.indexOf('\n'); i >= 0; i = change.text.indexOf('\n', i + 1)) {
        newLines++;
      }
      const last = this.recentEdits[this.recentEdits.length - 1];
      const endLine = startLine + newLines;
      if (last && last.uri === key && startLine <= last.endLine + 1 && endLine >= last.startLine - 1) {
        // Typing on the same lines extends the last range instead of adding one per keystroke.
        last.startLine = Math.min(last.startLine, startLine);
        last.endLine = Math.max(last.endLine, endLine);
      } else {
        this.recentEdits.push({ uri: key, startLine, endLine });
        if (this.recentEdits.length > MAX_RECENT_EDITS) {
          this.recentEdits.splice(0, this.recentEdits.length - MAX_RECENT_EDITS);
        }
      }
    }
    if (key !== this.activeUri) {
      this.order.use(key);
    }
    this.changed.fire();
  }

  // ── Definitions and project instructions ────────────────────────────────────────────────────

  /** A definition may be sent only from a workspace file that is neither secret nor excluded (its ignore files read), and holds no secret. */
  private definitionAllowed(d: Definition): boolean {
    const uri = vscode.Uri.parse(d.uri);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) {
      return false;
    }
    // The one exclusion service (secret files, ignore rules, schemes); while the ignore files of the
    // definition's folders are still being read it says "pending", and the definition waits for the next lookup.
    return this.exclusions.reasonFor(uri, 'context') === undefined && !secretContentReason(d.text);
  }

  /** Reads AGENTS.md, .github/copilot-instructions.md and CLAUDE.md at each folder's root (those not excluded). */
  private async loadProjectInstructions(): Promise<void> {
    const found: ProjectInstructionsFile[] = [];
    const folders = vscode.workspace.workspaceFolders ?? [];
    for (const folder of folders) {
      for (const name of PROJECT_INSTRUCTIONS_FILES) {
        const uri = vscode.Uri.joinPath(folder.uri, name);
        if (this.exclusions.rulesPending(uri)) {
          await this.exclusions.whenLoaded(2_000);
        }
        if (this.exclusions.reasonFor(uri, 'context') !== undefined) {
          continue;
        }
        try {
          const bytes = await vscode.workspace.fs.readFile(uri);
          const text = new TextDecoder().decode(bytes);
          if (text.trim() !== '' && !secretContentReason(text)) {
            found.push({ path: folders.length > 1 ? `${folder.name}/${name}` : name, text: text.length > MAX_INSTRUCTIONS_CHARS ? `${text.slice(0, MAX_INSTRUCTIONS_CHARS)}\n… (cut at ${MAX_INSTRUCTIONS_CHARS} characters)\n` : text });
          }
        } catch {
          // not there
        }
      }
    }
    this.projectInstructions = found;
    this.changed.fire();
  }

  // ── Workspace summary ───────────────────────────────────────────────────────────────────────

  /** Lists the workspace's files once (and again at a compaction), without secret or ignored ones. */
  private async refreshSummary(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    try {
      const files: string[] = [];
      let total = 0;
      for (const folder of folders) {
        await this.exclusions.whenLoaded();
        const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), SUMMARY_EXCLUDE, SUMMARY_SCAN_LIMIT);
        for (const uri of found) {
          const rel = path.posix.relative(folder.uri.path, uri.path);
          if (secretFileReason(rel) || this.exclusions.ignoreRules.reasonFor(folder.uri.toString(), rel)) {
            continue;
          }
          total++;
          files.push(folders.length > 1 ? `${folder.name}/${rel}` : rel);
        }
      }
      this.summary = { folders: folders.map((f) => f.name), files, totalFiles: total };
      this.changed.fire();
    } catch (err) {
      this.log.warn('context', `workspace summary failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) {
      s.dispose();
    }
  }
}

/** Characters in the document, from its line index (the text is not copied). */
function documentLength(doc: vscode.TextDocument): number {
  return doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
}
