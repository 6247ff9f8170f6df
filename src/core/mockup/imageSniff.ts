/**
 * Tells an image's type and dimensions from its first bytes (magic numbers and headers), never
 * from its file name: a `.png` that holds HTML is not an image, and a JPEG named `.png` is a JPEG.
 */
import { ImageError } from './imageError';

export type ImageType = 'png' | 'jpeg' | 'webp' | 'gif';

export interface ImageHeader {
  type: ImageType;
  mime: `image/${ImageType}`;
  width: number;
  height: number;
}

const MIME: Record<ImageType, ImageHeader['mime']> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };

export function mimeOf(type: ImageType): ImageHeader['mime'] {
  return MIME[type];
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

/** The type by magic bytes alone, or undefined when the bytes are none of png, jpeg, webp, gif. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(bytes, 1, 3) === 'PNG' && bytes[4] === 0x0d && bytes[5] === 0x0a && bytes[6] === 0x1a && bytes[7] === 0x0a) {
    return 'png';
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'jpeg';
  }
  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) {
    return 'gif';
  }
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    return 'webp';
  }
  return undefined;
}

/**
 * Type and dimensions from the header. Throws `ImageError` `notImage` for other bytes and
 * `corrupt` when the magic matches but the header is truncated or nonsensical.
 */
export function readImageHeader(bytes: Uint8Array, name = 'The file'): ImageHeader {
  const type = sniffImageType(bytes);
  if (!type) {
    throw new ImageError('notImage', `${name} is not a PNG, JPEG, WebP or GIF image (its content says so, whatever its name).`);
  }
  const size = dimensions(type, bytes);
  if (!size || size.width <= 0 || size.height <= 0) {
    throw new ImageError('corrupt', `${name} looks like a ${type.toUpperCase()} image but its header is damaged or cut off.`);
  }
  return { type, mime: MIME[type], ...size };
}

type Size = { width: number; height: number } | undefined;

function dimensions(type: ImageType, b: Uint8Array): Size {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (type) {
    case 'png':
      // The first chunk must be IHDR: length(4) "IHDR" width(4) height(4).
      return b.length >= 24 && ascii(b, 12, 4) === 'IHDR' ? { width: view.getUint32(16), height: view.getUint32(20) } : undefined;
    case 'gif':
      return b.length >= 10 ? { width: view.getUint16(6, true), height: view.getUint16(8, true) } : undefined;
    case 'jpeg':
      return jpegSize(b, view);
    case 'webp':
      return webpSize(b, view);
  }
}

/** Walks the JPEG markers to the first start-of-frame (SOF0–SOF15 except DHT, JPG, DAC). */
function jpegSize(b: Uint8Array, view: DataView): Size {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) {
      return undefined;
    }
    const marker = b[i + 1];
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    const length = view.getUint16(i + 2);
    if (length < 2) {
      return undefined;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
    }
    i += 2 + length;
  }
  return undefined;
}

/** WebP: the first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended, canvas size). */
function webpSize(b: Uint8Array, view: DataView): Size {
  if (b.length < 30) {
    return undefined;
  }
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    // Frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height.
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) {
      return undefined;
    }
    return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) {
      return undefined;
    }
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    const w = b[24] | (b[25] << 8) | (b[26] << 16);
    const h = b[27] | (b[28] << 8) | (b[29] << 16);
    return { width: w + 1, height: h + 1 };
  }
  return undefined;
}
