import * as vscode from 'vscode';
import { completesLanguage, type CompletionSettings } from '../../core/completion/completionSettings';
import { withSelectedItem, type CursorSnapshot, type IndentStyle, type SelectedItem } from '../../core/completion/completionTypes';
import { cursorWindows, windowSkipReason, WindowScreen, type TextReader } from '../../core/completion/completionWindow';
import type { Suggestion } from '../../core/completion/requestTypes';
import type { ExclusionVerdict } from '../../core/context/documentExclusion';
import type { Logger } from '../../core/log/logger';

/** Lines longer than this (minified code) get items that start at the cursor, not the line start. */
const LINE_START_LIMIT = 400;

/** What the provider last answered (for the diagnostics API and the integration tests). */
export interface ProvidedCompletion {
  uri: string;
  line: number;
  character: number;
  /** The completion text at the cursor (without the line start the item repeats). */
  text: string;
  source: Suggestion['source'];
  /** ms from provider entry to the item. */
  latencyMs: number;
  /** The suggest widget's selected item the completion extends, when the widget was open. */
  selectedItem?: string;
}

/** A provider call that asked for nothing, and why (for the diagnostics API and the integration tests). */
export interface SkippedCompletion {
  uri: string;
  reason: string;
}

export interface InlineProviderDeps {
  /** The completion service (or anything that answers a cursor state the same way). */
  completions: { complete(snapshot: CursorSnapshot, signal: AbortSignal): Promise<Suggestion | undefined> };
  settings: () => CompletionSettings;
  log: Logger;
  /**
   * Why a document must not be sent (scheme, secret file, `.moonpilotignore`, `.gitignore`,
   * `files.exclude`, `moonpilot.context.exclude`): the extension's one exclusion service. A
   * promise only while the document's ignore files are being read (its first keystroke).
   */
  exclusion: (uri: vscode.Uri) => ExclusionVerdict | undefined | Promise<ExclusionVerdict | undefined>;
  onProvided?: (provided: ProvidedCompletion) => void;
  onSkipped?: (skipped: SkippedCompletion) => void;
}

/**
 * Kimi inline completions for every language. Each call turns the document and cursor into a
 * `CursorSnapshot` (reading only the windows it needs, so a huge file costs no more than a small
 * one) and asks the request manager, with VS Code's cancellation token bridged to an
 * AbortSignal. It never throws: a failure is logged and yields no item.
 */
export class KimiInlineProvider implements vscode.InlineCompletionItemProvider {
  /** Credentials in the text around the cursor, re-checked incrementally while the user types. */
  private readonly screen = new WindowScreen();

