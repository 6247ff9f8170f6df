/**
 * Decoding and encoding with small, well-kept pure-JavaScript codecs (no native binaries, so the
 * .vsix runs on every platform): pngjs (PNG decoding, over Node's zlib), jpeg-js (JPEG) and
 * omggif (GIF, first frame); PNG encoding is the few lines below. WebP is not decoded: Kimi
 * takes WebP as it is (see `imagePreparation.ts`).
 */
import type * as JpegJs from 'jpeg-js';
import * as zlib from 'node:zlib';
import type * as OmgGif from 'omggif';
import type * as PngJs from 'pngjs';
import { ImageError } from './imageError';
import type { RawImage } from './imageDownscale';
import type { ImageType } from './imageSniff';

/* eslint-disable @typescript-eslint/no-require-imports -- the codecs load on the first image, not at activation */
const jpegJs = (): typeof JpegJs => require('jpeg-js') as typeof JpegJs;
const omggif = (): typeof OmgGif => require('omggif') as typeof OmgGif;
const pngjs = (): typeof PngJs => require('pngjs') as typeof PngJs;
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Decodes a PNG, JPEG or GIF (its first frame) to RGBA; rejects with `ImageError` `corrupt` when
 * the data is damaged. PNG is parsed asynchronously (zlib off the main thread, unfiltering in
 * slices), so the extension host stays responsive while a large screenshot decodes.
 */
export async function decodeImage(type: Exclude<ImageType, 'webp'>, bytes: Uint8Array, name = 'The image'): Promise<RawImage> {
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    switch (type) {
      case 'png': {
        const png = await parsePng(buffer);
        return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
      }
      case 'jpeg': {
        if (!hasJpegEnd(bytes)) {
          throw new Error('no end-of-image marker: the file is cut off');
        }
        const img = jpegJs().decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 100, maxMemoryUsageInMB: 1024 });
        return { width: img.width, height: img.height, data: img.data };
      }
      case 'gif': {
        const reader = new (omggif().GifReader)(buffer);
        const data = new Uint8Array(reader.width * reader.height * 4);
        reader.decodeAndBlitFrameRGBA(0, data);
        return { width: reader.width, height: reader.height, data };
      }
    }
  } catch (err) {
    if (ImageError.is(err)) {
      throw err;
    }
    const detail = err instanceof Error ? err.message : String(err);
    throw new ImageError('corrupt', `${name} is a damaged ${type.toUpperCase()} file and cannot be read (${detail.slice(0, 120)}).`);
  }
}

function parsePng(buffer: Buffer): Promise<PngJs.PNG> {
  const { PNG } = pngjs();
  return new Promise((resolve, reject) => {
    new PNG().parse(buffer, (err, png) => (err ? reject(err) : resolve(png)));
  });
}

/** A JPEG ends with FF D9 (some writers pad after it): a file without one is truncated. */
function hasJpegEnd(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 2; i >= Math.max(2, bytes.length - 4096); i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) {
      return true;
    }
  }
  return false;
}

export function hasTransparency(image: RawImage): boolean {
  const d = image.data;
  for (let i = 3; i < d.length; i += 4) {
    if (d[i] !== 255) {
      return true;
    }
  }
  return false;
}

const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ROWS_PER_SLICE = 64;

/**
 * Lossless PNG, RGB (smaller) unless the image has transparent pixels. A small encoder of its own
 * rather than pngjs's packer, which filters the whole image in one synchronous call (about a
 * second for 2.5 MP on a busy machine): here rows are Paeth-filtered in slices with a yield
 * between them, and deflate runs on a libuv thread. Paeth alone compresses screenshots within a
 * few percent of pngjs's adaptive filtering at a fraction of the cost.
 */
export async function encodePng(image: RawImage): Promise<Uint8Array> {
  const { width, height, data } = image;
  const bpp = hasTransparency(image) ? 4 : 3;
  const stride = width * bpp;
  const filtered = new Uint8Array((stride + 1) * height);
  const row = new Uint8Array(stride);
  const prev = new Uint8Array(stride);
  for (let y0 = 0; y0 < height; y0 += ROWS_PER_SLICE) {
    for (let y = y0; y < Math.min(height, y0 + ROWS_PER_SLICE); y++) {
      for (let x = 0, s = y * width * 4, d = 0; x < width; x++, s += 4, d += bpp) {
        row[d] = data[s];
        row[d + 1] = data[s + 1];
        row[d + 2] = data[s + 2];
        if (bpp === 4) {
          row[d + 3] = data[s + 3];
        }
      }
      const out = y * (stride + 1);
      filtered[out] = 4; // Paeth
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? row[i - bpp] : 0;
        const b = prev[i];
        const c = i >= bpp ? prev[i - bpp] : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        const predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        filtered[out + 1 + i] = (row[i] - predictor) & 0xff;
      }
      prev.set(row);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const idat = await new Promise<Buffer>((resolve, reject) => zlib.deflate(filtered, { level: 6 }, (err, out) => (err ? reject(err) : resolve(out))));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = bpp === 4 ? 6 : 2; // RGBA or RGB
  const png = Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

function pngChunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.byteLength, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body, zlib.crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, body, crc]);
}

/** JPEG at `quality` (1–100); transparent pixels are flattened onto white. */
export function encodeJpeg(image: RawImage, quality: number): Uint8Array {
  const flat = new Uint8Array(image.data.length);
  const d = image.data;
  for (let i = 0; i < d.length; i += 4) {
    const a = d[i + 3] / 255;
    flat[i] = Math.round(d[i] * a + 255 * (1 - a));
    flat[i + 1] = Math.round(d[i + 1] * a + 255 * (1 - a));
    flat[i + 2] = Math.round(d[i + 2] * a + 255 * (1 - a));
    flat[i + 3] = 255;
  }
  const out = jpegJs().encode({ width: image.width, height: image.height, data: flat }, quality);
  return new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
}
