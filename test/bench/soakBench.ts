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
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import { Transcript } from '../../src/core/chat/transcript';
import { TranscriptSerializer } from '../../src/core/chat/transcriptStore';
import { runTurn } from '../../src/core/chat/turnRunner';
import { CompletionService } from '../../src/core/completion/completionService';
import type { CursorSnapshot } from '../../src/core/completion/completionTypes';
import { cursorWindows, stringReader } from '../../src/core/completion/completionWindow';
import type { ManagerEvent } from '../../src/core/completion/requestTypes';
import { parseSettings } from '../../src/core/config/settings';
import { packContext } from '../../src/core/context/contextPacker';
import { PackCache } from '../../src/core/context/packCache';
import type { PackedContext, TrackedDocument } from '../../src/core/context/contextTypes';
import { KimiClient } from '../../src/core/kimi/kimiClient';
import { KimiError } from '../../src/core/kimi/kimiErrors';
import type { ChatMessage } from '../../src/core/kimi/kimiTypes';
import { RateLimiter } from '../../src/core/kimi/rateLimiter';
import { realClock } from '../../src/core/platform/clock';
import type { Logger } from '../../src/core/log/logger';
import { redactSecrets } from '../../src/core/log/redact';
import type { BenchTable } from './benchTable';
import { loadSources, rng, type SourceFile } from './completionTyping';
import type { Benchmark } from './registry';
import type { SoakServerStats, SoakWorkerConfig, SoakWorkerMessage } from './soakSimWorker';

export const soakBenchmark: Benchmark = { name: 'soak', run };

const NODE_MODULES = path.resolve(__dirname, '../../../node_modules');
const MB = 1024 * 1024;
const HEAP_GOAL_MB = 20;

const envNumber = (name: string, fallback: number): number => {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

/** `global.gc`, or the same function obtained at run time when node was not started with --expose-gc. */
function forcedGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) {
    return existing;
  }
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Heap in use after full collections (a few rounds, so weak and finalised objects go too). */
async function settledHeap(gc: () => void): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/** Log lines as the extension's OutputLogger writes them (redacted with the key), scanned for leaks. */
class ScanningLogger implements Logger {
  lines = 0;
  keyLeaks = 0;
  canaryLeaks = 0;
  readonly byLevel = { debug: 0, info: 0, warn: 0, error: 0 };
  private readonly recent: string[] = [];

  constructor(
    private readonly apiKey: string,
    private readonly canary: string,
  ) {}

  private write(level: keyof ScanningLogger['byLevel'], component: string, message: string): void {
    const line = `[${component}] ${redactSecrets(message, [this.apiKey])}`;
    this.lines++;
    this.byLevel[level]++;
    if (line.includes(this.apiKey)) {
      this.keyLeaks++;
    }
    if (line.includes(this.canary)) {
      this.canaryLeaks++;
    }
    this.recent.push(line);
    if (this.recent.length > 20) {
      this.recent.shift();
    }
  }
  debug(component: string, message: string): void {
    this.write('debug', component, message);
  }
  info(component: string, message: string): void {
    this.write('info', component, message);
  }
  warn(component: string, message: string): void {
    this.write('warn', component, message);
  }
  error(component: string, message: string): void {
    this.write('error', component, message);
  }
  get lastLines(): readonly string[] {
    return this.recent;
  }
}

/** The document being typed into: a real file with a stretch cut out, typed back in keystroke by keystroke. */
interface Typing {
  file: SourceFile;
  /** Text before the stretch, the stretch, text after it. */
  head: string;
  stretch: string;
  tail: string;
  typed: number;
}

