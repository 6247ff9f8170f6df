import { performance } from 'node:perf_hooks';
import { Transcript } from '../../../src/core/chat/transcript';
import { TranscriptSerializer } from '../../../src/core/chat/transcriptStore';
import type { BenchTable } from '../benchTable';

const MB = 1024 * 1024;

interface PersistFigures {
  writes: number;
  ms: number[];
  bytes: number;
}

/** The soak's chat transcript, persisted both ways after every change that would write it. */
export class StoredChat {
  readonly transcript = Transcript.create();
  private readonly serializer = new TranscriptSerializer();
  private readonly before: PersistFigures = { writes: 0, ms: [], bytes: 0 };
  private readonly now: PersistFigures = { writes: 0, ms: [], bytes: 0 };
  private kept = 0;

  /** `tick`: the old 2 s write-behind while a turn streams (the new store writes nothing then). */
  persist(when: 'start' | 'tick' | 'end', settled?: Parameters<TranscriptSerializer['forget']>[0]): void {
    let t0 = performance.now();
    const copy = JSON.parse(JSON.stringify({ transcript: this.transcript.toJSON(), attachments: [], thinking: true, draft: '' })) as { transcript: unknown };
    this.before.ms.push(performance.now() - t0);
    this.before.writes++;
    this.before.bytes = JSON.stringify(copy).length;
    if (when === 'tick') {
      return;
    }
    if (settled) {
      this.serializer.forget(settled);
    }
    t0 = performance.now();
    const serialized = this.serializer.serialize(this.transcript);
    const value = { transcript: serialized.json, attachments: [], thinking: true, draft: '' };
    this.now.ms.push(performance.now() - t0);
    this.now.writes++;
    this.now.bytes = JSON.stringify(value).length;
    this.kept = serialized.keptTurns;
  }

  table(): BenchTable {
    const stat = (f: PersistFigures): { median: string; p95: string; max: string; total: string } => {
      const sorted = [...f.ms].sort((a, b) => a - b);
      const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      return { median: at(0.5).toFixed(2), p95: at(0.95).toFixed(2), max: (sorted.at(-1) ?? 0).toFixed(2), total: sorted.reduce((a, b) => a + b, 0).toFixed(0) };
    };
    const b = stat(this.before);
    const n = stat(this.now);
    const turns = this.transcript.turns.length;
    return {
      title: `Chat transcript storage after ${turns} soak chat turns: before issue 15 (whole, deep copy every 2 s while streaming) and now (bounded, incremental)`,
      columns: ['measure', 'before', 'now'],
      rows: [
        ['stored bytes (JSON of the stored value) after the last turn', `${(this.before.bytes / MB).toFixed(2)} MB`, `${(this.now.bytes / MB).toFixed(2)} MB`],
        ['writes (turn start, 2 s ticks while streaming, turn end)', this.before.writes, this.now.writes],
        ['ms per write on the extension host thread: median / p95 / max', `${b.median} / ${b.p95} / ${b.max}`, `${n.median} / ${n.p95} / ${n.max}`],
        ['ms spent writing in all', b.total, n.total],
      ],
      notes: [
        'Each turn holds the soak chat\'s real answer (and reasoning on even turns) from the simulator, plus two read_file results of real source files (up to the tool\'s 60,000 characters each) as a turn that reads files carries; the workspace context (the chat pack of the soak workspace) is stored once with the conversation.',
        `"now" keeps the last ${this.kept} of ${turns} turns (limit: 40 turns / 2 MB of turn JSON); "before" kept all. Timed: building the stored value (before: JSON round trip; now: serialisation with settled turns\' JSON reused); VS Code's own write of the value is not included in either.`,
      ],
    };
  }
}
