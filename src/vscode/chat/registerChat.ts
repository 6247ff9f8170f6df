import * as vscode from 'vscode';
import { COMMANDS } from '../../core/config/commandIds';
import { ChatToolbox } from '../../core/chat/chatTools';
import { maskedFileSystem } from '../../core/chat/maskedFiles';
import { isWebLink } from '../../core/chat/protocol';
import type { Registrar } from '../registrar';
import type { ContextTracker } from '../context/contextTracker';
import type { WorkspaceExclusions } from '../context/workspaceExclusions';
import type { KimiConnection } from '../kimiConnection';
import type { Notifier } from '../notifier';
import type { OutputLogger } from '../outputLogger';
import type { ChatApi } from './chatApi';
import { registerChatCommands } from './chatCommands';
import { TrackerContextSource } from './chatContextSource';
import { VsCodeChatSession } from './chatSessionHost';
import { CHAT_VIEW_ID, ChatViewProvider } from './chatViewProvider';
import { VsCodeWorkspaceFs } from './chatWorkspaceFs';
import { CodeActions } from './codeActions';

/** The sidebar chat: its session, webview view, tools and commands. Returns the chat API. */
export function registerChat(context: vscode.ExtensionContext, deps: { registrar: Registrar; connection: KimiConnection; tracker: ContextTracker; exclusions: WorkspaceExclusions; notifier: Notifier; log: OutputLogger }): ChatApi {
  const { registrar, connection, tracker, exclusions, notifier, log } = deps;
  const tools = new ChatToolbox(maskedFileSystem(new VsCodeWorkspaceFs()), exclusions.policy, exclusions.content, undefined, () => exclusions.ready());
  const session = new VsCodeChatSession({ connection, log, context: new TrackerContextSource(tracker), tools, storage: context.workspaceState, beforeTurn: () => exclusions.refreshBeforeNextUse() });
  const codeActions = new CodeActions(notifier);
  const provider = new ChatViewProvider(
    context.extensionUri,
    session,
    {
      codeAction: (m) => codeActions.run(m.action, m.code, m.language),
      openLink: async (href) => {
        if (isWebLink(href)) {
          await vscode.env.openExternal(vscode.Uri.parse(href, true));
        }
      },
      setApiKey: async () => {
        await vscode.commands.executeCommand(COMMANDS.setApiKey);
      },
    },
    log,
  );
  context.subscriptions.push(
    session,
    codeActions,
    provider,
    registrar.registerWebviewViewProvider(CHAT_VIEW_ID, provider),
    ...registerChatCommands({ registrar, session, provider, notifier, exclusions }),
    // The header shows the model, its effort and prices, and offers the switch when the setting changes.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('moonpilot.chat') || e.affectsConfiguration('moonpilot.prices')) {
        session.refreshModel();
      }
    }),
  );
  return {
    send: (text, options) => session.send(text, options),
    stop: () => session.stop(),
    retry: (turnId) => session.retry(turnId),
    newChat: () => session.newChat(),
    transcript: () => session.turns(),
    session: () => session.sessionView(),
    attachments: () => session.pendingAttachments(),
    view: () => ({ ...provider.diagnostics, renderedTurnIds: [...provider.diagnostics.renderedTurnIds] }),
  };
}
