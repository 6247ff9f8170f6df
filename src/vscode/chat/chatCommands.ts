import * as vscode from 'vscode';
import { COMMANDS } from '../../core/config/commandIds';
import { estimateTokens } from '../../core/chat/chatPrompt';
import type { TurnView } from '../../core/chat/protocol';
import type { Attachment } from '../../core/chat/transcriptTypes';
import { maskSecretTokens } from '../../core/context/secretTokens';
import type { Registrar } from '../registrar';
import type { Notifier } from '../notifier';
import type { WorkspaceExclusions } from '../context/workspaceExclusions';
import { ChatSession } from '../../core/chat/chatSession';
import type { ChatViewProvider } from './chatViewProvider';

/** Largest selection or file that can be attached (about 100K tokens). */
const MAX_ATTACHMENT_CHARS = 400_000;

export const EXPLAIN_PROMPT = 'Explain what this code does and how it works, step by step. Point out anything surprising, risky or wrong.';

/** An attachment from an editor: its selection, or the whole file when the selection is empty or `wholeFile`. */
export function attachmentFromEditor(editor: vscode.TextEditor, exclusions: WorkspaceExclusions, wholeFile = false): Attachment | { refused: string } {
  const doc = editor.document;
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const path = doc.isUntitled ? doc.uri.path : vscode.workspace.asRelativePath(doc.uri, multiRoot);
  const selection = editor.selection;
  const useSelection = !wholeFile && !selection.isEmpty;
  // Credentials (API keys, tokens, password values) are masked, as in the context.
  const text = maskSecretTokens(useSelection ? doc.getText(selection) : doc.getText()).text;
  const reason = exclusions.attachmentReasonFor(doc.uri) ?? exclusions.content(text);
  if (reason) {
    return { refused: `Moonpilot does not send ${path} to the model (${reason}).` };
  }
  if (text.length > MAX_ATTACHMENT_CHARS) {
    return { refused: `${path} is too large to attach (${Math.round(text.length / 1000)}K characters); select a part of it.` };
  }
  const attachment: Attachment = {
    id: ChatSession.attachmentId(),
    kind: useSelection ? 'selection' : 'file',
    path,
    languageId: doc.languageId,
    tokens: estimateTokens(text),
    text,
  };
  if (useSelection) {
    const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
    attachment.startLine = selection.start.line + 1;
    attachment.endLine = endLine;
  }
  return attachment;
}

/** Explain Selection, Add to Moonpilot Chat, New Chat. */
export function registerChatCommands(deps: { registrar: Registrar; session: ChatSession; provider: ChatViewProvider; notifier: Notifier; exclusions: WorkspaceExclusions }): vscode.Disposable[] {
  const { registrar, session, provider, notifier, exclusions } = deps;

  const editorFor = async (uri: unknown): Promise<vscode.TextEditor | undefined> => {
    const active = vscode.window.activeTextEditor;
    if (uri instanceof vscode.Uri && active?.document.uri.toString() !== uri.toString()) {
      return vscode.window.showTextDocument(uri, { preview: true, preserveFocus: true });
    }
    return active;
  };

  return [
    registrar.registerCommand(COMMANDS.newChat, async (): Promise<void> => {
      session.newChat();
      await provider.reveal();
      provider.focusInput();
    }),

    registrar.registerCommand(COMMANDS.explainSelection, async (): Promise<TurnView | undefined> => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.selection.isEmpty) {
        void notifier.show('info', 'Select the code to explain first.');
        return undefined;
      }
      const attachment = attachmentFromEditor(editor, exclusions);
      if ('refused' in attachment) {
        void notifier.show('warning', attachment.refused);
        return undefined;
      }
      await provider.reveal();
      await session.stopAndSettle();
      return session.send(EXPLAIN_PROMPT, { thinking: true, attachments: [attachment] });
    }),

    registrar.registerCommand(COMMANDS.addToChat, async (uri?: unknown): Promise<boolean> => {
      const editor = await editorFor(uri);
      if (!editor) {
        void notifier.show('info', 'Open a file (and select code, if you like) to add it to the chat.');
        return false;
      }
      const attachment = attachmentFromEditor(editor, exclusions);
      if ('refused' in attachment) {
        void notifier.show('warning', attachment.refused);
        return false;
      }
      session.addAttachment(attachment);
      await provider.reveal();
      provider.focusInput();
      return true;
    }),
  ];
}
