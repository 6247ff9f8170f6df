import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject, RecordedRequest } from './types';

/** What the server knows about a request once its body was read. */
export interface Arrival {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly path: string;
  readonly body: JsonObject | undefined;
  readonly rawBody: string;
  readonly bodyBytes: number;
}

/**
 * The simulator's record of requests, with waiting helpers so tests never sleep. Each record is
 * updated in place as its response progresses: `status` at the head, `completed` when the response
 * was fully written, `closedByClient` when the connection closed before that.
 */
export class RequestLog {
  readonly requests: RecordedRequest[] = [];
  private readonly events = new EventEmitter();
  private nextId = 1;

  constructor() {
    this.events.setMaxListeners(0);
  }

  /** Records an arrival and tracks its response. */
  record(arrival: Arrival): RecordedRequest {
    const { req, res } = arrival;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) {
        headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
    }
    const record: RecordedRequest = {
      id: this.nextId++,
      method: req.method ?? 'GET',
      path: arrival.path,
      headers,
      body: arrival.body,
      rawBody: arrival.rawBody,
      bodyBytes: arrival.bodyBytes,
      time: Date.now(),
      status: undefined,
      completed: false,
      closedByClient: false,
      cutByServer: false,
      closedAt: undefined,
      reasoningReplayed: undefined,
    };
    const writeHead = res.writeHead.bind(res);
    res.writeHead = ((...args: Parameters<ServerResponse['writeHead']>) => {
      record.status = args[0];
      return writeHead(...args);
    }) as ServerResponse['writeHead'];
    res.on('finish', () => {
      record.completed = true;
    });
    res.on('close', () => {
      record.closedAt = Date.now();
      if (!res.writableFinished && !record.cutByServer) {
        record.closedByClient = true;
      }
      this.events.emit('close', record);
    });
    this.requests.push(record);
    this.events.emit('request', record);
    return record;
  }

  /**
   * Resolves with the first request (already recorded or arriving later) that matches `pred`;
   * rejects after `timeoutMs`.
   */
  waitForRequest(pred: (req: RecordedRequest) => boolean = () => true, timeoutMs = 5000): Promise<RecordedRequest> {
    const found = this.requests.find(pred);
    if (found) {
      return Promise.resolve(found);
    }
    return this.waitForEvent('request', pred, timeoutMs, 'a matching request');
  }

  /** Resolves once the response to `req` has closed (completed, cut, or closed by the client). */
  waitForClose(req: RecordedRequest, timeoutMs = 5000): Promise<RecordedRequest> {
    if (req.closedAt !== undefined) {
      return Promise.resolve(req);
    }
    return this.waitForEvent('close', (r) => r === req, timeoutMs, `request #${req.id} to close`);
  }

  clear(): void {
    this.requests.length = 0;
  }

  private waitForEvent(
    event: 'request' | 'close',
    pred: (req: RecordedRequest) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<RecordedRequest> {
    return new Promise((resolve, reject) => {
      const onEvent = (record: RecordedRequest): void => {
        if (pred(record)) {
          clearTimeout(timer);
          this.events.off(event, onEvent);
          resolve(record);
        }
      };
      const timer = setTimeout(() => {
        this.events.off(event, onEvent);
        reject(new Error(`Kimi simulator: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.events.on(event, onEvent);
    });
  }
}
