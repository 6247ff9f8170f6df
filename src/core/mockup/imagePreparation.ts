/**
 * Turns the bytes of a user's image into what is sent to Kimi: checked by content, decoded (so a
 * damaged file is caught here, not by the server), cropped and downscaled when over the budget,
 * re-encoded, and wrapped as a data URL.
 *
 * An image already within every limit is sent byte for byte as it came (no quality lost, and
 * Kimi takes png, jpeg, webp and gif alike). A changed image is re-encoded as PNG (lossless, text
 * stays crisp) unless it came as a JPEG or the PNG is over the payload limit; then JPEG.
 */
import { decodeImage, encodeJpeg, encodePng } from './imageCodec';
import { downscale, planDownscale } from './imageDownscale';
import { ImageError } from './imageError';
import { mimeOf, readImageHeader, type ImageHeader } from './imageSniff';
import { checkDimensions, checkFileSize, DEFAULT_IMAGE_LIMITS, formatBytes, type ImageLimits } from './imageValidation';

export interface PreparedImage {
  mime: ImageHeader['mime'];
  bytes: Uint8Array;
  width: number;
  height: number;
  original: { mime: ImageHeader['mime']; width: number; height: number; byteLength: number };
  /** Set when a tall page was cropped to its top: the prompt tells the model. */
  crop?: { keptHeight: number; fullHeight: number };
  /** What was done: sent as it came, or downscaled / cropped and re-encoded. */
  action: 'unchanged' | 'downscaled' | 'reencoded';
  /** Facts worth a log line (e.g. a WebP sent at full size). */
  notes: string[];
  /** Milliseconds spent decoding, resizing and encoding (for the benchmark and the log). */
  timings: { decodeMs: number; resizeMs: number; encodeMs: number };
}

export interface PrepareOptions {
  /** How the image is named in messages, e.g. `"hero.png"`. */
  name?: string;
  limits?: ImageLimits;
}

/**
 * Rejects with `ImageError` (notImage, corrupt, tooLarge, tooSmall) with a message for the user.
 * Asynchronous in slices (see `imageCodec.ts`, `imageDownscale.ts`): a large screenshot never
 * blocks the extension host for long.
 */
export async function prepareMockupImage(bytes: Uint8Array, options: PrepareOptions = {}): Promise<PreparedImage> {
  const name = options.name ?? 'The image';
  const limits = options.limits ?? DEFAULT_IMAGE_LIMITS;
  checkFileSize(bytes.byteLength, limits, name);
  const header = readImageHeader(bytes, name);
  checkDimensions(header, limits, name);
  const plan = planDownscale(header.width, header.height, limits);
  const original = { mime: header.mime, width: header.width, height: header.height, byteLength: bytes.byteLength };
  const timings = { decodeMs: 0, resizeMs: 0, encodeMs: 0 };

  if (header.type === 'webp') {
    return prepareWebp(bytes, header, plan.cropped || plan.scaled, limits, name);
  }

  let t = performance.now();
  const raw = await decodeImage(header.type, bytes, name);
  timings.decodeMs = performance.now() - t;
  if (raw.width !== header.width || raw.height !== header.height) {
    throw new ImageError('corrupt', `${name} is damaged: its header says ${header.width} × ${header.height} but its pixels are ${raw.width} × ${raw.height}.`);
  }
  const changesPixels = plan.cropped || plan.scaled;
  if (!changesPixels && bytes.byteLength <= limits.maxPayloadBytes) {
    return { mime: header.mime, bytes, width: header.width, height: header.height, original, action: 'unchanged', notes: [], timings };
  }

  t = performance.now();
  const resized = await downscale(raw, plan);
  timings.resizeMs = performance.now() - t;

  t = performance.now();
  let encoded = header.type === 'jpeg' ? { mime: mimeOf('jpeg'), bytes: encodeJpeg(resized, 90) } : { mime: mimeOf('png'), bytes: await encodePng(resized) };
  for (const quality of [85, 70]) {
    if (encoded.bytes.byteLength <= limits.maxPayloadBytes) {
      break;
    }
    encoded = { mime: mimeOf('jpeg'), bytes: encodeJpeg(resized, quality) };
  }
  timings.encodeMs = performance.now() - t;
  if (encoded.bytes.byteLength > limits.maxPayloadBytes) {
    throw new ImageError(
      'tooLarge',
      `${name} is still ${formatBytes(encoded.bytes.byteLength)} after downscaling to ${resized.width} × ${resized.height}; the limit is ${formatBytes(limits.maxPayloadBytes)}. Crop it or export a simpler screenshot.`,
    );
  }
  const notes: string[] = [];
  const crop = plan.cropped ? { keptHeight: plan.keptHeight, fullHeight: header.height } : undefined;
  if (crop) {
    notes.push(`tall page: kept the top ${crop.keptHeight} of ${crop.fullHeight} px`);
  }
  return {
    ...encoded,
    width: resized.width,
    height: resized.height,
    original,
    crop,
    action: changesPixels ? 'downscaled' : 'reencoded',
    notes,
    timings,
  };
}

/**
 * WebP is sent as it came (Moonpilot bundles no WebP decoder): only its container is checked
 * for truncation, and one over the pixel budget goes at full size (more image tokens) unless
 * its bytes are over the payload limit.
 */
function prepareWebp(bytes: Uint8Array, header: ImageHeader, overBudget: boolean, limits: ImageLimits, name: string): PreparedImage {
  const riffSize = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (riffSize + 8 > bytes.byteLength) {
    throw new ImageError('corrupt', `${name} is a damaged WebP file: it is cut off (${bytes.byteLength} of ${riffSize + 8} bytes).`);
  }
  if (bytes.byteLength > limits.maxPayloadBytes) {
    throw new ImageError(
      'tooLarge',
      `${name} is a ${formatBytes(bytes.byteLength)} WebP; Moonpilot sends up to ${formatBytes(limits.maxPayloadBytes)} and cannot downscale WebP. Convert it to PNG or JPEG.`,
    );
  }
  const notes = overBudget ? [`WebP ${header.width} × ${header.height} sent at full size (WebP is not downscaled)`] : [];
  const original = { mime: header.mime, width: header.width, height: header.height, byteLength: bytes.byteLength };
  return { mime: header.mime, bytes, width: header.width, height: header.height, original, action: 'unchanged', notes, timings: { decodeMs: 0, resizeMs: 0, encodeMs: 0 } };
}

/** `data:image/png;base64,...`: the only image form Kimi's official API accepts. */
export function toDataUrl(image: Pick<PreparedImage, 'mime' | 'bytes'>): string {
  return `data:${image.mime};base64,${Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength).toString('base64')}`;
}
