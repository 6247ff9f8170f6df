import type { Settings } from '../../../src/core/config/settings';
import type { BenchTable } from '../benchTable';
import type { SoakServerStats } from '../soakSimWorker';
import type { ChatCounts } from './soakChat';
import type { CompletionOutcomes } from './soakCompletion';
import type { ScanningLogger } from './scanningLogger';

const MB = 1024 * 1024;
const HEAP_GOAL_MB = 20;

/** Everything the soak measured, for its table. */
export interface SoakFigures {
  seed: number;
  faultRate: number;
  settings: Settings;
  limits: Settings['rateLimits'];
  elapsed: number;
  keystrokes: number;
  pausedKeystrokes: number;
  warmUpSeconds: number;
  heapAtStart: number;
  heapStart: number;
  heapEnd: number;
  heapSamples: readonly { at: number; mb: number }[];
  clientPeak: number;
  managerPeak: number;
  server: SoakServerStats;
  unhandledRejections: number;
  uncaughtExceptions: number;
  firstProblems: readonly string[];
  log: ScanningLogger;
  probeLog: ScanningLogger;
  probeServer: SoakServerStats['probeDetected'];
  outcomes: CompletionOutcomes;
  errorKinds: Record<string, number>;
  chat: ChatCounts;
  drainSeconds: number;
}

/** The soak's verdicts: heap growth, peaks in flight, unhandled problems, leaks, and what happened. */
export function soakTable(f: SoakFigures): BenchTable {
  const { seed, faultRate, settings, limits, elapsed, keystrokes, pausedKeystrokes, warmUpSeconds, heapAtStart, heapStart, heapEnd, heapSamples, managerPeak, server, unhandledRejections, uncaughtExceptions, firstProblems, log, probeLog, probeServer, outcomes, errorKinds, chat, drainSeconds } = f;
  const scannersWork = probeServer.key && probeServer.canary && probeLog.canaryLeaks === 1 && probeLog.keyLeaks === 0;
  const growthMb = (heapEnd - heapStart) / MB;
  const verdict = (ok: boolean): string => (ok ? 'ok' : 'FAIL');
  const faults = Object.entries(server.faults)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const errors = Object.entries(errorKinds)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return {
    title: `Soak: ${Math.round(elapsed)} s of typing (${keystrokes} keystrokes, ${(keystrokes / elapsed).toFixed(1)}/s) with random faults, seed ${seed}`,
    columns: ['measure', 'value', 'goal', 'verdict'],
    rows: [
      ['heap growth after forced GC, from the end of the warm-up', `${growthMb.toFixed(1)} MB (${(heapStart / MB).toFixed(1)} → ${(heapEnd / MB).toFixed(1)} MB)`, `< ${HEAP_GOAL_MB} MB`, verdict(growthMb < HEAP_GOAL_MB)],
      ['heap growth after forced GC, from the start', `${((heapEnd - heapAtStart) / MB).toFixed(1)} MB (warm-up ${warmUpSeconds} s included)`, '', ''],
      ['peak in flight, client (rate limiter)', f.clientPeak, `≤ ${limits.concurrency} (concurrency setting)`, verdict(f.clientPeak <= limits.concurrency)],
      ['peak in flight, completion request manager', managerPeak, '≤ 2 (manager limit)', verdict(managerPeak <= 2)],
      ['peak open at the server', server.peakOpen, `≤ ${limits.concurrency}`, verdict(server.peakOpen <= limits.concurrency)],
      ['unhandled rejections', unhandledRejections, '0', verdict(unhandledRejections === 0)],
      ['uncaught exceptions', uncaughtExceptions, '0', verdict(uncaughtExceptions === 0)],
      ['API key in a log line / request body', `${log.keyLeaks} / ${server.keyInBody}`, '0 / 0', verdict(log.keyLeaks === 0 && server.keyInBody === 0)],
      ['canary (.env) in a log line / request body', `${log.canaryLeaks} / ${server.canaryInBody}`, '0 / 0', verdict(log.canaryLeaks === 0 && server.canaryInBody === 0)],
      ['leak scanners see a planted key and canary (probe body; probe log line, where the key is redacted)', `${probeServer.key && probeServer.canary ? 'body: both seen' : 'body: MISSED'}; log: canary seen ${probeLog.canaryLeaks}, key ${probeLog.keyLeaks === 0 ? 'redacted' : 'NOT redacted'}`, 'yes', verdict(scannersWork)],
      ['requests at the server (completion / chat)', `${server.requests} (${server.completionRequests} / ${server.chatRequests}), ${server.closedByClient} closed by the client`, '', ''],
      ['faults injected', faults || 'none', '', ''],
      ['keystrokes while completion was paused by a failure', `${pausedKeystrokes} of ${keystrokes}`, '', ''],
      ['completion outcomes', `${outcomes.ok} ok, ${outcomes.aborted} aborted, ${outcomes.error} failed (${outcomes.skippedByLimiter} dropped by our limiter); ${outcomes.served} items shown (${outcomes.fromCache} from cache)`, '', ''],
      ['completion errors by kind', errors || 'none', '', ''],
      ['chat turns', `${chat.turns}: ${chat.ok} answered, ${chat.failed} failed with a message; the last ended ${drainSeconds.toFixed(1)} s after typing stopped`, '', ''],
      ['log lines', `${log.lines} (warn ${log.byLevel.warn}, debug ${log.byLevel.debug})`, '', ''],
    ],
    notes: [
      `Heap after forced GC (MB) by time (s): ${heapSamples.map((s) => `${s.at}: ${s.mb.toFixed(1)}`).join(', ')}. GC through ${(globalThis as { gc?: unknown }).gc ? '--expose-gc' : 'v8.setFlagsFromString("--expose-gc")'}; the simulator runs in a worker thread, outside this heap.`,
      `Settings: a fresh install's (rate limits ${limits.concurrency} concurrent, ${limits.requestsPerMinute} RPM, ${limits.tokensPerMinute} TPM; request timeout ${settings.requestTimeoutMs / 1000} s); fault rate ${faultRate} of chat completions. SOAK_SECONDS, SOAK_SEED, SOAK_FAULT_RATE, SOAK_CONCURRENCY, SOAK_CHAT_EVERY, SOAK_KEYS_PER_SECOND change the run.`,
      ...firstProblems,
    ],
  };
}
