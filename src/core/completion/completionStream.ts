/**
 * One completion request end to end: stream Kimi's continuation through the stream cutter,
 * stop reading (which aborts the HTTP request) as soon as the cutter says the completion is
 * complete, then clean it up. Pure: the client is anything with `stream()`.
 */
import type { Prices } from '../config/settings';
import type { ChatRequest, StreamEvent, Usage } from '../kimi/kimiTypes';
import { cleanCompletion, type CleanCompletion } from './completionCleanup';
import type { CompletionPrompt } from './completionPrompt';
import { completionStats, type CompletionStats } from './completionStats';
import type { CursorSnapshot } from './completionTypes';
import { StreamCutter, type CutReason } from './streamCutter';

export interface CompletionStreamSource {
  stream(req: ChatRequest, signal?: AbortSignal): AsyncIterable<StreamEvent>;
}

export interface StreamedCompletion {
  completion: CleanCompletion | undefined;
  /** What the model wrote up to the cut. */
  raw: string;
  /** Set when the stream was cut before the server finished (the connection was closed). */
  cutReason: CutReason | undefined;
  usage: Usage | undefined;
  stats: CompletionStats;
  /** Clock time of the first character and of the end (for the benchmark). */
  firstTokenAt: number | undefined;
  endedAt: number;
}

export interface StreamOptions {
  prices: Prices;
  now: () => number;
  /** Told the text so far after each chunk (for in-flight reuse). */
  onText?: (textSoFar: string) => void;
}

export async function streamCompletion(
  source: CompletionStreamSource,
  prompt: CompletionPrompt,
  snapshot: CursorSnapshot,
  signal: AbortSignal,
  options: StreamOptions,
): Promise<StreamedCompletion> {
  const startedAt = options.now();
  const cutter = new StreamCutter(snapshot, prompt.mode);
  let usage: Usage | undefined;
  let firstTokenAt: number | undefined;
  for await (const event of source.stream(prompt.request, signal)) {
    if (event.kind === 'content') {
      firstTokenAt ??= options.now();
      if (cutter.push(event.text)) {
        break; // Leaving the loop aborts the request and closes the connection.
      }
      options.onText?.(cutter.text);
    } else if (event.kind === 'usage') {
      usage = event.usage;
    }
  }
  const raw = cutter.stopped ? cutter.text : cutter.finish();
  const endedAt = options.now();
  const promptChars = prompt.request.messages.reduce((sum, m) => sum + (typeof m.content === 'string' ? m.content.length : 0), 0);
  return {
    completion: cleanCompletion(raw, snapshot, prompt.mode),
    raw,
    cutReason: cutter.stopped ? cutter.reason : undefined,
    usage,
    stats: completionStats({
      latencyMs: endedAt - startedAt,
      firstTokenMs: firstTokenAt !== undefined ? firstTokenAt - startedAt : undefined,
      usage,
      promptChars,
      outputChars: raw.length,
      prices: options.prices,
    }),
    firstTokenAt,
    endedAt,
  };
}