  constructor(private readonly deps: InlineProviderDeps) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const started = Date.now();
    try {
      if (token.isCancellationRequested) {
        return undefined;
      }
      const verdict = await this.deps.exclusion(document.uri);
      if (token.isCancellationRequested) {
        return undefined;
      }
      const notHere = this.skipReason(document, verdict);
      if (notHere !== undefined) {
        this.deps.onSkipped?.({ uri: document.uri.toString(), reason: notHere });
        return undefined;
      }
      // The suggest widget is open (after `item.`): complete as if its selected item were accepted,
      // so the ghost text extends that item (VS Code shows nothing that does not) and the list stays usable.
      const selected = selectedItem(position, context.selectedCompletionInfo);
      const snapshot = withSelectedItem(snapshotAt(document, position, context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke), selected);
      const notNow = windowSkipReason(snapshot, this.screen);
      if (notNow !== undefined) {
        this.deps.onSkipped?.({ uri: document.uri.toString(), reason: notNow });
        return undefined;
      }
      const controller = new AbortController();
      const bridge = token.onCancellationRequested(() => controller.abort());
      let suggestion: Suggestion | undefined;
      try {
        suggestion = await this.deps.completions.complete(snapshot, controller.signal);
      } finally {
        bridge.dispose();
      }
      if (!suggestion || token.isCancellationRequested) {
        return undefined;
      }
      this.deps.onProvided?.({
        uri: document.uri.toString(),
        line: position.line,
        character: position.character,
        text: suggestion.text,
        source: suggestion.source,
        latencyMs: Date.now() - started,
        selectedItem: selected?.text,
      });
      return [itemFor(document, position, suggestion, selected)];
    } catch (err) {
      this.deps.log.error('completion', `provider failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return undefined;
    }
  }

  /** Why this document gets no completion at all, or undefined. */
  private skipReason(document: vscode.TextDocument, excluded: ExclusionVerdict | undefined): string | undefined {
    // What the user excluded and secret files never leave the machine: not even the text around
    // the cursor, which is the completion prompt. Nor do VS Code's own user files.
    if (excluded !== undefined) {
      return excluded.kind === 'pending' || excluded.kind === 'scheme' ? excluded.reason : `${excluded.reason}: never sent`;
    }
    const settings = this.deps.settings();
    if (!completesLanguage(settings, document.languageId)) {
      return settings.enabled ? `completion is off for ${document.languageId}` : 'completion is off';
    }
    return undefined;
  }
}

/** The text around the cursor, read through ranges (never the whole text of a large file). */
export function snapshotAt(document: vscode.TextDocument, position: vscode.Position, explicit: boolean): CursorSnapshot {
  const lastLine = document.lineAt(document.lineCount - 1);
  const reader: TextReader = {
    length: document.offsetAt(lastLine.range.end),
    slice: (start, end) => document.getText(new vscode.Range(document.positionAt(start), document.positionAt(end))),
  };
  const windows = cursorWindows(reader, document.offsetAt(position));
  return {
    docKey: document.uri.toString(),
    path: document.uri.scheme === 'file' ? vscode.workspace.asRelativePath(document.uri, false) : document.uri.path.split('/').pop() || document.uri.toString(),
    languageId: document.languageId,
    prefix: windows.prefix.replace(/\r\n/g, '\n'),
    suffix: windows.suffix.replace(/\r\n/g, '\n'),
    indent: indentStyleOf(document),
    explicit,
  };
}

function indentStyleOf(document: vscode.TextDocument): IndentStyle {
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
  const tabSize = typeof editor?.options.tabSize === 'number' ? editor.options.tabSize : 4;
  const insertSpaces = typeof editor?.options.insertSpaces === 'boolean' ? editor.options.insertSpaces : true;
  return { tabSize, insertSpaces };
}

/** The suggest widget's selected item, when its range is on the cursor's line around the cursor. */
function selectedItem(position: vscode.Position, info: vscode.SelectedCompletionInfo | undefined): SelectedItem | undefined {
  if (!info || info.range.start.line !== position.line || info.range.end.line !== position.line || info.range.start.character > position.character || info.range.end.character < position.character) {
    return undefined;
  }
  return { text: info.text, replacesBefore: position.character - info.range.start.character, replacesAfter: info.range.end.character - position.character };
}

/**
 * The item: from the line start (so it stays put while the user types into it) unless the line
 * is very long; it replaces `overwrite` characters after the cursor when the completion writes
 * over closers the editor auto-inserted. With the suggest widget open, the item starts with the
 * selected item's text in place of its range (VS Code shows only an item that extends it).
 */
export function itemFor(document: vscode.TextDocument, position: vscode.Position, suggestion: Suggestion, selected?: SelectedItem): vscode.InlineCompletionItem {
  const line = document.lineAt(position.line);
  const typed = selected ? line.text.slice(0, position.character - selected.replacesBefore) + selected.text : line.text.slice(0, position.character);
  const after = selected ? selected.replacesAfter : 0;
  const before = line.text.slice(0, position.character);
  const fromLineStart = before.length <= LINE_START_LIMIT;
  const end = position.translate(0, Math.min(after + suggestion.overwrite, line.text.length - position.character));
  const start = fromLineStart ? line.range.start : position.translate(0, -(selected?.replacesBefore ?? 0));
  const lead = fromLineStart ? typed : (selected?.text ?? '');
  return new vscode.InlineCompletionItem(lead + suggestion.text, new vscode.Range(start, end));
}
