import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostToWebview, type WebviewToHost } from '../../core/chat/protocol';
import type { OutputLogger } from '../outputLogger';
import type { VsCodeChatSession } from './chatSessionHost';

export const CHAT_VIEW_ID = 'moonpilot.chatView';

/** What the view does with requests that leave the chat (code actions, links, the key). */
export interface ChatViewHandlers {
  codeAction(message: Extract<WebviewToHost, { type: 'codeAction' }>): Promise<void>;
  openLink(href: string): Promise<void>;
  setApiKey(): Promise<void>;
}

/** Counters that let tests see the webview's life cycle (it cannot be clicked from a test). */
export interface ChatViewDiagnostics {
  /** Times VS Code resolved (created) the webview. */
  resolved: number;
  /** `ready` handshakes received. */
  ready: number;
  visible: boolean;
  /** Turn ids the webview reported after rendering the last `init`. */
  renderedTurnIds: string[];
  /** Malformed messages from the webview that were dropped. */
  rejected: number;
}

/**
 * The chat's webview view. The webview is only a display: the session owns the transcript, so a
 * webview that is hidden, disposed and resolved again is restored from the `init` sent after its
 * `ready` handshake. CSP `default-src 'none'`, one nonce'd script from the bundle, resources only
 * from dist/webview and media, every message from the webview validated.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private viewSubscriptions: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];
  private pending: HostToWebview[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  readonly diagnostics: ChatViewDiagnostics = { resolved: 0, ready: 0, visible: false, renderedTurnIds: [], rejected: 0 };

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: VsCodeChatSession,
    private readonly handlers: ChatViewHandlers,
    private readonly log: OutputLogger,
  ) {
    this.subscriptions.push(session.onMessage((message) => this.post(message)));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    this.ready = false;
    this.diagnostics.resolved++;
    this.diagnostics.visible = view.visible;
    const webview = view.webview;
    webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      enableForms: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    webview.html = this.html(webview);
    this.viewSubscriptions.push(
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      view.onDidChangeVisibility(() => {
        this.diagnostics.visible = view.visible;
        if (!view.visible) {
          // A hidden view's webview is torn down; it says `ready` again when shown.
          this.ready = false;
          this.pending = [];
        }
      }),
      view.onDidDispose(() => {
        if (this.view === view) {
          this.disposeView();
        }
      }),
    );
  }

  /** Shows the chat view (creating the webview if needed). */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }

  /** Moves focus into the input once the webview is ready. */
  focusInput(): void {
    this.post({ type: 'focusInput' });
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.diagnostics.rejected++;
      this.log.warn('chat', 'dropped a malformed message from the chat webview');
      return;
    }
    try {
      await this.handle(message);
    } catch (err) {
      this.log.error('chat', `handling ${message.type} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.diagnostics.ready++;
        this.pending = [];
        this.postNow({ type: 'init', state: this.session.state() });
        return;
      case 'rendered':
        this.diagnostics.renderedTurnIds = message.turnIds;
        return;
      case 'send':
        await this.session.send(message.text, { thinking: message.thinking });
        return;
      case 'stop':
        this.session.stop();
        return;
      case 'retry':
        await this.session.retry(message.turnId);
        return;
      case 'newChat':
        this.session.newChat();
        return;
      case 'setEffort':
        await this.session.setEffort(message.effort);
        return;
      case 'switchModel':
        await this.session.switchModel();
        return;
      case 'setThinking':
        this.session.setThinking(message.thinking);
        return;
      case 'removeAttachment':
        this.session.removeAttachment(message.id);
        return;
      case 'draft':
        this.session.setDraft(message.text);
        return;
      case 'codeAction':
        await this.handlers.codeAction(message);
        return;
      case 'openLink':
        await this.handlers.openLink(message.href);
        return;
      case 'setApiKey':
        await this.handlers.setApiKey();
        return;
    }
  }

  /**
   * Queues a message for the webview. Text deltas are coalesced and sent at most every 16 ms;
   * any other message first flushes the deltas before it, so the order is kept. Without a ready
   * webview nothing is queued: the next `init` carries the whole state.
   */
  private post(message: HostToWebview): void {
    if (!this.view || !this.ready) {
      return;
    }
    if (message.type === 'delta') {
      const last = this.pending[this.pending.length - 1];
      if (last?.type === 'delta' && last.turnId === message.turnId && last.part === message.part) {
        last.text += message.text;
      } else {
        this.pending.push({ ...message });
      }
      this.flushTimer ??= setTimeout(() => this.flush(), 16);
      return;
    }
    this.flush();
    this.postNow(message);
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.pending;
    this.pending = [];
    for (const message of batch) {
      this.postNow(message);
    }
  }

  private postNow(message: HostToWebview): void {
    if (this.view && this.ready) {
      void this.view.webview.postMessage(message);
    }
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const asset = (...parts: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...parts)).toString();
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${asset('dist', 'webview', 'codicon.css')}">
  <link rel="stylesheet" href="${asset('media', 'chat.css')}">
  <title>Moonpilot Chat</title>
</head>
<body>
  <script nonce="${nonce}" src="${asset('dist', 'webview', 'chat.js')}"></script>
</body>
</html>`;
  }

  private disposeView(): void {
    for (const s of this.viewSubscriptions) {
      s.dispose();
    }
    this.viewSubscriptions = [];
    this.view = undefined;
    this.ready = false;
    this.diagnostics.visible = false;
    this.pending = [];
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  dispose(): void {
    this.disposeView();
    for (const s of this.subscriptions) {
      s.dispose();
    }
  }
}
