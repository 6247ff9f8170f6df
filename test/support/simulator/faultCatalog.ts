import { startSimulator, type KimiSimulator } from './kimiSimulator';
import { kimiErrors } from './kimiErrorReplies';

/**
 * The fifteen failures of the resilience fault matrix (issue 7), plus a stall after part of the
 * answer (the mid-stream form of "no bytes for too long"), each injectable into the
 * simulator (or, for the two that never reach a server, named by where the client must point).
 * Tests at every level (core, real VS Code) walk this one list, so no case is forgotten at one.
 */
export interface FaultCase {
  name: string;
  /**
   * Where the client points: the simulator; a loopback port nobody listens on (connection
   * refused); or a `.invalid` host, which never resolves (RFC 6761), so no traffic can leak.
   */
  endpoint: 'simulator' | 'closedPort' | 'unresolvable';
  /** Whether the failure comes after part of the answer streamed (the part must be kept). */
  midStream: boolean;
  /** Makes the next `times` chat completions fail this way (nothing for the endpoint cases). */
  inject(sim: KimiSimulator, times: number, options?: FaultOptions): void;
}

export interface FaultOptions {
  /** How long the "no bytes" case holds the first byte back; longer than the client's timeout. */
  silentMs?: number;
  /** The wait the 429 rate-limit message names. */
  rateLimitSeconds?: number;
}

/** A base URL whose host never resolves (`.invalid` is reserved for exactly that). */
export const UNRESOLVABLE_BASE_URL = 'http://moonpilot-fault-matrix.invalid/v1';

/** Chunks streamed before a mid-stream fault hits (role chunk included). */
export const CHUNKS_BEFORE_FAULT = 4;

const http = (reply: ReturnType<(typeof kimiErrors)['serverError']>) => (sim: KimiSimulator, times: number) => void sim.injectFault({ kind: 'http', ...reply }, { times });

export const FAULT_CASES: readonly FaultCase[] = [
  { name: '401 bad key', endpoint: 'simulator', midStream: false, inject: http(kimiErrors.invalidAuthentication()) },
  { name: '403 permission', endpoint: 'simulator', midStream: false, inject: http(kimiErrors.permissionDenied()) },
  { name: '404 unknown model', endpoint: 'simulator', midStream: false, inject: http(kimiErrors.modelNotFound('kimi-k2.5')) },
  {
    name: '429 rate limit',
    endpoint: 'simulator',
    midStream: false,
    inject: (sim, times, options) => void sim.injectFault({ kind: 'http', ...kimiErrors.rateLimit(options?.rateLimitSeconds ?? 1) }, { times }),
  },
  { name: '429 quota exhausted', endpoint: 'simulator', midStream: false, inject: http(kimiErrors.quotaExceeded()) },
  { name: '400 context too long', endpoint: 'simulator', midStream: false, inject: http(kimiErrors.contextTooLong(262144)) },
  { name: '400 content filter', endpoint: 'simulator', midStream: false, inject: http(kimiErrors.contentFilter()) },
  { name: '500 server error', endpoint: 'simulator', midStream: false, inject: http(kimiErrors.serverError()) },
  { name: '504 gateway timeout', endpoint: 'simulator', midStream: false, inject: http(kimiErrors.gatewayTimeout()) },
  { name: 'connection refused', endpoint: 'closedPort', midStream: false, inject: () => undefined },
  { name: 'DNS failure', endpoint: 'unresolvable', midStream: false, inject: () => undefined },
  {
    name: 'no bytes for too long',
    endpoint: 'simulator',
    midStream: false,
    inject: (sim, times, options) => void sim.injectFault({ kind: 'latency', ms: options?.silentMs ?? 3_000 }, { times }),
  },
  // The same silence after part of the answer (the idle timeout rather than the first-byte one).
  { name: 'stall mid-stream', endpoint: 'simulator', midStream: true, inject: (sim, times) => void sim.injectFault({ kind: 'stall', afterChunks: CHUNKS_BEFORE_FAULT }, { times }) },
  { name: 'connection cut mid-stream', endpoint: 'simulator', midStream: true, inject: (sim, times) => void sim.injectFault({ kind: 'cut', afterChunks: CHUNKS_BEFORE_FAULT }, { times }) },
  { name: 'malformed chunk', endpoint: 'simulator', midStream: true, inject: (sim, times) => void sim.injectFault({ kind: 'malformed', afterChunks: CHUNKS_BEFORE_FAULT }, { times }) },
  { name: 'empty choices', endpoint: 'simulator', midStream: false, inject: (sim, times) => void sim.injectFault({ kind: 'emptyChoices' }, { times }) },
];

/** The case called `name` (throws on a typo, so a table cannot silently skip one). */
export function faultCase(name: string): FaultCase {
  const found = FAULT_CASES.find((c) => c.name === name);
  if (!found) {
    throw new Error(`no fault case named ${name}`);
  }
  return found;
}

/** A loopback port that was just free: connecting to it is refused. */
export async function closedLoopbackPort(): Promise<number> {
  const probe = await startSimulator();
  const port = probe.port;
  await probe.close();
  return port;
}
