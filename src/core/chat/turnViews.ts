/** What the webview is shown of the transcript: copies without wire messages or attachment text. */
import type { AttachmentView, TurnView } from './protocol';
import type { Attachment, ChatTurn } from './transcriptTypes';

/** A view of a turn for the webview (no wire messages, no attachment text). */
export function turnView(turn: ChatTurn): TurnView {
  const view: TurnView = {
    id: turn.id,
    userText: turn.userText,
    attachments: turn.attachments.map(attachmentView),
    thinking: turn.thinking,
    reasoning: turn.reasoning,
    answer: turn.answer,
    tools: turn.tools.map((t) => ({ ...t })),
    status: turn.status,
    startedAt: turn.startedAt,
  };
  if (turn.reasoningMs !== undefined) {
    view.reasoningMs = turn.reasoningMs;
  }
  if (turn.error) {
    view.error = { ...turn.error, actions: [...turn.error.actions] };
  }
  if (turn.usage) {
    view.usage = { ...turn.usage };
  }
  if (turn.notice) {
    view.notice = turn.notice;
  }
  return view;
}

/** An attachment as the webview shows it (without its text). */
export function attachmentView(a: Attachment): AttachmentView {
  const { text: _text, ...view } = a;
  return view;
}
