import { performance } from 'node:perf_hooks';
import { cleanCompletion } from '../../../src/core/completion/completionCleanup';
import { buildCompletionPrompt } from '../../../src/core/completion/completionPrompt';
import type { CursorSnapshot } from '../../../src/core/completion/completionTypes';
import { StreamCutter } from '../../../src/core/completion/streamCutter';
import type { PackedContext } from '../../../src/core/context/contextTypes';
import type { KimiClient } from '../../../src/core/kimi/kimiClient';
import { counting, requestIds, simTokens } from './benchRequests';
import type { ClientResult } from './completionMetrics';

/** One keystroke of the naive client, and where its figures go. */
export interface NaiveKeystroke {
  client: KimiClient;
  model: string;
  snapshot: CursorSnapshot;
  /** The document's text at this keystroke. */
  text: string;
  context: (snapshot: CursorSnapshot, activeText: string) => PackedContext;
  /** The benchmark id of this request. */
  id: number;
  /** False once a newer keystroke has come. */
  isCurrent: () => boolean;
  /** Time runs this many times faster than human time. */
  speed: number;
  naive: ClientResult;
}

/**
 * The naive client at one keystroke: a request with the same prompt and context, no delay, no
 * reuse, no cache, never aborted (read to the end), shown only if no newer keystroke came first;
 * what a stream cutter would have dropped counts as generated after going stale.
 */
export function naiveKeystroke(k: NaiveKeystroke): Promise<void> {
  const { snapshot, naive, id } = k;
  return requestIds.run(id, async () => {
    const prompt = buildCompletionPrompt(snapshot, k.context(snapshot, k.text), k.model);
    let raw = '';
    let first: number | undefined;
    for await (const event of counting(k.client).stream(prompt.request)) {
      if (event.kind === 'content') {
        first ??= performance.now();
        raw += event.text;
        if (!k.isCurrent()) {
          naive.afterStale += simTokens(event.text); // generated for a keystroke already superseded
        }
      }
    }
    if (!k.isCurrent()) {
      return;
    }
    const cutter = new StreamCutter(snapshot, prompt.mode);
    cutter.push(raw);
    const kept = cutter.stopped ? cutter.text : cutter.finish();
    naive.afterStale += simTokens(raw) - simTokens(kept); // past the point a cutter would have stopped
    if (cleanCompletion(kept, snapshot, prompt.mode)) {
      naive.shown++;
      naive.used.add(id);
      naive.kept.set(id, simTokens(kept));
      if (first !== undefined) {
        naive.firstTokenToItem.push((performance.now() - first) * k.speed);
      }
    }
  });
}
