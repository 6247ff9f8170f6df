import type { IncomingMessage } from 'node:http';
import { isJsonObject } from './jsonObject';
import type { JsonObject } from './types';

/** Reads a request body; past `limit` bytes the rest is drained and `text` is undefined. */
export function readBody(req: IncomingMessage, limit: number): Promise<{ text: string | undefined; bytes: number }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) {
        chunks.push(chunk);
      } else {
        chunks.length = 0;
      }
    });
    const done = (): void => resolve({ text: bytes <= limit ? Buffer.concat(chunks).toString('utf8') : undefined, bytes });
    req.on('end', done);
    req.on('error', done);
  });
}

/** The body as a JSON object, or undefined when it is empty, not JSON, or not an object. */
export function parseJsonObject(text: string | undefined): JsonObject | undefined {
  if (!text) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
