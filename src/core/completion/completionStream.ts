/**
 * One completion request end to end: stream Kimi's continuation through the stream cutter,
 * stop reading (which aborts the HTTP request) as soon as the cutter says the completion is
 * complete, then clean it up. Pure: the client is anything with `stream()`.
 */
import type { Prices } from '../config/settings';
import type { PackedContext } from '../context/contextTypes';
import { estimateMessagesTokens } from '../context/tokenEstimate';
import { KimiError } from '../kimi/kimiErrors';
import type { ChatRequest, StreamEvent, Usage } from '../kimi/kimiTypes';
import { cleanCompletion } from './completionCleanup';
import { CompletionPromptCache, type CompletionPrompt, type CompletionTarget } from './completionPrompt';
import { reasonsWhenAskedNotTo, resolveModelProfile } from '../kimi/modelProfiles';
import { BASELINE_COMPLETION_MODEL, completionStats, type CompletionStats } from './completionStats';
import type { CleanCompletion, CursorSnapshot } from './completionTypes';
import type { CompletionFetcher } from './requestTypes';
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
  prices: Prices | undefined;
  /** K2.6's prices when the model reasons first (the tooltip compares). */
  baselinePrices?: Prices;
  now: () => number;
  /** Told the text so far after each chunk (for in-flight reuse). */
  onText?: (textSoFar: string) => void;
  /**
   * Multi-line: told each time another complete line makes a usable completion, while the
   * block is still streaming (so the first lines can be shown before the last one arrives).
   */
  onPartial?: (partial: StreamedCompletion) => void;
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
  let shownLines = '';
  let promptEstimate: number | undefined;
  const promptTokens = (): number => (promptEstimate ??= estimateMessagesTokens(prompt.request.messages));
  let cutByLimit = false;
  const result = (raw: string, cutReason: CutReason | undefined): StreamedCompletion => {
    const endedAt = options.now();
    return {
      completion: cleanCompletion(raw, snapshot, prompt.mode, { cutByLimit: cutByLimit && cutReason === undefined }),
      raw,
      cutReason,
      usage,
      stats: completionStats({
        latencyMs: endedAt - startedAt,
        firstTokenMs: firstTokenAt !== undefined ? firstTokenAt - startedAt : undefined,
        usage,
        promptTokens,
        outputText: raw,
        prices: options.prices,
        baselinePrices: options.baselinePrices,
      }),
      firstTokenAt,
      endedAt,
    };
  };
  for await (const event of source.stream(prompt.request, signal)) {
    if (event.kind === 'content') {
      firstTokenAt ??= options.now();
      if (cutter.push(event.text)) {
        break; // Leaving the loop aborts the request and closes the connection.
      }
      options.onText?.(cutter.text);
      const lines = options.onPartial ? cutter.completeLines : undefined;
      if (lines !== undefined && lines !== shownLines) {
        shownLines = lines;
        const partial = result(lines, undefined);
        if (partial.completion) {
          options.onPartial?.(partial);
        }
      }
    } else if (event.kind === 'usage') {
      usage = event.usage;
    } else if (event.kind === 'finish') {
      // The output limit cut the answer: its last line is unfinished, however it looks.
      cutByLimit = event.reason === 'length';
    }
  }
  const raw = cutter.stopped ? cutter.text : cutter.finish();
  return result(raw, cutter.stopped ? cutter.reason : undefined);
}

export interface CompletionFetcherDeps {
  /** The client for this request; undefined when no key is set. Rejects with a `KimiError` for any other reason (e.g. `endpointNotApproved`), which is passed on as it is. */
  client(): Promise<CompletionStreamSource | undefined> | CompletionStreamSource | undefined;
  /** The packed workspace context (other files) for this cursor, or '' for none. */
  context(snapshot: CursorSnapshot): PackedContext | string;
  /** The model (with its profile and the endpoint's dialect, or an id resolved from the table alone). */
  model(): string | CompletionTarget;
  /** Its prices (`pricesFor`); undefined when nothing prices it. */
  prices(): Prices | undefined;
  now(): number;
  /** Told about every finished request (logging, status bar). */
  onStreamed?(result: StreamedCompletion, snapshot: CursorSnapshot): void;
}

/**
 * The request function the request manager runs: prompt, stream, cut, clean. A context that is
 * too long for the model is dropped and the request sent once more without it.
 */
export function createCompletionFetcher(deps: CompletionFetcherDeps): CompletionFetcher {
  const prompts = new CompletionPromptCache();
  return async (snapshot, signal, onText) => {
    const client = await deps.client();
    if (!client) {
      throw new KimiError('noApiKey', 'Completion needs a Kimi API key (Moonpilot: Set API Key).');
    }
    let context = deps.context(snapshot);
    for (let attempt = 0; ; attempt++) {
      const model = deps.model();
      const prompt = prompts.build(snapshot, context, model);
      try {
        let latest = '';
        const reasons = typeof model !== 'string' && reasonsWhenAskedNotTo(model.profile, model.dialect);
        const result = await streamCompletion(client, prompt, snapshot, signal, {
          prices: deps.prices(),
          baselinePrices: reasons ? resolveModelProfile(BASELINE_COMPLETION_MODEL).prices : undefined,
          now: deps.now,
          onText: (text) => {
            latest = text;
            onText(text);
          },
          onPartial: (partial) => onText(latest, { completion: partial.completion, stats: partial.stats, tag: partial }),
        });
        deps.onStreamed?.(result, snapshot);
        return { completion: result.completion, stats: result.stats, tag: result };
      } catch (err) {
        if (attempt === 0 && context !== '' && KimiError.is(err, 'contextTooLong')) {
          context = '';
          continue;
        }
        throw err;
      }
    }
  };
}
