import * as vscode from 'vscode';
import { ChatSession } from '../../core/chat/chatSession';
import type { ChatSessionDeps, StoredSession } from '../../core/chat/chatSessionPorts';
import type { HostToWebview } from '../../core/chat/protocol';

const STORAGE_KEY = 'moonpilot.chat.session.v1';

/**
 * The core chat session with its VS Code ports: stored in workspace state, changes fired as an
 * event the view forwards to the webview, uncached re-sends confirmed by a modal warning.
 */
export class VsCodeChatSession extends ChatSession implements vscode.Disposable {
  /** Every change, as the message the webview needs to show it. */
  readonly onMessage: vscode.Event<HostToWebview>;
  private readonly emitter: vscode.EventEmitter<HostToWebview>;

  constructor(deps: Omit<ChatSessionDeps, 'storage' | 'emit' | 'confirm'> & { storage: vscode.Memento; confirm?: ChatSessionDeps['confirm'] }) {
    const emitter = new vscode.EventEmitter<HostToWebview>();
    const memento = deps.storage;
    super({
      ...deps,
      storage: { get: () => memento.get<StoredSession>(STORAGE_KEY), update: (session) => memento.update(STORAGE_KEY, session) },
      emit: (message) => emitter.fire(message),
      confirm: deps.confirm ?? confirmModal,
    });
    this.emitter = emitter;
    this.onMessage = emitter.event;
  }

  override dispose(): void {
    super.dispose();
    this.emitter.dispose();
  }
}

async function confirmModal(message: string, action: string): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(message, { modal: true }, action);
  return choice === action;
}
