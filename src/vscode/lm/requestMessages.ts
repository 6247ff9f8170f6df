import * as vscode from 'vscode';
import type { LmMessage, LmPart, LmRole } from '../../core/lm/lmTypes';

/** `LanguageModelChatMessageRole.System` (3) exists at run time but only in the proposed API. */
const SYSTEM_ROLE = 3;

/** VS Code's request messages as plain data for the core's conversion (unknown part kinds are dropped). */
export function toLmMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): LmMessage[] {
  return messages.map((m) => ({ role: roleOf(m.role), parts: m.content.flatMap(partOf) }));
}

/** One message (for `provideTokenCount`). */
export function toLmMessage(message: vscode.LanguageModelChatRequestMessage): LmMessage {
  return toLmMessages([message])[0];
}

function roleOf(role: vscode.LanguageModelChatMessageRole): LmRole {
  return role === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : (role as number) === SYSTEM_ROLE ? 'system' : 'user';
}

function partOf(part: unknown): LmPart[] {
  if (part instanceof vscode.LanguageModelTextPart) {
    return [{ kind: 'text', text: part.value }];
  }
  if (part instanceof vscode.LanguageModelToolCallPart) {
    return [{ kind: 'toolCall', callId: part.callId, name: part.name, input: part.input }];
  }
  if (part instanceof vscode.LanguageModelToolResultPart) {
    return [{ kind: 'toolResult', callId: part.callId, text: part.content.map(resultText).join('') }];
  }
  const data = dataPart(part);
  return data ? [data] : [];
}

/** `LanguageModelDataPart` (images, cache markers) is not in the 1.104 typings: read it by shape. */
function dataPart(part: unknown): LmPart | undefined {
  const p = part as { mimeType?: unknown; data?: unknown } | null;
  return p && typeof p.mimeType === 'string' && p.data instanceof Uint8Array ? { kind: 'data', mimeType: p.mimeType, data: p.data } : undefined;
}

/**
 * A tool result's text: text parts as they are; a prompt-tsx part (some tools' output) is a JSON
 * tree whose text sits in `text` fields, gathered in order.
 */
function resultText(part: unknown): string {
  if (part instanceof vscode.LanguageModelTextPart) {
    return part.value;
  }
  if (part instanceof vscode.LanguageModelPromptTsxPart) {
    return treeText(part.value, 0);
  }
  const value = (part as { value?: unknown } | null)?.value;
  return typeof value === 'string' ? value : '';
}

function treeText(node: unknown, depth: number): string {
  if (depth > 64 || node === null || typeof node !== 'object') {
    return '';
  }
  if (Array.isArray(node)) {
    return node.map((n) => treeText(n, depth + 1)).join('');
  }
  const record = node as Record<string, unknown>;
  return typeof record.text === 'string' ? record.text : Object.values(record).map((v) => treeText(v, depth + 1)).join('');
}
