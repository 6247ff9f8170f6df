/**
 * The limits an image must meet before Moonpilot decodes or sends it, and the checks that say
 * plainly which limit was missed. Checks run on the header (see `imageSniff.ts`), before any
 * pixel is decoded, so a 500-megapixel bomb costs nothing.
 */
import { ImageError } from './imageError';
import type { ImageHeader } from './imageSniff';

export interface ImageLimits {
  /** Files larger than this are refused unread (bytes). */
  maxFileBytes: number;
  /** Images with more pixels are refused before decoding (RGBA needs 4 bytes a pixel). */
  maxSourcePixels: number;
  /** Images narrower or shorter than this carry no readable layout. */
  minEdge: number;
  /** Pixel budget of the image that is sent; larger ones are downscaled to it. */
  maxSentPixels: number;
  /** Longest edge of the image that is sent. */
  maxSentEdge: number;
  /**
   * Tallest page kept, as height / width. Taller screenshots are cropped to their top part
   * (and the prompt says so) instead of being shrunk until their text is unreadable.
   */
  maxAspect: number;
  /** Largest encoded image that is sent (bytes before base64). */
  maxPayloadBytes: number;
}

/**
 * Defaults: 2.5 megapixels keeps a full-HD screenshot (2.07 MP) untouched and text legible in a
 * 1280 × 2000 page, while bounding the image's token cost; Kimi takes requests up to 100 MB,
 * far more than 8 MB of image.
 */
export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  maxFileBytes: 40 * 1024 * 1024,
  maxSourcePixels: 50_000_000,
  minEdge: 16,
  maxSentPixels: 2_500_000,
  maxSentEdge: 2_560,
  maxAspect: 2.5,
  maxPayloadBytes: 8 * 1024 * 1024,
};

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) {
    return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  }
  if (n >= 1024) {
    return `${Math.round(n / 1024)} KB`;
  }
  return `${n} bytes`;
}

/** Refuses a file by size alone (before its header is even read). */
export function checkFileSize(byteLength: number, limits: ImageLimits, name = 'The image'): void {
  if (byteLength === 0) {
    throw new ImageError('notImage', `${name} is empty.`);
  }
  if (byteLength > limits.maxFileBytes) {
    throw new ImageError('tooLarge', `${name} is ${formatBytes(byteLength)}; Moonpilot reads images up to ${formatBytes(limits.maxFileBytes)}. Export a smaller screenshot.`);
  }
}

/** Refuses dimensions that are too small to read or too large to decode safely. */
export function checkDimensions(header: ImageHeader, limits: ImageLimits, name = 'The image'): void {
  const { width, height } = header;
  if (width < limits.minEdge || height < limits.minEdge) {
    throw new ImageError('tooSmall', `${name} is only ${width} × ${height} pixels; a mockup needs at least ${limits.minEdge} × ${limits.minEdge}.`);
  }
  const megapixels = (width * height) / 1e6;
  if (width * height > limits.maxSourcePixels) {
    throw new ImageError(
      'tooLarge',
      `${name} is ${width} × ${height} pixels (${megapixels.toFixed(0)} MP); Moonpilot downscales images up to ${(limits.maxSourcePixels / 1e6).toFixed(0)} MP. Crop it or export it smaller.`,
    );
  }
}
