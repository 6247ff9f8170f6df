import * as vscode from 'vscode';
import { estimateTokens } from '../../core/chat/chatPrompt';
import type { ContextBlock, PackedContext } from '../../core/context/contextTypes';
import type { ChatExclusions } from './chatExclusions';

/** Where the chat gets the workspace context it sends once, at the start of a conversation. */
export interface ChatContextSource {
  /** The packed context for chat, or undefined when there is nothing to send. */
  packForChat(): PackedContext | undefined;
}

const FALLBACK_BUDGET_TOKENS = 24_000;

/**
 * A stand-in until the context builder's tracker is wired: the visible editors' documents (unsaved
 * edits included), minus excluded files, within a budget, oldest-opened first.
 */
export class OpenEditorsContext implements ChatContextSource {
  constructor(private readonly exclusions: ChatExclusions) {}

  packForChat(): PackedContext | undefined {
    const blocks: ContextBlock[] = [];
    const excluded: { path: string; reason: string }[] = [];
    let tokens = 0;
    const seen = new Set<string>();
    for (const editor of vscode.window.visibleTextEditors) {
      const doc = editor.document;
      const key = doc.uri.toString();
      if (seen.has(key) || doc.uri.scheme !== 'file') {
        continue;
      }
      seen.add(key);
      const path = vscode.workspace.asRelativePath(doc.uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
      const reason = this.exclusions.forUri(doc.uri) ?? this.exclusions.content(doc.getText());
      if (reason) {
        excluded.push({ path, reason });
        continue;
      }
      const text = `<file path="${path}" language="${doc.languageId}">\n${doc.getText()}\n</file>`;
      const t = estimateTokens(text);
      if (tokens + t > FALLBACK_BUDGET_TOKENS) {
        excluded.push({ path, reason: 'over budget' });
        continue;
      }
      tokens += t;
      blocks.push({ kind: 'file', key: path, text, tokens: t });
    }
    if (blocks.length === 0) {
      return undefined;
    }
    return {
      blocks,
      text: blocks.map((b) => b.text).join('\n\n'),
      tokens,
      report: { purpose: 'chat', budgetTokens: FALLBACK_BUDGET_TOKENS, totalTokens: tokens, included: blocks.map((b) => ({ key: b.key, kind: b.kind, tokens: b.tokens })), excluded },
    };
  }
}
