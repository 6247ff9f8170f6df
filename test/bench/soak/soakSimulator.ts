import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SoakServerStats, SoakWorkerConfig, SoakWorkerMessage } from '../soakSimWorker';

/** The soak's simulator, running in a worker thread (its request log is not the client's heap). */
export interface SoakSimulator {
  readonly baseUrl: string;
  readonly apiKey: string;
  /** What the server has seen so far. */
  stats(): Promise<SoakServerStats>;
  /** Closes the server and waits for the worker to exit. */
  close(): Promise<void>;
}

/** Starts the simulator worker (`soakSimWorker.ts`) and waits until it listens. */
export async function startSoakSimulator(config: SoakWorkerConfig): Promise<SoakSimulator> {
  const worker = new Worker(path.join(__dirname, '..', 'soakSimWorker.js'), { workerData: config });
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
  return {
    baseUrl: ready.baseUrl,
    apiKey: ready.apiKey,
    stats: serverStats,
    close: async () => {
      worker.postMessage({ type: 'close' });
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}
