/**
 * Worker thread for the completion benchmark: runs the Kimi simulators (one per client, so each
 * has its own prefix cache, as two accounts would) off the benchmark's event loop, so their work
 * never counts as extension overhead. The "model" answers from the file being retyped: at each
 * position it continues with the file's real text (a right guess) or, deterministically for some
 * positions, with a few right characters and then other code from the file (a wrong guess).
 * Reports one line per request when its response closes: prompt and cached tokens, output planned, how it ended.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startSimulator, type KimiSimulator } from '../support/simulator/kimiSimulator';
import { promptTokens, serializePrompt } from '../support/simulator/tokenEstimate';
import type { RecordedRequest, ScriptedReply } from '../support/simulator/types';

export interface WorkerConfig {
  /** The files being retyped (full original text). */
  files: string[];
  /** Time runs this many times faster than for the simulated human. */
  speed: number;
  /** Share of positions where the model guesses the file's real continuation. */
  accuracy: number;
  /** First byte after this many (virtual) ms: uniform in [min, max]. */
  firstByteMs: [number, number];
  /** Virtual ms between streamed chunks of 4 characters (≈ 1 token). */
  chunkDelayMs: number;
  /** Reasoning tokens written before the code (a model that always reasons, e.g. K3 at low effort); 0 = none. */
  reasoningTokens: number;
}

/** One request as billed by the simulated server. */
export interface BilledRequest {
  sim: 'naive' | 'smart' | 'overhead';
  benchId: number;
  promptTokens: number;
  cachedTokens: number;
  /** Output tokens in the reply (after stop and max_tokens): all generated when `completed`. */
  plannedTokens: number;
  closedByClient: boolean;
  completed: boolean;
}

export type WorkerMessage = { type: 'ready'; urls: Record<BilledRequest['sim'], string>; apiKey: string } | { type: 'request'; request: BilledRequest } | { type: 'closed' };

const CHUNK = 4;
const config = workerData as WorkerConfig;

interface Plan {
  benchId: number;
  promptTokens: number;
  cachedTokens: number;
  chunkTokens: number[];
}

function hash(...parts: number[]): number {
  let h = 2166136261;
  for (const p of parts) {
    h ^= p;
    h = Math.imul(h, 16777619) >>> 0;
    h ^= h >>> 13;
  }
  return (h >>> 0) / 2 ** 32;
}

interface ChatBody {
  messages: { role: string; content: string; partial?: boolean }[];
  max_tokens?: number;
  max_completion_tokens?: number;
  stop?: string[];
  model?: string;
  reasoning_effort?: string;
  thinking?: { type?: string };
}

/**
 * The simulator's cache partition for this request (chatValidation.ts: model plus effort or
 * thinking mode; prefixes are shared only within one).
 */
function cachePartition(body: ChatBody): string {
  const thinking = body.thinking?.type !== 'disabled';
  return `${body.model ?? ''}\u0000${body.reasoning_effort ?? (thinking ? 'thinking' : 'instant')}`;
}

/** Where in which file the request's cursor is: found from the text before and after it. */
function locate(prefix: string, suffix: string): { file: number; at: number } | undefined {
  const tail = prefix.slice(-256);
  for (let f = 0; f < config.files.length; f++) {
    const text = config.files[f];
    const end = suffix === '' ? text.length : text.indexOf(suffix.slice(0, 200));
    if (end < 0) {
      continue;
    }
    const start = text.lastIndexOf(tail, end - tail.length);
    if (start >= 0) {
      return { file: f, at: start + tail.length };
    }
  }
  return undefined;
}

function suffixOf(user: string): string {
  const open = '<text_after_cursor>\n';
  const i = user.lastIndexOf(open);
  const j = user.lastIndexOf('\n</text_after_cursor>');
  return i >= 0 && j > i ? user.slice(i + open.length, j) : '';
}

/** The model's continuation at a position: right for `accuracy` of positions, else right for a few characters only. */
function continuation(file: number, at: number): string {
  const text = config.files[file];
  const truth = text.slice(at, at + 800);
  if (hash(file, at, 1) < config.accuracy) {
    return truth;
  }
  const keep = Math.floor(hash(file, at, 2) * 4);
  // Other code from the same file, from a line start.
  let from = Math.floor(hash(file, at, 3) * text.length);
  from = text.indexOf('\n', from) + 1;
  const other = text.slice(from, from + 800).trimStart();
  const wrong = truth.slice(0, keep) + other;
  return wrong.startsWith(truth.slice(0, keep + 1)) ? wrong.slice(0, keep) + '/*x*/' + other : wrong;
}

