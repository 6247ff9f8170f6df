/**
 * Decoding and encoding with small, well-kept pure-JavaScript codecs (no native binaries, so the
 * .vsix runs on every platform): pngjs (PNG, over Node's zlib), jpeg-js (JPEG) and omggif (GIF,
 * first frame). WebP is not decoded: Kimi takes WebP as it is (see `imagePreparation.ts`).
 */
import * as jpeg from 'jpeg-js';
import { GifReader } from 'omggif';
import { PNG } from 'pngjs';
import { ImageError } from './imageError';
import type { RawImage } from './imageDownscale';
import type { ImageType } from './imageSniff';

/** Decodes a PNG, JPEG or GIF (its first frame) to RGBA; throws `ImageError` `corrupt` when the data is damaged. */
export function decodeImage(type: Exclude<ImageType, 'webp'>, bytes: Uint8Array, name = 'The image'): RawImage {
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    switch (type) {
      case 'png': {
        const png = PNG.sync.read(buffer);
        return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
      }
      case 'jpeg': {
        if (!hasJpegEnd(bytes)) {
          throw new Error('no end-of-image marker: the file is cut off');
        }
        const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 100, maxMemoryUsageInMB: 1024 });
        return { width: img.width, height: img.height, data: img.data };
      }
      case 'gif': {
        const reader = new GifReader(buffer);
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

/** Lossless PNG; RGB (smaller) unless the image has transparent pixels. */
export function encodePng(image: RawImage): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  const out = PNG.sync.write(png, { colorType: hasTransparency(image) ? 6 : 2, deflateLevel: 6 });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
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
  const out = jpeg.encode({ width: image.width, height: image.height, data: flat }, quality);
  return new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
}
