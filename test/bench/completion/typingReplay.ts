import { performance } from 'node:perf_hooks';
import type { CompletionEditor } from '../../../src/core/completion/completionService';
import type { StreamedCompletion } from '../../../src/core/completion/completionStream';
import type { CursorSnapshot } from '../../../src/core/completion/completionTypes';
import type { Suggestion } from '../../../src/core/completion/requestTypes';
import type { TrackedDocument } from '../../../src/core/context/contextTypes';
import { KimiClient } from '../../../src/core/kimi/kimiClient';
import type { Clock } from '../../../src/core/platform/clock';
import { documentAt, type TypingPlan } from '../completionTyping';
import { benchFetch, simTokens, takeRequestId, writtenAt } from './benchRequests';
import { contextSource, snapshotFor } from './benchWorkspace';
import { emptyResult, type ClientResult } from './completionMetrics';
import { naiveKeystroke } from './naiveBaseline';
import { smartClient } from './smartClient';

/** What both clients saw, and the benchmark ids of the requests each sent. */
export interface ReplayResult {
  smart: ClientResult;
  naive: ClientResult;
  ids: { smart: Set<number>; naive: Set<number> };
}

function scaledClock(speed: number): Clock {
  const t0 = performance.now();
  return {
    now: () => (performance.now() - t0) * speed,
    setTimeout: (fn, ms) => setTimeout(fn, ms / speed),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}

/**
 * Replays the typing plan in (scaled) real time: at each keystroke Moonpilot's completion service
 * is asked as VS Code asks its provider (the previous call cancelled), and the naive client sends
 * its own request; `model` is the completion model, time runs `speed` times faster for everyone.
 */
export async function replay(plan: TypingPlan, urls: Record<string, string>, apiKey: string, others: TrackedDocument[], model: string, speed: number): Promise<ReplayResult> {
  const clock = scaledClock(speed);
  let current = { text: '', file: plan.files[0], offset: 0 };
  const smartContext = contextSource(plan.files, others, 16_384);
  const naiveContext = contextSource(plan.files, others, 16_384);
  // The editor as the service's "ask again" sees it: VS Code calls the provider again a moment
  // later (a command), at the cursor as it is then; a keystroke in between has asked already.
  const cursorNow = (): CursorSnapshot => snapshotFor(current.file, current.text, current.offset);
  const editor: CompletionEditor = {
    cursor: cursorNow,
    askAgain: (asked) =>
      void setTimeout(() => {
        const snapshot = cursorNow();
        if (snapshot.docKey === asked.docKey && snapshot.prefix === asked.prefix && snapshot.suffix === asked.suffix) {
          ask(latestKey, snapshot);
        }
      }, 0),
  };
  const manager = smartClient(model, urls.smart, apiKey, smartContext, clock, () => current.text, editor);
  const naiveClient = new KimiClient({ baseUrl: urls.naive, apiKey, dialect: 'moonshot', retry: false, fetch: benchFetch });
  const smart: ClientResult = { ...emptyResult(), afterStaleFromBilling: true };
  const naive = emptyResult();
  const ids = { smart: new Set<number>(), naive: new Set<number>() };
  const pending: Promise<unknown>[] = [];
  let controller: AbortController | undefined;
  let latestKey = 0;
  const started = performance.now();
  const shownKeys = new Set<number>();
  /** A provider call for keystroke `k` (VS Code cancels the previous call and calls again). */
  const ask = (k: number, snapshot: CursorSnapshot): void => {
    controller?.abort();
    const c = new AbortController();
    controller = c;
    const t0 = performance.now();
    pending.push(
      manager.complete(snapshot, c.signal).then((s: Suggestion | undefined) => {
        if (!s || c.signal.aborted) {
          return;
        }
        shownKeys.add(k);
        const tag = s.tag as { id: number; streamed: StreamedCompletion };
        smart.used.add(tag.id);
        smart.kept.set(tag.id, Math.max(smart.kept.get(tag.id) ?? 0, simTokens(tag.streamed.raw)));
        if (s.source === 'cache') {
          smart.fromCache++;
          smart.cacheLatency.push(performance.now() - t0);
        } else {
          if (s.source === 'inflight') {
            smart.reused++;
          }
          if (tag.streamed.firstTokenAt !== undefined) {
            smart.firstTokenToItem.push((performance.now() - tag.streamed.firstTokenAt) * speed);
          }
        }
      }),
    );
  };

  for (let k = 0; k < plan.keystrokes.length; k++) {
    const key = plan.keystrokes[k];
    const wait = started + key.at / speed - performance.now();
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const file = plan.files[plan.segments[key.segment].file];
    const doc = documentAt(plan, key.segment, key.typed);
    current = { text: doc.text, file, offset: doc.offset };
    latestKey = k;
    smart.keystrokes++;
    ask(k, snapshotFor(file, doc.text, doc.offset));

    // Naive: a request per keystroke, read to the end, shown only if still current.
    naive.keystrokes++;
    const snapshot = snapshotFor(file, doc.text, doc.offset);
    const id = takeRequestId();
    ids.naive.add(id);
    pending.push(naiveKeystroke({ client: naiveClient, model, snapshot, text: doc.text, context: naiveContext, id, isCurrent: () => latestKey === k, speed, naive }).catch(() => undefined));
  }
  controller?.abort();
  await Promise.all(pending);
  await new Promise((resolve) => setTimeout(resolve, 10));
  await Promise.all(pending);
  smart.shown = shownKeys.size;
  for (const id of writtenAt.keys()) {
    if (!ids.naive.has(id)) {
      ids.smart.add(id);
    }
  }
  return { smart, naive, ids };
}
