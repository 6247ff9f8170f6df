import type { AttachmentView, SessionView, TurnView } from '../../core/chat/protocol';
import type { ChatViewDiagnostics } from './chatViewProvider';

/**
 * The chat part of the extension's API (`activate()`'s return value): lets tests and scripts
 * drive the chat the way the view does, and see what the view was given. Never exposes the key.
 */
export interface ChatApi {
  /** Sends a message as the input box would; resolves with the finished turn (undefined if not sent). */
  send(text: string, options?: { thinking?: boolean }): Promise<TurnView | undefined>;
  /** Stop, as the Stop button. */
  stop(): void;
  retry(turnId: string): Promise<TurnView | undefined>;
  newChat(): void;
  transcript(): TurnView[];
  session(): SessionView;
  attachments(): AttachmentView[];
  /** The webview's life cycle as the host saw it. */
  view(): ChatViewDiagnostics;
}
