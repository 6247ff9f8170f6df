import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BilledRequest, WorkerConfig, WorkerMessage } from '../completionSimWorker';

/** The replay's simulators (naive, smart, overhead), served from a worker thread so their work is not counted. */
export interface CompletionSimulators {
  readonly urls: Record<BilledRequest['sim'], string>;
  readonly apiKey: string;
  /** Billing records, appended as the requests close at the servers. */
  readonly billed: BilledRequest[];
  /** Closes the servers (waiting up to 5 s) and ends the worker. */
  close(): Promise<void>;
}

/** Starts the simulator worker (`completionSimWorker.ts`) and waits until its servers listen. */
export async function startCompletionSimulators(config: WorkerConfig): Promise<CompletionSimulators> {
  const worker = new Worker(path.join(__dirname, '..', 'completionSimWorker.js'), { workerData: config });
  const billed: BilledRequest[] = [];
  const ready = new Promise<Extract<WorkerMessage, { type: 'ready' }>>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') {
        resolve(m);
      } else if (m.type === 'request') {
        billed.push(m.request);
      }
    });
    worker.once('error', reject);
  });
  const { urls, apiKey } = await ready;
  return {
    urls,
    apiKey,
    billed,
    close: async () => {
      const closed = new Promise<void>((resolve) => worker.on('message', (m: WorkerMessage) => m.type === 'closed' && resolve()));
      worker.postMessage({ type: 'close' });
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      await worker.terminate();
    },
  };
}
