import { createHash } from 'crypto';
import type { ToolCall } from '../kimi/kimiTypes';

/** What Kimi needs back from one earlier assistant reply that VS Code's messages cannot carry. */
export interface RememberedReply {
  /** `reasoning_content` exactly as streamed (may be '' when the model gave none). */
  reasoning: string;
  /** The tool calls' `arguments` strings exactly as streamed, by call id (VS Code keeps only the parsed input). */
  rawArguments: ReadonlyMap<string, string>;
}

/** The assistant reply as VS Code hands it back: its text and the ids of its tool calls. */
export interface ReplyKey {
  text: string;
  callIds: readonly string[];
}

/** Replies remembered per window; the oldest are forgotten first (an agent session rarely needs more). */
export const DEFAULT_REASONING_CAPACITY = 2_000;

/** What is saved across window reloads: the most recent replies, within a character budget. */
export const SAVED_REPLIES = 500;
export const SAVED_CHARACTERS = 2_000_000;

/** One remembered reply as saved (JSON): its keys, reasoning and raw arguments. */
export interface SavedReply {
  keys: string[];
  reasoning: string;
  rawArguments: [string, string][];
}

/**
 * Keeps each response's `reasoning_content` (and its tool calls' raw arguments), keyed by the
 * response, so a later request can replay it: the stable LanguageModelChatProvider API has no
 * part for reasoning, and VS Code sends the conversation back as text and tool-call parts only.
 *
 * Keys: every tool call id of the reply (Kimi's ids are unique per conversation and VS Code
 * returns them unchanged in `LanguageModelToolCallPart.callId`), and the SHA-256 of the reply's
 * text with surrounding whitespace trimmed (for replies without tool calls; VS Code may trim).
 * Lookups try the call ids first. Memory is bounded (least recently used out first).
 */
export class ReasoningStore {
  private readonly entries = new Map<string, RememberedReply>();

  constructor(private readonly capacity = DEFAULT_REASONING_CAPACITY) {}

  /** Remembers one finished (or cut) reply. A reply with neither text nor tool calls is not kept. */
  remember(reply: { content: string; reasoning: string; toolCalls: readonly ToolCall[] }): void {
    const entry: RememberedReply = {
      reasoning: reply.reasoning,
      rawArguments: new Map(reply.toolCalls.map((c) => [c.id, c.function.arguments])),
    };
    const keys = keysOf({ text: reply.content, callIds: reply.toolCalls.map((c) => c.id) });
    for (const key of keys) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /** The remembered reply VS Code's message stands for, or undefined when this window never produced it. */
  recall(reply: ReplyKey): RememberedReply | undefined {
    for (const key of keysOf(reply)) {
      const entry = this.entries.get(key);
      if (entry) {
        this.entries.delete(key);
        this.entries.set(key, entry);
        return entry;
      }
    }
    return undefined;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The most recent replies, oldest first, within {@link SAVED_REPLIES} and {@link SAVED_CHARACTERS}. */
  save(): SavedReply[] {
    const byEntry = new Map<RememberedReply, string[]>();
    for (const [key, entry] of this.entries) {
      const keys = byEntry.get(entry) ?? [];
      keys.push(key);
      byEntry.delete(entry); // Re-insert: the entry's place is its most recent key's.
      byEntry.set(entry, keys);
    }
    const saved: SavedReply[] = [];
    let characters = 0;
    for (const [entry, keys] of [...byEntry].reverse()) {
      const rawArguments = [...entry.rawArguments];
      characters += entry.reasoning.length + rawArguments.reduce((n, [id, args]) => n + id.length + args.length, 0);
      if (saved.length >= SAVED_REPLIES || characters > SAVED_CHARACTERS) {
        break;
      }
      saved.push({ keys, reasoning: entry.reasoning, rawArguments });
    }
    return saved.reverse();
  }

  /** Adds saved replies (as `save()` returned them); anything malformed is skipped. */
  restore(saved: unknown): void {
    if (!Array.isArray(saved)) {
      return;
    }
    for (const item of saved as Partial<SavedReply>[]) {
      if (!item || !Array.isArray(item.keys) || typeof item.reasoning !== 'string' || !Array.isArray(item.rawArguments)) {
        continue;
      }
      const pairs = item.rawArguments.filter((p): p is [string, string] => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string');
      const entry: RememberedReply = { reasoning: item.reasoning, rawArguments: new Map(pairs) };
      for (const key of item.keys) {
        if (typeof key === 'string' && (key.startsWith('call:') || key.startsWith('text:'))) {
          this.entries.delete(key);
          this.entries.set(key, entry);
        }
      }
    }
    while (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }
}

function keysOf(reply: ReplyKey): string[] {
  const keys = reply.callIds.filter((id) => id !== '').map((id) => `call:${id}`);
  const text = reply.text.trim();
  if (keys.length === 0 && text !== '') {
    keys.push(`text:${createHash('sha256').update(text).digest('hex')}`);
  }
  return keys;
}
