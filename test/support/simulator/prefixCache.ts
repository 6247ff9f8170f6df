/**
 * Model of Kimi's automatic prefix cache, as observed on Moonshot's endpoints: exact-prefix reuse
 * in 256-token chunks, an exact resend is a full hit (chunk-rounded here), entries expire.
 *
 * A prompt is a byte string (see `serializePrompt` in tokenEstimate.ts) whose tokens are its
 * consecutive `bytesPerToken`-byte slices. The cached part of a new prompt is the longest prefix
 * of whole tokens it shares with any remembered prompt, rounded DOWN to `chunkTokens`, capped at
 * the prompt's own token count. Pure: no I/O; time comes from `now`.
 *
 * Two rules from Moonshot's December 2026 docs: a request can hit only if the previous request's
 * prompt was over 256 tokens (so only prompts over `eligibleOverTokens` are remembered), and
 * changing the model or `reasoning_effort` breaks the cached prefix (entries live in a
 * partition, e.g. model + effort, and only match within it); `tool_choice` is not part of either.
 */
export interface PrefixCacheOptions {
  /** Remembered prompts at most (oldest dropped first). Default 256. */
  maxEntries?: number;
  /** Entries older than this (since last use) are forgotten. Default: never. */
  ttlMs?: number;
  /** Cache granularity in tokens. Default 256. */
  chunkTokens?: number;
  /** Only prompts over this many tokens are remembered (can be hit later). Default 256. */
  eligibleOverTokens?: number;
  /** Bytes per token of the serialisation. Default 4. */
  bytesPerToken?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  readonly prompt: Buffer;
  readonly partition: string;
  usedAt: number;
}

export class PrefixCache {
  private readonly entries: Entry[] = [];
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly chunkTokens: number;
  private readonly eligibleOverTokens: number;
  private readonly bytesPerToken: number;
  private readonly now: () => number;

  constructor(options: PrefixCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 256;
    this.ttlMs = options.ttlMs ?? Number.POSITIVE_INFINITY;
    this.chunkTokens = options.chunkTokens ?? 256;
    this.eligibleOverTokens = options.eligibleOverTokens ?? 256;
    this.bytesPerToken = options.bytesPerToken ?? 4;
    this.now = options.now ?? Date.now;
  }

  /** Number of remembered prompts (after dropping expired ones). */
  get size(): number {
    this.expire();
    return this.entries.length;
  }

  /** Tokens of `prompt` that would be served from cache in `partition` (0 when nothing hits). */
  lookup(prompt: Uint8Array, partition = ''): number {
    this.expire();
    const promptTokens = Math.ceil(prompt.length / this.bytesPerToken);
    let best = 0;
    for (const entry of this.entries) {
      if (entry.partition !== partition) {
        continue;
      }
      best = Math.max(best, sharedPrefixLength(prompt, entry.prompt));
    }
    const sharedTokens = best === prompt.length ? promptTokens : Math.floor(best / this.bytesPerToken);
    const chunked = Math.floor(sharedTokens / this.chunkTokens) * this.chunkTokens;
    return Math.min(chunked, promptTokens);
  }

  /**
   * Remember `prompt` in `partition` (an identical one is refreshed rather than duplicated), when
   * it is over `eligibleOverTokens`.
   */
  remember(prompt: Uint8Array, partition = ''): void {
    this.expire();
    if (Math.ceil(prompt.length / this.bytesPerToken) <= this.eligibleOverTokens) {
      return;
    }
    const copy = Buffer.from(prompt);
    const index = this.entries.findIndex((entry) => entry.partition === partition && entry.prompt.equals(copy));
    if (index >= 0) {
      this.entries.splice(index, 1);
    }
    this.entries.push({ prompt: copy, partition, usedAt: this.now() });
    while (this.entries.length > this.maxEntries) {
      this.entries.shift();
    }
  }

  /** `lookup` then `remember`: what serving one request does. */
  lookupAndRemember(prompt: Uint8Array, partition = ''): number {
    const cached = this.lookup(prompt, partition);
    this.remember(prompt, partition);
    return cached;
  }

  clear(): void {
    this.entries.length = 0;
  }

  private expire(): void {
    if (!Number.isFinite(this.ttlMs)) {
      return;
    }
    const cutoff = this.now() - this.ttlMs;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i].usedAt < cutoff) {
        this.entries.splice(i, 1);
      }
    }
  }
}

/** Length in bytes of the common prefix of `a` and `b` (block compare, then bytes). */
export function sharedPrefixLength(a: Uint8Array, b: Uint8Array): number {
  const limit = Math.min(a.length, b.length);
  const block = 1024;
  const bufA = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const bufB = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  let i = 0;
  while (i + block <= limit && bufA.compare(bufB, i, i + block, i, i + block) === 0) {
    i += block;
  }
  while (i < limit && a[i] === b[i]) {
    i++;
  }
  return i;
}
