/**
 * `npm run bench -- soak`: ten minutes (SOAK_SECONDS, default 600) of scripted typing at about ten
 * keystrokes a second into real source files, against the Kimi simulator answering with random
 * faults (seeded: SOAK_SEED), through the extension's CompletionService (RequestManager →
 * completion fetcher → KimiClient with the shared RateLimiter, CompletionBackoff deciding pauses,
 * the context packer with an open `.env` holding a canary), plus a chat turn through the core
 * turn runner every SOAK_CHAT_EVERY seconds (default 45) on the same limiter.
 *
 * The chat turns also go into a transcript stored the way ChatSession stores it, twice side by side:
 * as before issue 15 (the whole transcript deep-copied at turn start, every 2 s while a turn streams
 * and at its end) and as now (bounded, settled turns' JSON reused, written at turn start and end).
 *
 * Reports heap growth after forced GC, peak requests in flight (client limiter, request manager
 * and as the server saw them), unhandled rejections, and whether the API key or the canary ever
 * appeared in a log line or a request body. The simulator runs in a worker thread so its request
 * log does not count as the client's heap.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CursorSnapshot } from '../../src/core/completion/completionTypes';
import { cursorWindows, stringReader } from '../../src/core/completion/completionWindow';
import { parseSettings } from '../../src/core/config/settings';
import { packContext } from '../../src/core/context/contextPacker';
import { PackCache } from '../../src/core/context/packCache';
import type { PackedContext, TrackedDocument } from '../../src/core/context/contextTypes';
import { KimiClient } from '../../src/core/kimi/kimiClient';
import { RateLimiter } from '../../src/core/kimi/rateLimiter';
import { realClock } from '../../src/core/platform/clock';
import type { BenchTable } from './benchTable';
import { loadSources, rng } from './completionTyping';
import type { Benchmark } from './registry';
import { ScanningLogger } from './soak/scanningLogger';
import { forcedGc, settledHeap } from './soak/settledHeap';
import { soakChat } from './soak/soakChat';
import { soakCompletion } from './soak/soakCompletion';
import { startSoakSimulator } from './soak/soakSimulator';
import { soakTable } from './soak/soakTable';
import { newTyping } from './soak/soakTyping';
import { StoredChat } from './soak/storedChat';

export const soakBenchmark: Benchmark = { name: 'soak', run };

const NODE_MODULES = path.resolve(__dirname, '../../../node_modules');
const MB = 1024 * 1024;

const envNumber = (name: string, fallback: number): number => {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

async function run(): Promise<BenchTable[]> {
  const seconds = envNumber('SOAK_SECONDS', 600);
  const seed = envNumber('SOAK_SEED', 20_261_126);
  const chatEverySeconds = envNumber('SOAK_CHAT_EVERY', 45);
  const keysPerSecond = envNumber('SOAK_KEYS_PER_SECOND', 10);
  const faultRate = Math.min(1, envNumber('SOAK_FAULT_RATE', 0.15));
  const canary = ['MOONPILOT', 'SOAK', 'CANARY', seed.toString(36)].join('_');

  let unhandledRejections = 0;
  let uncaughtExceptions = 0;
  const firstProblems: string[] = [];
  const onRejection = (reason: unknown): void => {
    unhandledRejections++;
    if (firstProblems.length < 3) {
      firstProblems.push(`unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`);
    }
  };
  const onException = (error: Error): void => {
    uncaughtExceptions++;
    if (firstProblems.length < 3) {
      firstProblems.push(`uncaught exception: ${error.message}`);
    }
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);

  const sim = await startSoakSimulator({ seed, faultRate, canary });

  // Settings as a fresh install has them (lowest paid tier limits), pointed at the simulator.
  const settings = parseSettings({ get: () => undefined, userValue: () => undefined }, { MOONSHOT_BASE_URL: sim.baseUrl });
  const limits = { ...settings.rateLimits, concurrency: envNumber('SOAK_CONCURRENCY', settings.rateLimits.concurrency) };
  const log = new ScanningLogger(sim.apiKey, canary);
  const limiter = new RateLimiter(limits, realClock);
  const clientOptions = { baseUrl: settings.baseUrl, apiKey: sim.apiKey, dialect: settings.dialect, firstByteTimeoutMs: settings.requestTimeoutMs, idleTimeoutMs: settings.requestTimeoutMs, limiter };
  const completionClient = new KimiClient({ ...clientOptions, priority: 'background', retry: false });
  const chatClient = new KimiClient({
    ...clientOptions,
    priority: 'interactive',
    onRetry: (error, delayMs) => log.warn('connection', `${error.kind}: retrying in ${delayMs} ms (${error.message})`),
  });

  // The workspace as the tracker holds it: real files, and an open .env with the canary.
  const files = loadSources(NODE_MODULES);
  if (files.length === 0) {
    throw new Error(`no source files found under ${NODE_MODULES}; run npm install`);
  }
  const envDoc: TrackedDocument = { uri: 'file:///ws/.env', path: '.env', relativePath: '.env', folderKey: 'file:///ws', languageId: 'dotenv', text: `OPENAI_API_KEY=${canary}\nDATABASE_URL=postgres://app:${canary}@db/app\n`, firstOpened: 0 };
  const others: TrackedDocument[] = files.map((f, i) => ({ uri: `file:///ws/${f.name}`, path: f.name, relativePath: f.name, folderKey: 'file:///ws', languageId: f.languageId, text: f.text, firstOpened: i + 1 }));
  const cache = new PackCache();
  const random = rng(seed);
  let typing = newTyping(files, random);
  const activeText = (): string => typing.head + typing.stretch.slice(0, typing.typed) + typing.tail;
  const pack = (purpose: 'completion' | 'chat'): PackedContext => {
    const active: TrackedDocument = { uri: `file:///ws/${typing.file.name}`, path: typing.file.name, relativePath: typing.file.name, folderKey: 'file:///ws', languageId: typing.file.languageId, text: activeText(), firstOpened: 100 };
    return packContext({ purpose, budgetTokens: purpose === 'completion' ? 16_384 : 60_000, documents: [envDoc, ...others.filter((o) => o.uri !== active.uri), active], activeUri: active.uri, includeActiveFile: purpose !== 'completion', cache });
  };

  // The extension's completion service, minus VS Code (its events counted as they pass).
  const completion = soakCompletion(completionClient, settings, () => pack('completion'), log);

  const stored = new StoredChat();
  const { counts: chat, turn: chatTurn } = soakChat({ client: chatClient, model: settings.chatModel, files, contextText: () => pack('chat').text, activeFile: () => typing.file, stored, log });

  // The leak checks must be able to see a leak: a probe request body and a probe log line carrying
  // the key and the canary are checked first (they are not counted below).
  await fetch(`${sim.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${sim.apiKey}`, 'x-soak-probe': '1' },
    body: JSON.stringify({ model: settings.completionModel, messages: [{ role: 'user', content: `${sim.apiKey} ${canary}` }] }),
  }).then((r) => r.text());
  const probeLog = new ScanningLogger(sim.apiKey, canary);
  probeLog.info('probe', `${canary} Bearer ${sim.apiKey}`);
  let probeServer = (await sim.stats()).probeDetected;
  for (let i = 0; i < 20 && !(probeServer.key && probeServer.canary); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50)); // the server records it when the response closes
    probeServer = (await sim.stats()).probeDetected;
  }

  const gc = forcedGc();
  const heapSamples: { at: number; mb: number }[] = [];
  const heapAtStart = await settledHeap(gc);
  heapSamples.push({ at: 0, mb: heapAtStart / MB });
  // Growth is measured from the end of a warm-up (code compiled, caches filled, SDK loaded), so it shows what keeps growing.
  const warmUpSeconds = Math.min(60, seconds / 10);
  let heapStart = heapAtStart;
  let warmedUp = false;
  let pausedKeystrokes = 0;

  const started = performance.now();
  const endAt = started + seconds * 1_000;
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>): void => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  let keystrokes = 0;
  let controller: AbortController | undefined;
  let nextChatAt = started + chatEverySeconds * 1_000;
  let nextSampleAt = started + 60_000;
  let chats = 0;
  let next = started;
  process.stderr.write(`soak: ${seconds} s at ~${keysPerSecond} keys/s, fault rate ${faultRate}, seed ${seed}, concurrency ${limits.concurrency}\n`);
  while (performance.now() < endAt) {
    // ~10 keystrokes a second, jittered; a short pause now and then (end of a thought).
    // ~10 keystrokes a second on average, in bursts: quick jittered gaps, a pause of 0.3–0.9 s after
    // each line and now and then within one (a typist stops to think; that is when completions are asked for).
    const justTyped = typing.stretch[typing.typed - 1];
    const pause = justTyped === '\n' || random() < 0.03 ? 300 + 600 * random() : 0;
    next += (1_000 / keysPerSecond) * 0.6 * (0.5 + random()) + pause;
    const wait = next - performance.now();
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    if (typing.typed >= typing.stretch.length) {
      typing = newTyping(files, random);
    }
    if (random() < 0.05 && typing.typed > 0) {
      typing.typed--; // backspace
    } else {
      typing.typed++;
    }
    keystrokes++;
    pausedKeystrokes += completion.service.status().pause ? 1 : 0;
    const text = activeText();
    const w = cursorWindows(stringReader(text), typing.head.length + typing.typed);
    const snapshot: CursorSnapshot = { docKey: `file:///ws/${typing.file.name}`, path: typing.file.name, languageId: typing.file.languageId, prefix: w.prefix, suffix: w.suffix, indent: { insertSpaces: true, tabSize: 2 }, explicit: false };
    // VS Code cancels the previous provider call when the next keystroke arrives.
    controller?.abort();
    const c = new AbortController();
    controller = c;
    track(completion.service.complete(snapshot, c.signal));
    const now = performance.now();
    if (!warmedUp && now - started >= warmUpSeconds * 1_000) {
      warmedUp = true;
      heapStart = await settledHeap(gc);
      heapSamples.push({ at: Math.round((now - started) / 1_000), mb: heapStart / MB });
    }
    if (now >= nextChatAt) {
      nextChatAt += chatEverySeconds * 1_000;
      track(chatTurn(++chats));
    }
    if (now >= nextSampleAt) {
      nextSampleAt += 60_000;
      heapSamples.push({ at: Math.round((now - started) / 1_000), mb: (await settledHeap(gc)) / MB });
      const s = await sim.stats();
      process.stderr.write(`soak: ${Math.round((now - started) / 1_000)} s, ${keystrokes} keys, ${s.requests} requests, heap ${heapSamples.at(-1)?.mb.toFixed(1)} MB\n`);
    }
  }
  const elapsed = (performance.now() - started) / 1_000;
  controller?.abort();
  completion.service.dispose();
  // Chat turns still running are left to end by themselves (answer, error or timeout): none may hang.
  const drainStarted = performance.now();
  await Promise.all([...pending]);
  const drainSeconds = (performance.now() - drainStarted) / 1_000;
  // Let the last connections close at both ends before the final measurement.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const heapEnd = await settledHeap(gc);
  heapSamples.push({ at: Math.round(elapsed), mb: heapEnd / MB });
  const server = await sim.stats();
  await sim.close();
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);

  return [
    stored.table(),
    soakTable({
      seed,
      faultRate,
      settings,
      limits,
      elapsed,
      keystrokes,
      pausedKeystrokes,
      warmUpSeconds,
      heapAtStart,
      heapStart,
      heapEnd,
      heapSamples,
      clientPeak: limiter.peakInFlight,
      managerPeak: completion.managerPeak(),
      server,
      unhandledRejections,
      uncaughtExceptions,
      firstProblems,
      log,
      probeLog,
      probeServer,
      outcomes: completion.outcomes,
      errorKinds: completion.errorKinds,
      chat,
      drainSeconds,
    }),
  ];
}
