/**
 * Worker thread for the soak benchmark: the Kimi simulator off the benchmark's event loop and heap
 * (its request log would otherwise count as the client's heap growth). Every chat completion gets,
 * from a seeded RNG, either a normal streamed answer or a fault: HTTP 500 / 504 / 429, extra
 * latency, a stall, a cut connection, a malformed chunk, or `choices: []`. It also checks what the
 * client actually sent: the API key or the canary anywhere in a request body, and how many
 * requests were open at the server at once. The request log is cleared as it goes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { kimiErrors } from '../support/simulator/kimiErrorReplies';
import { startSimulator, type KimiSimulator } from '../support/simulator/kimiSimulator';
import type { Fault, RecordedRequest, ScriptedReply } from '../support/simulator/types';
import { rng } from './completionTyping';

export interface SoakWorkerConfig {
  seed: number;
  /** Share of chat completions that get a fault. */
  faultRate: number;
  /** Secret that must never reach the server. */
  canary: string;
}

/** What the simulated server saw, sent on request. */
export interface SoakServerStats {
  requests: number;
  completionRequests: number;
  chatRequests: number;
  faults: Record<string, number>;
  closedByClient: number;
  peakOpen: number;
  keyInBody: number;
  canaryInBody: number;
  /** The scanner's self-check: a probe request (header `x-soak-probe`) carrying both, seen as such. */
  probeDetected: { key: boolean; canary: boolean };
}

export type SoakWorkerMessage = { type: 'ready'; baseUrl: string; apiKey: string } | { type: 'stats'; stats: SoakServerStats };

const config = workerData as SoakWorkerConfig;

/** Code-ish continuations the "model" answers with. */
const ANSWERS = ['value + 1;', 'this.items.length; i++) {\n    total += this.items[i];\n  }\n', 'await fetchJson(url);\n', 'options ?? {};', 'return result;\n}\n'];

function pickFault(r: () => number): { name: string; fault: Fault } | undefined {
  if (r() >= config.faultRate) {
    return undefined;
  }
  const faults: { name: string; fault: Fault }[] = [
    { name: 'http 500', fault: { kind: 'http', ...kimiErrors.serverError() } },
    { name: 'http 504 (html)', fault: { kind: 'http', ...kimiErrors.gatewayTimeout() } },
    { name: 'http 429 rate limit', fault: { kind: 'http', ...kimiErrors.rateLimit(1) } },
    { name: 'http 429 overloaded', fault: { kind: 'http', ...kimiErrors.engineOverloaded() } },
    { name: 'latency 1.5 s', fault: { kind: 'latency', ms: 1_500 } },
    { name: 'stall', fault: { kind: 'stall', afterChunks: 1 } },
    { name: 'cut', fault: { kind: 'cut', afterChunks: 1 } },
    { name: 'malformed chunk', fault: { kind: 'malformed', afterChunks: 1 } },
    { name: 'empty choices', fault: { kind: 'emptyChoices' } },
  ];
  return faults[Math.floor(r() * faults.length)];
}

async function main(): Promise<void> {
  const random = rng(config.seed);
  const stats: SoakServerStats = { requests: 0, completionRequests: 0, chatRequests: 0, faults: {}, closedByClient: 0, peakOpen: 0, keyInBody: 0, canaryInBody: 0, probeDetected: { key: false, canary: false } };
  const open = new Set<number>();
  let sim: KimiSimulator | undefined;

  const script = (s: KimiSimulator): void => {
    s.script((req) => {
      if (req.headers['x-soak-probe'] !== undefined) {
        return { status: 400, error: { message: 'probe', type: 'invalid_request_error' } };
      }
      open.add(req.id);
      stats.peakOpen = Math.max(stats.peakOpen, open.size);
      const messages = (req.body?.messages as { partial?: boolean }[] | undefined) ?? [];
      const completion = messages.at(-1)?.partial === true;
      if (completion) {
        stats.completionRequests++;
      } else {
        stats.chatRequests++;
      }
      const picked = pickFault(random);
      const reply: ScriptedReply = {
        content: completion ? ANSWERS[Math.floor(random() * ANSWERS.length)] : 'Here is what that code does: it adds one.\n'.repeat(8),
        reasoning: completion ? undefined : 'Thinking about the question.',
        chunkSize: 4,
        firstByteDelayMs: 50 + Math.floor(random() * 250),
        chunkDelayMs: 10,
      };
      if (picked) {
        stats.faults[picked.name] = (stats.faults[picked.name] ?? 0) + 1;
        reply.fault = picked.fault;
      }
      return reply;
    });
  };

  const onResponse = (req: RecordedRequest): void => {
    if (req.headers['x-soak-probe'] !== undefined) {
      stats.probeDetected = { key: sim !== undefined && req.rawBody.includes(sim.apiKey), canary: req.rawBody.includes(config.canary) };
      return;
    }
    stats.requests++;
    open.delete(req.id);
    if (req.closedByClient) {
      stats.closedByClient++;
    }
    if (sim && req.rawBody.includes(sim.apiKey)) {
      stats.keyInBody++;
    }
    if (req.rawBody.includes(config.canary)) {
      stats.canaryInBody++;
    }
    // Keep the worker's memory flat: forget answered requests every so often (scripts go too).
    if (sim && stats.requests % 200 === 0) {
      sim.reset();
      script(sim);
    }
  };

  sim = await startSimulator({ onResponse });
  script(sim);
  const running = sim;
  parentPort?.on('message', (message: { type: string }) => {
    if (message.type === 'stats') {
      parentPort?.postMessage({ type: 'stats', stats: { ...stats, faults: { ...stats.faults }, probeDetected: { ...stats.probeDetected } } } satisfies SoakWorkerMessage);
    } else if (message.type === 'close') {
      void running.close().then(() => process.exit(0));
    }
  });
  parentPort?.postMessage({ type: 'ready', baseUrl: running.baseUrl, apiKey: running.apiKey } satisfies SoakWorkerMessage);
}

if (parentPort) {
  void main();
}
