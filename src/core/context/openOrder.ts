/**
 * The append-only order of open files that keeps the packed prompt's prefix stable, and its rare,
 * deliberate compaction.
 *
 * - A file gets the next sequence number when it is first opened; it keeps it while open, so
 *   opening a file appends it after the others and closing or editing one never reorders the
 *   files before it. A file reopened after being closed is new again (appended): the prefix
 *   sent most recently is the one most likely still in Kimi's cache, so it is kept intact.
 * - Compaction renumbers the open files densely (forgetting closed ones) and, when the other
 *   files no longer fit the budget, parks the least recently used ones until the rest fit
 *   (a parked file is left out of the context, with that reason; activating it brings it back,
 *   appended at the end). Without parking, a long session would keep the oldest files and drop
 *   the newest, which are the ones being used.
 * - When: only when it is needed (16 files closed since the last compaction, or files were
 *   dropped for budget) AND no request has been packed for 5 minutes (Kimi keeps cached prefixes
 *   5–30 minutes, so the prefix being rewritten is most likely cold already). It is never
 *   triggered by a keystroke.
 */

export const COMPACT_AFTER_CLOSED = 16;
export const COMPACT_WHEN_IDLE_MS = 5 * 60_000;

export interface CompactionCandidate {
  uri: string;
  /** Estimated tokens of its block. */
  tokens: number;
}

export class OpenOrder {
  private nextSeq = 0;
  private tick = 0;
  private readonly seqs = new Map<string, number>();
  private readonly lastUsed = new Map<string, number>();
  private readonly parked = new Set<string>();
  private closed = 0;

  /** Records `uri` as open; a new one is appended. Returns its sequence number. */
  open(uri: string): number {
    let seq = this.seqs.get(uri);
    if (seq === undefined) {
      seq = this.nextSeq++;
      this.seqs.set(uri, seq);
      this.lastUsed.set(uri, ++this.tick);
    }
    return seq;
  }

  /** Forgets a closed file; reopening it appends it again. */
  close(uri: string): void {
    if (this.seqs.delete(uri)) {
      this.closed++;
    }
    this.lastUsed.delete(uri);
    this.parked.delete(uri);
  }

  /** The user activated or edited `uri`: it counts as recently used; a parked file comes back at the end. */
  use(uri: string): void {
    if (!this.seqs.has(uri)) {
      this.open(uri);
    }
    this.lastUsed.set(uri, ++this.tick);
    if (this.parked.delete(uri)) {
      this.seqs.set(uri, this.nextSeq++);
    }
  }

  seqOf(uri: string): number | undefined {
    return this.seqs.get(uri);
  }

  isParked(uri: string): boolean {
    return this.parked.has(uri);
  }

  get size(): number {
    return this.seqs.size;
  }

  get closedSinceCompaction(): number {
    return this.closed;
  }

  /** Whether to compact now (see the file comment). */
  shouldCompact(state: { idleMs: number; droppedForBudget: boolean }): boolean {
    return (this.closed >= COMPACT_AFTER_CLOSED || state.droppedForBudget) && state.idleMs >= COMPACT_WHEN_IDLE_MS;
  }

  /**
   * Renumbers the open files 0..n−1 in their current order and, when `candidates` (the open
   * files other than the active one, with their tokens) exceed `budgetTokens`, parks the least
   * recently used ones until the rest fit. Returns the parked URIs.
   */
  compact(candidates: readonly CompactionCandidate[], budgetTokens: number): string[] {
    const byRecency = [...candidates].filter((c) => this.seqs.has(c.uri)).sort((a, b) => (this.lastUsed.get(b.uri) ?? 0) - (this.lastUsed.get(a.uri) ?? 0) || (this.seqs.get(a.uri) ?? 0) - (this.seqs.get(b.uri) ?? 0));
    let used = 0;
    const park: string[] = [];
    for (const c of byRecency) {
      if (used + c.tokens <= budgetTokens) {
        used += c.tokens;
      } else {
        park.push(c.uri);
      }
    }
    const order = [...this.seqs.entries()].sort((a, b) => a[1] - b[1]).map(([uri]) => uri);
    this.parked.clear();
    for (const uri of park) {
      this.parked.add(uri);
    }
    // Kept files first (their relative order unchanged), parked ones after them.
    const renumbered = [...order.filter((u) => !this.parked.has(u)), ...order.filter((u) => this.parked.has(u))];
    this.seqs.clear();
    renumbered.forEach((uri, i) => this.seqs.set(uri, i));
    this.nextSeq = renumbered.length;
    this.closed = 0;
    return park;
  }
}
