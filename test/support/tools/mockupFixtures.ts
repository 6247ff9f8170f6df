/**
 * Test and benchmark inputs for the mockup feature: the shared real screenshots (read from
 * `../shared/data/mockups` at run time, never copied into the repo: research-use licence) and
 * small synthetic images made on the spot.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { GifWriter } from 'omggif';
import { PNG } from 'pngjs';
import { repoRoot } from '../repoRoot';

/** `../shared/data/mockups` next to the repository. */
export function sharedMockupsDir(): string {
  return path.resolve(repoRoot, '..', 'shared', 'data', 'mockups');
}

/** The shared screenshots (absolute paths, sorted); throws with a clear message when absent. */
export function sharedMockups(): string[] {
  const dir = sharedMockupsDir();
  if (!fs.existsSync(dir)) {
    throw new Error(`the shared mockups are missing: expected PNG screenshots in ${dir}`);
  }
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(png|jpe?g|webp|gif)$/i.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** A page-like RGBA test pattern: header bar, text-like stripes, a semi-transparent corner. */
export function patternPixels(width: number, height: number, options: { alpha?: boolean } = {}): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const header = y < Math.min(60, height / 4);
      const stripe = !header && y % 24 < 10 && x % 80 < 60;
      const [r, g, b] = header ? [30, 41, 59] : stripe ? [15, 23, 42] : [248, 250, 252];
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
      data[i + 3] = options.alpha && x < width / 8 && y < height / 8 ? 128 : 255;
    }
  }
  return data;
}

export function makePng(width: number, height: number, options: { alpha?: boolean } = {}): Buffer {
  const png = new PNG({ width, height });
  png.data = Buffer.from(patternPixels(width, height, options));
  return PNG.sync.write(png);
}

export function makeJpeg(width: number, height: number, quality = 85): Buffer {
  return jpeg.encode({ width, height, data: patternPixels(width, height) }, quality).data;
}

export function makeGif(width: number, height: number): Buffer {
  const buf = Buffer.alloc(width * height * 2 + 1024);
  const writer = new GifWriter(buf, width, height, { palette: [0xf8fafc, 0x0f172a, 0x1e293b, 0x000000] });
  const indexed: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      indexed.push(y < 10 ? 2 : y % 12 < 5 && x % 40 < 30 ? 1 : 0);
    }
  }
  writer.addFrame(0, 0, width, height, indexed);
  return buf.subarray(0, writer.end());
}

/** A minimal lossless WebP container header (VP8L) declaring `width × height`; not decodable pixels. */
export function makeWebpHeader(width: number, height: number, payloadBytes = 64): Buffer {
  const body = Buffer.alloc(payloadBytes);
  const chunk = Buffer.alloc(8 + 5);
  chunk.write('VP8L', 0, 'latin1');
  chunk.writeUInt32LE(5 + payloadBytes, 4);
  chunk[8] = 0x2f;
  chunk.writeUInt32LE(((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14), 9);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(4 + chunk.length + body.length, 4);
  riff.write('WEBP', 8, 'latin1');
  return Buffer.concat([riff, chunk, body]);
}