/** What the server will send for this reply: reasoning first, then the content with stop and the output limit applied, in 4-character chunks. */
function planned(content: string, body: ChatBody, reasoning = ''): number[] {
  let text = content;
  for (const stop of body.stop ?? []) {
    const i = text.indexOf(stop);
    if (i >= 0) {
      text = text.slice(0, i);
    }
  }
  const budget = (body.max_completion_tokens ?? body.max_tokens ?? Infinity) * 4;
  let bytes = 0;
  const reasoningChunks: number[] = [];
  const thought = Array.from(reasoning);
  for (let i = 0; i < thought.length && bytes < budget; i += CHUNK) {
    const piece = Buffer.byteLength(thought.slice(i, i + CHUNK).join(''));
    bytes += piece;
    reasoningChunks.push(Math.ceil(piece / 4));
  }
  let kept = '';
  for (const ch of text) {
    bytes += Buffer.byteLength(ch);
    if (bytes > budget) {
      break;
    }
    kept += ch;
  }
  const chunks: number[] = [...reasoningChunks];
  const points = Array.from(kept);
  for (let i = 0; i < points.length; i += CHUNK) {
    chunks.push(Math.ceil(Buffer.byteLength(points.slice(i, i + CHUNK).join('')) / 4));
  }
  return chunks;
}

async function main(): Promise<void> {
  const plans = new Map<number, Plan>();
  const report = (sim: BilledRequest['sim']) => (req: RecordedRequest): void => {
    const plan = plans.get(req.id);
    if (!plan || req.path !== '/v1/chat/completions') {
      return;
    }
    plans.delete(req.id);
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    const request: BilledRequest = {
      sim,
      benchId: plan.benchId,
      promptTokens: plan.promptTokens,
      cachedTokens: plan.cachedTokens,
      plannedTokens: sum(plan.chunkTokens),
      closedByClient: req.closedByClient,
      completed: req.completed,
    };
    parentPort?.postMessage({ type: 'request', request } satisfies WorkerMessage);
  };

  const start = async (sim: BilledRequest['sim'], maxEntries: number): Promise<KimiSimulator> => {
    const s = await startSimulator({ prefixCache: { maxEntries }, onResponse: (req) => report(sim)(req) });
    s.script((req) => {
      const body = req.body as unknown as ChatBody;
      const messages = body.messages;
      const benchId = Number(req.headers['x-bench-id'] ?? 0);
      const cachedTokens = s.prefixCache.lookup(serializePrompt(messages), cachePartition(body));
      let content = 'ZZZ;';
      let firstByteMs = 0;
      if (sim !== 'overhead') {
        const where = locate(messages[messages.length - 1].content, suffixOf(messages[1].content));
        content = where ? continuation(where.file, where.at) : '';
        const r = where ? hash(where.file, where.at, 4) : 0.5;
        firstByteMs = config.firstByteMs[0] + r * (config.firstByteMs[1] - config.firstByteMs[0]);
      }
      const firstByteDelayMs = firstByteMs / config.speed;
      const chunkDelayMs = sim === 'overhead' ? 0 : config.chunkDelayMs / config.speed;
      // 4 characters a token: reasoning of `reasoningTokens` tokens, written before the code.
      const reasoning = sim !== 'overhead' && config.reasoningTokens > 0 ? 'Consider what the code needs next. '.repeat(Math.ceil((config.reasoningTokens * 4) / 35)).slice(0, config.reasoningTokens * 4) : '';
      plans.set(req.id, {
        benchId,
        promptTokens: promptTokens(messages),
        cachedTokens,
        chunkTokens: planned(content, body, reasoning),
      });
      return { content, ...(reasoning ? { reasoning } : {}), chunkSize: CHUNK, firstByteDelayMs, chunkDelayMs } satisfies ScriptedReply;
    });
    return s;
  };

  const sims = { naive: await start('naive', 256), smart: await start('smart', 256), overhead: await start('overhead', 4) };
  parentPort?.on('message', (message: { type: string }) => {
    if (message.type === 'close') {
      void Promise.all(Object.values(sims).map((s) => s.close())).then(() => parentPort?.postMessage({ type: 'closed' } satisfies WorkerMessage));
    }
  });
  parentPort?.postMessage({
    type: 'ready',
    urls: { naive: sims.naive.baseUrl, smart: sims.smart.baseUrl, overhead: sims.overhead.baseUrl },
    apiKey: sims.naive.apiKey,
  } satisfies WorkerMessage);
}

if (parentPort) {
  void main();
}