function newTyping(files: SourceFile[], random: () => number): Typing {
  const file = files[Math.floor(random() * files.length)];
  const text = file.text;
  let start = Math.floor(random() * Math.max(1, text.length - 400));
  start = text.indexOf('\n', start) + 1;
  const end = Math.min(text.length, start + 80 + Math.floor(random() * 240));
  return { file, head: text.slice(0, start), stretch: text.slice(start, end), tail: text.slice(end), typed: 0 };
}

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

  const worker = new Worker(path.join(__dirname, 'soakSimWorker.js'), { workerData: { seed, faultRate, canary } satisfies SoakWorkerConfig });
  const ready = await new Promise<Extract<SoakWorkerMessage, { type: 'ready' }>>((resolve, reject) => {
    worker.once('message', (m: SoakWorkerMessage) => (m.type === 'ready' ? resolve(m) : reject(new Error('unexpected worker message'))));
    worker.once('error', reject);
  });
  const serverStats = (): Promise<SoakServerStats> =>
    new Promise((resolve) => {
      const onMessage = (m: SoakWorkerMessage): void => {
        if (m.type === 'stats') {
          worker.off('message', onMessage);
          resolve(m.stats);
        }
      };
      worker.on('message', onMessage);
      worker.postMessage({ type: 'stats' });
    });

  // Settings as a fresh install has them (lowest paid tier limits), pointed at the simulator.
  const settings = parseSettings({ get: () => undefined, userValue: () => undefined }, { MOONSHOT_BASE_URL: ready.baseUrl });
  const limits = { ...settings.rateLimits, concurrency: envNumber('SOAK_CONCURRENCY', settings.rateLimits.concurrency) };
  const log = new ScanningLogger(ready.apiKey, canary);
  const limiter = new RateLimiter(limits, realClock);
  const clientOptions = { baseUrl: settings.baseUrl, apiKey: ready.apiKey, dialect: settings.dialect, firstByteTimeoutMs: settings.requestTimeoutMs, idleTimeoutMs: settings.requestTimeoutMs, limiter };
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
  const outcomes = { ok: 0, aborted: 0, error: 0, served: 0, fromCache: 0, skippedByLimiter: 0 };
  const errorKinds: Record<string, number> = {};
  let managerPeak = 0;
  const observe = (event: ManagerEvent): void => {
    if (event.kind === 'started') {
      managerPeak = Math.max(managerPeak, event.inFlight);
    } else if (event.kind === 'served') {
      outcomes.served++;
      outcomes.fromCache += event.source === 'cache' ? 1 : 0;
    } else if (event.kind === 'ended') {
      outcomes[event.outcome]++;
      if (event.outcome === 'error' && event.error) {
        errorKinds[event.error.kind] = (errorKinds[event.error.kind] ?? 0) + 1;
        // Dropped by our own limiter (no HTTP status): the service skips it silently.
        outcomes.skippedByLimiter += event.error.kind === 'rateLimit' && event.error.status === undefined ? 1 : 0;
      }
    }
  };
  const completion = new CompletionService<KimiClient>({
    connection: { client: () => Promise.resolve(completionClient) },
    settings: () => settings,
    completionSettings: parseSettings({ get: () => undefined, userValue: () => undefined }, {}).completion,
    context: () => pack('completion'),
    log,
    clock: realClock,
    observe,
  });

  const chat = { turns: 0, ok: 0, failed: 0, answerChars: 0 };
  const stored = new StoredChat();
  const chatTurn = async (n: number): Promise<void> => {
    chat.turns++;
    const controller = new AbortController();
    const contextText = pack('chat').text;
    stored.transcript.setWorkspaceContext({ text: contextText, tokens: 0, files: [] });
    const userMessage = { role: 'user' as const, content: `Explain the code around line ${n} of ${typing.file.name}.` };
    const turn = stored.transcript.startTurn({ userText: userMessage.content, attachments: [], thinking: n % 2 === 0, userMessage });
    stored.persist('start');
    const ticks = setInterval(() => stored.persist('tick'), 2_000);
    try {
      let answer = '';
      const result = await runTurn({
        model: settings.chatModel,
        thinking: n % 2 === 0,
        maxTokens: 4_096,
        maxToolRounds: 0,
        userMessage,
        buildMessages: (current) => [{ role: 'system', content: 'You are Moonpilot.' }, { role: 'user', content: contextText }, ...current],
        stream: (request, signal) => chatClient.stream(request, signal),
        tools: { specs: [], label: () => '', run: () => Promise.reject(new Error('no tools in the soak')) },
        signal: controller.signal,
        sink: {
          reasoning: (t) => (turn.reasoning += t),
          answer: (t) => {
            answer += t;
            turn.answer += t;
          },
          reasoningDone: () => undefined,
          toolStarted: () => undefined,
          toolFinished: () => undefined,
          usage: () => undefined,
        },
      });
      // As a chat turn that read two files (the soak's turns call no tools): two read_file
      // results of real source files, cut at the tool's 60,000 characters.
      const reads = [0, 1].flatMap((k): ChatMessage[] => {
        const file = files[(n * 2 + k) % files.length];
        const id = `call_${n}_${k}`;
        return [
          { role: 'assistant', content: '', reasoning_content: 'I should read the file.', tool_calls: [{ id, type: 'function', function: { name: 'read_file', arguments: JSON.stringify({ path: file.name }) } }] },
          { role: 'tool', tool_call_id: id, name: 'read_file', content: file.text.slice(0, 60_000) },
        ];
      });
      turn.replies = [...reads, ...result.replies];
      turn.status = 'done';
      chat.ok++;
      chat.answerChars += answer.length;
    } catch (err) {
      turn.status = 'error';
      chat.failed++;
      log.warn('chat', `turn failed: ${KimiError.is(err) ? `${err.kind}: ${err.message}` : String(err)}`);
    } finally {
      clearInterval(ticks);
      stored.persist('end', turn);
    }
  };

  // The leak checks must be able to see a leak: a probe request body and a probe log line carrying
  // the key and the canary are checked first (they are not counted below).
  await fetch(`${ready.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ready.apiKey}`, 'x-soak-probe': '1' },
    body: JSON.stringify({ model: settings.completionModel, messages: [{ role: 'user', content: `${ready.apiKey} ${canary}` }] }),
  }).then((r) => r.text());
  const probeLog = new ScanningLogger(ready.apiKey, canary);
  probeLog.info('probe', `${canary} Bearer ${ready.apiKey}`);
  let probeServer = (await serverStats()).probeDetected;
  for (let i = 0; i < 20 && !(probeServer.key && probeServer.canary); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50)); // the server records it when the response closes
    probeServer = (await serverStats()).probeDetected;
  }
  const scannersWork = probeServer.key && probeServer.canary && probeLog.canaryLeaks === 1 && probeLog.keyLeaks === 0;

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
    pausedKeystrokes += completion.status().pause ? 1 : 0;
    const text = activeText();
    const w = cursorWindows(stringReader(text), typing.head.length + typing.typed);
    const snapshot: CursorSnapshot = { docKey: `file:///ws/${typing.file.name}`, path: typing.file.name, languageId: typing.file.languageId, prefix: w.prefix, suffix: w.suffix, indent: { insertSpaces: true, tabSize: 2 }, explicit: false };
    // VS Code cancels the previous provider call when the next keystroke arrives.
    controller?.abort();
    const c = new AbortController();
    controller = c;
    track(completion.complete(snapshot, c.signal));
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
      const s = await serverStats();
      process.stderr.write(`soak: ${Math.round((now - started) / 1_000)} s, ${keystrokes} keys, ${s.requests} requests, heap ${heapSamples.at(-1)?.mb.toFixed(1)} MB\n`);
    }
  }
  const elapsed = (performance.now() - started) / 1_000;
  controller?.abort();
  completion.dispose();
  // Chat turns still running are left to end by themselves (answer, error or timeout): none may hang.
  const drainStarted = performance.now();
  await Promise.all([...pending]);
  const drainSeconds = (performance.now() - drainStarted) / 1_000;
  // Let the last connections close at both ends before the final measurement.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const heapEnd = await settledHeap(gc);
  heapSamples.push({ at: Math.round(elapsed), mb: heapEnd / MB });
  const server = await serverStats();
  worker.postMessage({ type: 'close' });
  await new Promise((resolve) => worker.once('exit', resolve));
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);

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
  return [
    stored.table(),
    {
      title: `Soak: ${Math.round(elapsed)} s of typing (${keystrokes} keystrokes, ${(keystrokes / elapsed).toFixed(1)}/s) with random faults, seed ${seed}`,
      columns: ['measure', 'value', 'goal', 'verdict'],
      rows: [
        ['heap growth after forced GC, from the end of the warm-up', `${growthMb.toFixed(1)} MB (${(heapStart / MB).toFixed(1)} → ${(heapEnd / MB).toFixed(1)} MB)`, `< ${HEAP_GOAL_MB} MB`, verdict(growthMb < HEAP_GOAL_MB)],
        ['heap growth after forced GC, from the start', `${((heapEnd - heapAtStart) / MB).toFixed(1)} MB (warm-up ${warmUpSeconds} s included)`, '', ''],
        ['peak in flight, client (rate limiter)', limiter.peakInFlight, `≤ ${limits.concurrency} (concurrency setting)`, verdict(limiter.peakInFlight <= limits.concurrency)],
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
    },
  ];
}

interface PersistFigures {
  writes: number;
  ms: number[];
  bytes: number;
}

/** The soak's chat transcript, persisted both ways after every change that would write it. */
class StoredChat {
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
