import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** `global.gc`, or the same function obtained at run time when node was not started with --expose-gc. */
export function forcedGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) {
    return existing;
  }
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Heap in use after full collections (a few rounds, so weak and finalised objects go too). */
export async function settledHeap(gc: () => void): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}
