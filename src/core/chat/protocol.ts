/**
 * The chat view's host↔webview protocol: discriminated unions that both sides import, and the
 * validator the host runs on every message from the webview. The webview renders untrusted model
 * output, so nothing it sends is trusted: each message is checked for shape and size before use.
 */

import { REASONING_EFFORTS, type ReasoningEffort } from '../kimi/kimiTypes';

export type TurnStatus = 'streaming' | 'done' | 'stopped' | 'error';

/** Prompt, cached and output tokens, and what they cost at the configured prices (US$). */
export interface TokenCounts {
  prompt: number;
  cached: number;
  output: number;
  cost: number;
  /** Part of it estimated: a request stopped or cut before Kimi reported its usage. */
  estimated?: boolean;
}

export interface AttachmentView {
  id: string;
  kind: 'selection' | 'file';
  /** Workspace-relative path (or file name outside a folder). */
  path: string;
  languageId: string;
  /** 1-based inclusive lines, for selections. */
  startLine?: number;
  endLine?: number;
  tokens: number;
}

export interface ToolCallView {
  id: string;
  name: string;
  /** One line for the transcript, e.g. `read_file src/app.ts`. */
  label: string;
  status: 'running' | 'ok' | 'refused' | 'error';
  /** Short outcome, e.g. `42 lines` or `refused: secret file`. */
  detail?: string;
}

export type ErrorAction = 'setApiKey' | 'retry';

export interface TurnErrorView {
  kind: string;
  message: string;
  actions: ErrorAction[];
  /** Epoch ms before which Retry waits (rate limits). */
  retryAt?: number;
}

export interface TurnView {
  id: string;
  userText: string;
  attachments: AttachmentView[];
  /** Whether this turn ran in thinking mode. */
  thinking: boolean;
  reasoning: string;
  /** How long the model thought, once known. */
  reasoningMs?: number;
  answer: string;
  tools: ToolCallView[];
  status: TurnStatus;
  error?: TurnErrorView;
  usage?: TokenCounts;
  /** A remark shown under the turn (e.g. older turns left out to fit the window). */
  notice?: string;
  startedAt: number;
}

export interface SessionView {
  totals: TokenCounts;
  /** Estimated size of the conversation as the next request would send it. */
  conversationTokens: number;
  contextWindow: number;
  /** The model the conversation uses (pinned at its first message), and its short name. */
  model: string;
  modelLabel: string;
  /** How its reasoning is chosen: the Thinking/Instant switch, an effort level (with a picker), or neither. */
  reasoning: ReasoningChoice;
  /** `moonpilot.chat.model` when it differs from the conversation's model (the header offers the switch). */
  configuredModel?: string;
  /** False when nothing prices the model (an unknown model without a `moonpilot.prices` entry): costs show $0. */
  priced: boolean;
  /** Files in the workspace context captured at the conversation's start. */
  contextFiles: number;
  busy: boolean;
}

export type ReasoningChoice =
  | { kind: 'switchable' }
  | { kind: 'effort'; effort: ReasoningEffort; levels: ReasoningEffort[] }
  | { kind: 'always' }
  | { kind: 'none' };

export interface ChatViewState {
  turns: TurnView[];
  session: SessionView;
  attachments: AttachmentView[];
  thinking: boolean;
  draft: string;
}

/** Host → webview. */
export type HostToWebview =
  | { type: 'init'; state: ChatViewState }
  | { type: 'turn'; turn: TurnView }
  | { type: 'delta'; turnId: string; part: 'reasoning' | 'answer'; text: string }
  | { type: 'session'; session: SessionView }
  | { type: 'attachments'; attachments: AttachmentView[] }
  | { type: 'thinkingMode'; thinking: boolean }
  | { type: 'restoreInput'; text: string }
  | { type: 'focusInput' };

export type CodeAction = 'copy' | 'insert' | 'openInEditor';

