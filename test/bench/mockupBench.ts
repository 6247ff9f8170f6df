/**
 * `npm run bench -- mockup`: for each shared mockup screenshot (and two synthetic extremes), the
 * time to prepare it for sending (decode, downscale, encode) and the payload versus the file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareMockupImage, toDataUrl, type PreparedImage } from '../../src/core/mockup/imagePreparation';
import { formatBytes } from '../../src/core/mockup/imageValidation';
import { makePng, sharedMockups } from '../tools/mockupFixtures';
import { percentile, type BenchTable } from './benchTable';
import type { Benchmark } from './registry';

const RUNS = 5;

function measure(bytes: Uint8Array, name: string): { prepared: PreparedImage; medianMs: number; decode: number; resize: number; encode: number } {
  const totals: number[] = [];
  let prepared: PreparedImage | undefined;
  const parts = { decode: [] as number[], resize: [] as number[], encode: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    prepared = prepareMockupImage(bytes, { name });
    totals.push(performance.now() - started);
    parts.decode.push(prepared.timings.decodeMs);
    parts.resize.push(prepared.timings.resizeMs);
    parts.encode.push(prepared.timings.encodeMs);
  }
  return { prepared: prepared as PreparedImage, medianMs: percentile(totals, 50), decode: percentile(parts.decode, 50), resize: percentile(parts.resize, 50), encode: percentile(parts.encode, 50) };
}

export const mockupBenchmark: Benchmark = {
  name: 'mockup',
  async run(): Promise<BenchTable[]> {
    const inputs: { name: string; bytes: Uint8Array }[] = sharedMockups().map((file) => ({ name: path.basename(file), bytes: new Uint8Array(fs.readFileSync(file)) }));
    inputs.push({ name: 'synthetic 4K (3840×2160)', bytes: new Uint8Array(makePng(3840, 2160)) });
    inputs.push({ name: 'synthetic tall (1280×9000)', bytes: new Uint8Array(makePng(1280, 9000)) });
    const rows: (string | number)[][] = [];
    for (const input of inputs) {
      const m = measure(input.bytes, input.name);
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
      ]);
    }
    return [
      {
        title: `Mockup image preparation (median of ${RUNS} runs, Node ${process.version})`,
        columns: ['image', 'original', 'sent', 'action', 'format', 'file', 'payload', 'payload/file', 'data URL', 'decode ms', 'resize ms', 'encode ms', 'total ms'],
        rows,
        notes: [
          'Budget: 2.5 MP (10 % slack), longest edge 2560 px, pages taller than 2.5 × their width cropped to the top. Images within budget are sent byte for byte (decoded once only to catch corrupt files).',
        ],
      },
    ];
  },
};
