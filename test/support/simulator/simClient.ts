import type { KimiSimulator } from './kimiSimulator';
import { parseSse } from './sseRecordings';
import type { Usage } from './types';

/** A minimal raw client for tests of the simulator itself (global `fetch`, no SDK). */
export interface SimCall {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

export interface SimCallOptions {
  /** Bearer key; default the simulator's key; null sends no Authorization header. */
  key?: string | null;
  method?: 'GET' | 'POST';
  signal?: AbortSignal;
}

/** Calls `path` (relative to `/v1`) and reads the whole body as text. */
export async function callSim(sim: KimiSimulator, path: string, body?: unknown, options: SimCallOptions = {}): Promise<SimCall> {
  const response = await fetchSim(sim, path, body, options);
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** Calls `path` and returns the fetch Response (for reading a stream step by step). */
export function fetchSim(sim: KimiSimulator, path: string, body?: unknown, options: SimCallOptions = {}): Promise<Response> {
  const key = options.key === undefined ? sim.apiKey : options.key;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) {
    headers.authorization = `Bearer ${key}`;
  }
  return fetch(`${sim.baseUrl}${path}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: options.signal,
  });
}

/** A streamed chunk as the simulator (and Kimi) sends it. */
export interface ChunkJson {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: {
      role?: string;
      content?: string;
      reasoning_content?: string;
      tool_calls?: Array<{ index: number; id?: string; type?: string; function: { name?: string; arguments: string } }>;
    };
    finish_reason: string | null;
    usage?: Usage;
  }>;
  usage?: Usage;
}

/** The parsed chunks of an SSE body, and whether it ended with `[DONE]`. */
export function sseChunks(text: string): { chunks: ChunkJson[]; done: boolean } {
  const { payloads, hasDone } = parseSse(text);
  return { chunks: payloads.map((p) => JSON.parse(p) as ChunkJson), done: hasDone };
}

/** Joined `content` and `reasoning_content` deltas of parsed chunks. */
export function joinDeltas(chunks: readonly ChunkJson[]): { content: string; reasoning: string } {
  let content = '';
  let reasoning = '';
  for (const chunk of chunks) {
    for (const choice of chunk.choices) {
      content += choice.delta.content ?? '';
      reasoning += choice.delta.reasoning_content ?? '';
    }
  }
  return { content, reasoning };
}
