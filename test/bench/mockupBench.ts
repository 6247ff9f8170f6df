/**
 * `npm run bench -- mockup`: for each shared mockup screenshot (and two synthetic extremes), the
 * time to prepare it for sending (decode, downscale, encode) and the payload versus the file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareMockupImage, toDataUrl, type PreparedImage } from '../../src/core/mockup/imagePreparation';
import { formatBytes } from '../../src/core/mockup/imageValidation';
import { makePng, sharedMockups } from '../support/tools/mockupFixtures';
import { percentile, type BenchTable } from './benchTable';
import type { Benchmark } from './registry';

const RUNS = 5;

async function measure(bytes: Uint8Array, name: string): Promise<{ stall: number; prepared: PreparedImage; medianMs: number; decode: number; resize: number; encode: number }> {
  const totals: number[] = [];
  let prepared: PreparedImage | undefined;
  const parts = { decode: [] as number[], resize: [] as number[], encode: [] as number[] };
  let stall = 0;
  for (let i = 0; i < RUNS; i++) {
    // The longest time the event loop could not run a 1 ms timer: how long the extension host would freeze.
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      stall = Math.max(stall, now - last);
      last = now;
    }, 1);
    const started = performance.now();
    prepared = await prepareMockupImage(bytes, { name });
    totals.push(performance.now() - started);
    clearInterval(probe);
    stall = Math.max(stall, performance.now() - last);
    parts.decode.push(prepared.timings.decodeMs);
    parts.resize.push(prepared.timings.resizeMs);
    parts.encode.push(prepared.timings.encodeMs);
  }
  return { stall, prepared: prepared as PreparedImage, medianMs: percentile(totals, 50), decode: percentile(parts.decode, 50), resize: percentile(parts.resize, 50), encode: percentile(parts.encode, 50) };
}

export const mockupBenchmark: Benchmark = {
  name: 'mockup',
  async run(): Promise<BenchTable[]> {
    const inputs: { name: string; bytes: Uint8Array }[] = sharedMockups().map((file) => ({ name: path.basename(file), bytes: new Uint8Array(fs.readFileSync(file)) }));
    inputs.push({ name: 'synthetic 4K (3840×2160)', bytes: new Uint8Array(makePng(3840, 2160)) });
    inputs.push({ name: 'synthetic tall (1280×9000)', bytes: new Uint8Array(makePng(1280, 9000)) });
    const rows: (string | number)[][] = [];
    for (const input of inputs) {
      const m = await measure(input.bytes, input.name);
      const p = m.prepared;
      rows.push([
        input.name,
        `${p.original.width}×${p.original.height}`,
        `${p.width}×${p.height}`,
        p.action + (p.crop ? ' (top cropped)' : ''),
        p.mime.replace('image/', ''),
        formatBytes(p.original.byteLength),
        formatBytes(p.bytes.byteLength),
        `${((p.bytes.byteLength / p.original.byteLength) * 100).toFixed(0)} %`,
        formatBytes(toDataUrl(p).length),
        Math.round(m.decode),
        Math.round(m.resize),
        Math.round(m.encode),
        Math.round(m.medianMs),
        Math.round(m.stall),
      ]);
    }
    return [
      {
        title: `Mockup image preparation (median of ${RUNS} runs, Node ${process.version})`,
        columns: ['image', 'original', 'sent', 'action', 'format', 'file', 'payload', 'payload/file', 'data URL', 'decode ms', 'resize ms', 'encode ms', 'total ms', 'longest stall ms'],
        rows,
        notes: [
          'Budget: 2.5 MP (10 % slack), longest edge 2560 px, pages taller than 2.5 × their width cropped to the top. Images within budget are sent byte for byte (decoded once only to catch corrupt files).',
          'Longest stall: the longest the event loop (the extension host) was blocked during preparation, over all runs; PNG inflate and deflate run on libuv threads; resizing and PNG filtering yield every 64 rows.',
        ],
      },
    ];
  },
};
