import { performance } from 'node:perf_hooks';
import { buildCompletionPrompt } from '../../../src/core/completion/completionPrompt';
import { KimiClient } from '../../../src/core/kimi/kimiClient';
import { promptTokens } from '../../support/simulator/tokenEstimate';
import type { SourceFile } from '../completionTyping';
import { benchFetch, onWritten, requestIds, simTokens, takeRequestId, upcomingRequestId, writtenAt } from './benchRequests';
import { contextSource, otherDocuments, snapshotFor } from './benchWorkspace';
import { smartClient } from './smartClient';

const OVERHEAD_SAMPLES = 170;
const WINDOW_TOKENS = 262_144;

/** CPU time of this thread (ms); the simulator's worker thread is not counted. */
const threadCpuMs = (): number => {
  const usage = (process as unknown as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage?.();
  return usage ? (usage.user + usage.system) / 1000 : NaN;
};


/** Per-sample overhead (ms) of Moonpilot and of the naive client, and the context's size. */
export interface OverheadResult {
  smart: number[];
  /** CPU time of the extension's thread over the same interval (excludes time other processes had the core). The thread clock often advances by scheduler ticks (4 ms at 250 Hz), so only the mean over many samples is meaningful. */
  smartCpu: number[];
  naive: number[];
  contextTokens: number;
}

/** Provider entry → request handed to fetch, with a context that fills the 256K window. */
export async function overhead(model: string, url: string, apiKey: string, files: SourceFile[]): Promise<OverheadResult> {
  const file = files.find((f) => f.name === 'commander/lib/help.js') ?? files[0];
  const others = otherDocuments([file.name], 400_000);
  // Fill the window as the simulator counts tokens: the largest budget that still fits.
  let budget = 240_000;
  const probe = (b: number): number => {
    const packed = contextSource([file], others, b)(snapshotFor(file, file.text, 1000), file.text);
    const prompt = buildCompletionPrompt(snapshotFor(file, file.text, 1000), packed, model);
    return promptTokens(prompt.request.messages) + prompt.request.maxTokens;
  };
  while (probe(budget) > WINDOW_TOKENS - 2_000) {
    budget -= 10_000;
  }
  const context = contextSource([file], others, budget);
  const contextTokens = simTokens(context(snapshotFor(file, file.text, 1000), file.text).text);
  let text = file.text;
  const manager = smartClient(model, url, apiKey, context, { now: () => performance.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) }, () => text);
  const naiveClient = new KimiClient({ baseUrl: url, apiKey, dialect: 'moonshot', retry: false, fetch: benchFetch });
  const result: OverheadResult = { smart: [], smartCpu: [], naive: [], contextTokens };
  // Retype a stretch in the middle of the file, one character per sample (every state new).
  const at = file.text.indexOf('\n', Math.floor(file.text.length / 2)) + 1;
  const stretch = file.text.slice(at, at + OVERHEAD_SAMPLES + 1);
  for (let i = 0; i < OVERHEAD_SAMPLES; i++) {
    const typed = stretch.slice(0, i + 1);
    text = file.text.slice(0, at) + typed + file.text.slice(at + stretch.length);
    const offset = at + typed.length;
    // Moonpilot (explicit: no deliberate delay; every state new, so every keystroke needs a request).
    const id = upcomingRequestId();
    const written = new Promise<void>((resolve) => onWritten.set(id, () => {
      cpuAtWrite = threadCpuMs();
      resolve();
    }));
    let cpuAtWrite = NaN;
    const cpu0 = threadCpuMs();
    const t0 = performance.now();
    const done = manager.complete({ ...snapshotFor(file, text, offset), explicit: true }, new AbortController().signal);
    await Promise.race([written, done, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    onWritten.delete(id);
    const t1 = writtenAt.get(id) ?? NaN;
    await done;
    if (i >= 20) {
      result.smartCpu.push(cpuAtWrite - cpu0);
    }
    if (i % 3 !== 0) {
      if (i >= 20) {
        result.smart.push(t1 - t0);
      }
      continue;
    }
    // Naive (every third sample, to keep the run short): same prompt, straight to the client.
    const nid = takeRequestId();
    const n0 = performance.now();
    await requestIds.run(nid, async () => {
      const snapshot = snapshotFor(file, text, offset);
      const prompt = buildCompletionPrompt(snapshot, context(snapshot, text), model);
      for await (const event of naiveClient.stream(prompt.request)) {
        void event;
      }
    });
    if (i >= 20) {
      result.smart.push(t1 - t0);
      result.naive.push((writtenAt.get(nid) ?? NaN) - n0);
    }
    void n0;
  }
  return result;
}