/** Webview → host. */
export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'rendered'; turnIds: string[] }
  | { type: 'send'; text: string; thinking: boolean }
  | { type: 'stop' }
  | { type: 'retry'; turnId: string }
  | { type: 'newChat' }
  | { type: 'setThinking'; thinking: boolean }
  | { type: 'setEffort'; effort: ReasoningEffort }
  | { type: 'switchModel' }
  | { type: 'removeAttachment'; id: string }
  | { type: 'draft'; text: string }
  | { type: 'codeAction'; action: CodeAction; code: string; language: string }
  | { type: 'openLink'; href: string }
  | { type: 'setApiKey' };

/** Longest text the webview may send (a chat message, a draft, a code block). */
export const MAX_TEXT_CHARS = 200_000;
const MAX_ID_CHARS = 100;
const MAX_HREF_CHARS = 2_048;
const MAX_TURN_IDS = 1_000;

const CODE_ACTIONS: readonly CodeAction[] = ['copy', 'insert', 'openInEditor'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isText(value: unknown, max = MAX_TEXT_CHARS): value is string {
  return typeof value === 'string' && value.length <= max;
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_CHARS && /^[\w.:-]+$/.test(value);
}

/** Checks that a record has exactly the expected keys (no smuggled extras). */
function hasOnlyKeys(raw: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(raw).every((key) => key === 'type' || keys.includes(key));
}

/**
 * Validates a message from the webview. Returns a fresh, typed copy, or `undefined` for anything
 * malformed: unknown type, missing or mistyped fields, extra fields, oversized text.
 */
export function parseWebviewMessage(raw: unknown): WebviewToHost | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') {
    return undefined;
  }
  switch (raw.type) {
    case 'ready':
    case 'stop':
    case 'newChat':
    case 'switchModel':
    case 'setApiKey':
      return hasOnlyKeys(raw, []) ? { type: raw.type } : undefined;
    case 'rendered':
      return hasOnlyKeys(raw, ['turnIds']) && Array.isArray(raw.turnIds) && raw.turnIds.length <= MAX_TURN_IDS && raw.turnIds.every(isId)
        ? { type: 'rendered', turnIds: [...(raw.turnIds as string[])] }
        : undefined;
    case 'send':
      return hasOnlyKeys(raw, ['text', 'thinking']) && isText(raw.text) && raw.text.trim().length > 0 && typeof raw.thinking === 'boolean'
        ? { type: 'send', text: raw.text, thinking: raw.thinking }
        : undefined;
    case 'retry':
      return hasOnlyKeys(raw, ['turnId']) && isId(raw.turnId) ? { type: 'retry', turnId: raw.turnId } : undefined;
    case 'setThinking':
      return hasOnlyKeys(raw, ['thinking']) && typeof raw.thinking === 'boolean' ? { type: 'setThinking', thinking: raw.thinking } : undefined;
    case 'setEffort':
      return hasOnlyKeys(raw, ['effort']) && (REASONING_EFFORTS as readonly unknown[]).includes(raw.effort) ? { type: 'setEffort', effort: raw.effort as ReasoningEffort } : undefined;
    case 'removeAttachment':
      return hasOnlyKeys(raw, ['id']) && isId(raw.id) ? { type: 'removeAttachment', id: raw.id } : undefined;
    case 'draft':
      return hasOnlyKeys(raw, ['text']) && isText(raw.text) ? { type: 'draft', text: raw.text } : undefined;
    case 'codeAction':
      return hasOnlyKeys(raw, ['action', 'code', 'language']) &&
        CODE_ACTIONS.includes(raw.action as CodeAction) &&
        isText(raw.code) &&
        isText(raw.language, 64) &&
        /^[\w+#.-]*$/.test(raw.language)
        ? { type: 'codeAction', action: raw.action as CodeAction, code: raw.code, language: raw.language }
        : undefined;
    case 'openLink':
      return hasOnlyKeys(raw, ['href']) && isText(raw.href, MAX_HREF_CHARS) && isWebLink(raw.href) ? { type: 'openLink', href: raw.href } : undefined;
    default:
      return undefined;
  }
}

/** Only absolute http(s) links may leave the webview (opened by VS Code's opener). */
export function isWebLink(href: string): boolean {
  try {
    const url = new URL(href);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0 && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
