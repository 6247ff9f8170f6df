import * as vscode from 'vscode';
import type { ContextSettings } from '../../core/context/contextBudget';
import type { TrackedContext } from '../../core/context/contextBuilder';
import type { CursorPosition, EditedRange, ExcludedItem, TrackedDocument } from '../../core/context/contextTypes';
import { DEFAULT_CONTENT_LIMITS, sizeSkipReason, type ContentLimits } from '../../core/context/contentFilters';
import { OpenOrder } from '../../core/context/openOrder';
import { recordEdit } from '../../core/context/recentEdits';
import { isFileScheme, schemeReason } from '../../core/context/uriSchemes';
import type { Logger } from '../../core/log/logger';
import type { SettingsReader } from '../settingsReader';
import { openEditorUris } from './openEditors';
import { ProjectInstructions } from './projectInstructions';
import { displayPath, documentLength, trackedDocument } from './trackedDocument';
import type { WorkspaceExclusions } from './workspaceExclusions';
import { WorkspaceSummaryScan } from './workspaceSummaryScan';

const NOTEBOOK_CELL_SCHEME = 'vscode-notebook-cell';

interface CachedDoc {
  version: number;
  tracked: TrackedDocument;
}

/**
 * Tracks what the user has open in VS Code (tabs and visible editors, unsaved edits included),
 * the order files were first opened, recent edits, the active editor and cursor, the project's
 * instructions files and the workspace summary; hands them to the context builder as plain data.
 *
 * Cheap on the keystroke path: events only record what changed; `read` re-reads the text only of
 * documents whose version changed and hands the same string objects otherwise.
 */
export class DocumentTracker implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when open documents, the active editor, the cursor or the rules change. */
  readonly onDidChange = this.changed.event;

  /** The order files were first opened in (documents are numbered by it; the builder compacts it). */
  readonly order = new OpenOrder();
  private readonly texts = new Map<string, CachedDoc>();
  /** URIs open in tabs or visible editors, in a deterministic order of appearance. */
  private openUris: string[] = [];
  private activeUri: string | undefined;
  private cursor: CursorPosition | undefined;
  private readonly recentEdits: EditedRange[] = [];
  /** Tabs VS Code could not open as text (binary, too large, unreadable) → why; not retried while open. */
  private readonly unreadable = new Map<string, string>();
  private settings: ContextSettings;
  private limits: ContentLimits;
  private readonly instructions: ProjectInstructions;
  private readonly summary: WorkspaceSummaryScan;

  constructor(
    settings: SettingsReader,
    private readonly log: Logger,
    private readonly exclusions: WorkspaceExclusions,
  ) {
    this.settings = settings.current.context;
    this.limits = { ...DEFAULT_CONTENT_LIMITS, maxFileBytes: this.settings.maxFileBytes };
    const w = vscode.window;
    const ws = vscode.workspace;
    this.instructions = new ProjectInstructions(exclusions, () => this.changed.fire());
    this.subscriptions.push(
      this.instructions,
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
      // The reader's event, not VS Code's: it also fires when trusting the folder applies its
      // restricted settings (moonpilot.context.maxFileBytes is one).
      settings.onDidChange((current) => {
        if (JSON.stringify(current.context) !== JSON.stringify(this.settings)) {
          this.settings = current.context;
          this.limits = { ...DEFAULT_CONTENT_LIMITS, maxFileBytes: this.settings.maxFileBytes };
          this.changed.fire();
        }
      }),
    );
    this.summary = new WorkspaceSummaryScan(exclusions, log, () => this.changed.fire());
    this.subscriptions.push(this.summary);
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
    void this.summary.refresh();
    void this.instructions.load();
  }

  /** The `moonpilot.context.*` settings, as of the last change of that section. */
  get contextSettings(): ContextSettings {
    return this.settings;
  }

  /** Resolves when every ignore file requested so far has been read (for views and tests). */
  async whenRulesLoaded(): Promise<void> {
    this.start();
    await this.exclusions.whenLoaded();
  }

  /** What is open now, for the context builder (the same objects while unchanged); definitions are the builder's caller's to add. */
  read(): Omit<TrackedContext, 'definitions'> {
    this.start();
    const { documents, excluded } = this.collect();
    return {
      documents,
      excluded,
      activeUri: this.activeUri,
      cursor: this.currentCursor(),
      recentEdits: this.recentEdits,
      workspace: this.summary.current,
      projectInstructions: this.instructions.current,
      ignore: this.exclusions.ignoreRules,
      limits: this.limits,
    };
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
          excluded.push({ path: displayPath(uri), reason: why, kind: 'content' });
        }
        continue;
      }
      // A huge document is left out by its length alone: its text is never copied or scanned.
      const tooLarge = sizeSkipReason(documentLength(doc), this.limits);
      if (tooLarge !== undefined) {
        this.texts.delete(key);
        excluded.push({ path: displayPath(doc.uri), reason: tooLarge, kind: 'content' });
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
    const tracked = trackedDocument(doc, cached?.tracked.firstOpened ?? 0);
    this.texts.set(key, { version: doc.version, tracked });
    return tracked;
  }

  /** Recomputes the open set from tabs and visible editors; new ones are appended to the order. */
  private refreshOpen(): void {
    const uris = openEditorUris();
    const seen = new Set(uris);
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
      recordEdit(this.recentEdits, key, change.range.start.line, change.text);
    }
    if (key !== this.activeUri) {
      this.order.use(key);
    }
    this.changed.fire();
  }

  /** Lists the workspace's files again (after a compaction). */
  refreshSummary(): Promise<void> {
    return this.summary.refresh();
  }

  dispose(): void {
    for (const s of this.subscriptions) {
      s.dispose();
    }
  }
}
