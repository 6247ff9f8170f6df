import * as vscode from 'vscode';
import { CompletionContext } from '../../core/completion/completionContext';
import { ContextBuilder, type ContextBudgetPlan, type ContextPackOptions } from '../../core/context/contextBuilder';
import type { ContextPurpose, CursorPosition, EditedRange, ExcludedItem, PackedContext, TrackedDocument } from '../../core/context/contextTypes';
import { CombinedDefinitionResolver, LocatorDefinitionResolver } from '../../core/context/definitionResolver';
import type { Definition } from '../../core/context/definitionTypes';
import { ImportGraphResolver } from '../../core/context/importGraph';
import { secretContentReason } from '../../core/context/secretFiles';
import type { WorkspaceSummaryInput } from '../../core/context/workspaceSummary';
import type { ModelInfo } from '../../core/kimi/kimiTypes';
import type { Logger } from '../../core/log/logger';
import type { SettingsReader } from '../settingsReader';
import { DefinitionService } from './definitionService';
import { VsCodeDefinitionLocator } from './definitionLocator';
import { DocumentTracker } from './documentTracker';
import type { WorkspaceExclusions } from './workspaceExclusions';

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

/**
 * The context as the features ask for it: the document tracker (what is open in VS Code,
 * documentTracker.ts), the definitions the active editor's code uses (definitionService.ts) and
 * the pure context builder (purpose → budget → pack → compact, core/context/contextBuilder.ts)
 * composed into one object for completion, chat and the context view.
 */
export class ContextTracker implements vscode.Disposable {
  /** Definitions the active editor's code uses, found off the keystroke path. */
  readonly definitions: DefinitionService;
  private readonly documents: DocumentTracker;
  private readonly builder: ContextBuilder;
  /** Fires when open documents, the active editor, the cursor or the rules change. */
  readonly onDidChange: vscode.Event<void>;

  constructor(settings: SettingsReader, log: Logger, exclusions: WorkspaceExclusions, listedModels: () => readonly ModelInfo[] | undefined) {
    const locator = new VsCodeDefinitionLocator();
    this.definitions = new DefinitionService(new CombinedDefinitionResolver(new LocatorDefinitionResolver(locator), new ImportGraphResolver(locator)), (d) => definitionAllowed(d, exclusions), log);
    const documents = new DocumentTracker(settings, log, exclusions);
    this.documents = documents;
    this.onDidChange = documents.onDidChange;
    this.builder = new ContextBuilder({
      read: () => {
        const tracked = documents.read();
        return { ...tracked, definitions: this.definitions.current(tracked.activeUri) };
      },
      order: documents.order,
      settings: () => ({ completionModel: settings.current.completionModel, chatModel: settings.current.chatModel, context: documents.contextSettings }),
      completion: new CompletionContext(),
      log,
      onCompacted: () => void documents.refreshSummary(),
      listedModels,
    });
  }


  /** The model, window and output reserve `pack` budgets with for `purpose`. */
  budgetFor(purpose: ContextPurpose, options: ContextPackOptions = {}): ContextBudgetPlan {
    return this.builder.budgetFor(purpose, options);
  }

  /** Packs the context for `purpose` from what is open now. Synchronous and cheap on repeat. */
  pack(purpose: ContextPurpose, options: ContextPackOptions = {}): PackedContext {
    return this.builder.pack(purpose, options);
  }

  /** Runs the first scan of what is open (see DocumentTracker.start); the shell's warm-up calls it. */
  start(): void {
    this.documents.start();
  }

  /** Resolves when every ignore file requested so far has been read (for views and tests). */
  whenRulesLoaded(): Promise<void> {
    return this.documents.whenRulesLoaded();
  }

  /** What is open now, as copies (for the context view and tests). */
  snapshot(): ContextSnapshot {
    const t = this.documents.read();
    return {
      documents: t.documents.map((d) => ({ ...d })),
      activeUri: t.activeUri,
      cursor: t.cursor,
      recentEdits: t.recentEdits.map((e) => ({ ...e })),
      excluded: t.excluded,
      workspace: t.workspace,
    };
  }

  dispose(): void {
    this.definitions.dispose();
    this.documents.dispose();
  }
}

/** A definition may be sent only from a workspace file that is neither secret nor excluded (its ignore files read), and holds no secret. */
function definitionAllowed(d: Definition, exclusions: WorkspaceExclusions): boolean {
  const uri = vscode.Uri.parse(d.uri);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) {
    return false;
  }
  // The one exclusion service (secret files, ignore rules, schemes); while the ignore files of the
  // definition's folders are still being read it says "pending", and the definition waits for the next lookup.
  return exclusions.reasonFor(uri, 'context') === undefined && !secretContentReason(d.text);
}
