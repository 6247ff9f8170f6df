/**
 * The stored copy of a chat transcript: bounded, and cheap to write again.
 *
 * Only the newest turns are kept, at most `maxTurns` and `maxBytes` of JSON between them (the
 * newest turn always); the count of older turns left out is stored with them, so the restored chat
 * says so (`Transcript.views`) and later requests are built from exactly what was kept.
 *
 * The stored value is one JSON string. A settled turn (anything but `streaming`) is serialised
 * once and its text reused by every later write, so a write costs the turns that changed, not the
 * whole conversation; there is no deep copy (a string cannot change after it is handed over).
 */
import type { Transcript } from './transcript';
import type { ChatTurn, ConversationData, WorkspaceContextSnapshot } from './transcriptTypes';

export interface StoreLimits {
  maxTurns: number;
  /** Bytes of JSON (UTF-16 code units, as the string's length) for the kept turns together. */
  maxBytes: number;
}

/** What a workspace keeps of a chat: the last 40 turns within 2 MB. */
export const STORED_TRANSCRIPT_LIMITS: StoreLimits = { maxTurns: 40, maxBytes: 2 * 1024 * 1024 };

export interface SerializedTranscript {
  json: string;
  keptTurns: number;
  /** Older turns left out, this write and earlier ones together. */
  droppedTurns: number;
}

/** Serialises transcripts for storage, remembering the JSON of turns that can no longer change. */
export class TranscriptSerializer {
  private readonly turnJson = new WeakMap<ChatTurn, string>();
  private readonly contextJson = new WeakMap<WorkspaceContextSnapshot, string>();

  constructor(private readonly limits: StoreLimits = STORED_TRANSCRIPT_LIMITS) {}

  /** Forgets a turn's remembered JSON: call it when a settled turn is changed (Retry, a late edit). */
  forget(turn: ChatTurn): void {
    this.turnJson.delete(turn);
  }

  serialize(transcript: Transcript): SerializedTranscript {
    const data = transcript.toJSON();
    const kept: string[] = [];
    let bytes = 0;
    for (let i = data.turns.length - 1; i >= 0 && kept.length < this.limits.maxTurns; i--) {
      const json = this.jsonOf(data.turns[i]);
      if (kept.length > 0 && bytes + json.length > this.limits.maxBytes) {
        break;
      }
      kept.push(json);
      bytes += json.length;
    }
    kept.reverse();
    const droppedTurns = (data.droppedTurns ?? 0) + data.turns.length - kept.length;
    const head: Omit<ConversationData, 'turns' | 'workspaceContext'> = { version: data.version, id: data.id, createdAt: data.createdAt };
    if (droppedTurns > 0) {
      head.droppedTurns = droppedTurns;
    }
    const context = data.workspaceContext ? `,"workspaceContext":${this.contextJsonOf(data.workspaceContext)}` : '';
    const json = `${JSON.stringify(head).slice(0, -1)}${context},"turns":[${kept.join(',')}]}`;
    return { json, keptTurns: kept.length, droppedTurns };
  }

  private jsonOf(turn: ChatTurn): string {
    const cached = this.turnJson.get(turn);
    if (cached !== undefined) {
      return cached;
    }
    const json = JSON.stringify(turn);
    if (turn.status !== 'streaming') {
      this.turnJson.set(turn, json);
    }
    return json;
  }

  private contextJsonOf(snapshot: WorkspaceContextSnapshot): string {
    let json = this.contextJson.get(snapshot);
    if (json === undefined) {
      json = JSON.stringify(snapshot);
      this.contextJson.set(snapshot, json);
    }
    return json;
  }
}

/** Reads what `serialize` wrote (or, from older versions, the transcript object itself). */
export function parseStoredTranscript(stored: unknown): unknown {
  if (typeof stored !== 'string') {
    return stored;
  }
  try {
    return JSON.parse(stored) as unknown;
  } catch {
    return undefined;
  }
}
