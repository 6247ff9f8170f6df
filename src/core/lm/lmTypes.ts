/**
 * VS Code's language model chat messages as plain data (no `vscode` import): the adapter in
 * `src/vscode/lm/` copies `LanguageModelChatRequestMessage`s into these, and turns
 * {@link LmResponsePart}s back into `LanguageModelTextPart` / `LanguageModelToolCallPart`.
 */

export type LmRole = 'user' | 'assistant' | 'system';

export type LmPart =
  | { kind: 'text'; text: string }
  | { kind: 'toolCall'; callId: string; name: string; input: unknown }
  /** A tool result's text parts, joined (other part kinds are not text a model can read). */
  | { kind: 'toolResult'; callId: string; text: string }
  /** A data part (`LanguageModelDataPart`): images become Kimi image parts, other data is dropped. */
  | { kind: 'data'; mimeType: string; data: Uint8Array };

export interface LmMessage {
  role: LmRole;
  parts: LmPart[];
}

/** What the provider streams back: the stable response parts, as plain data. */
export type LmResponsePart = { kind: 'text'; text: string } | { kind: 'toolCall'; callId: string; name: string; input: object };

/** A tool offered with the request (`LanguageModelChatTool`). */
export interface LmTool {
  name: string;
  description: string;
  inputSchema?: object;
}
