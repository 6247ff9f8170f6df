/**
 * Decides how a screenshot is cut down before it is sent, and does it.
 *
 * Tall pages: a 1280 × 8000 landing page shrunk into the pixel budget would be ~560 px wide and
 * its text unreadable. Instead the page is cropped to its top `maxAspect × width` pixels (the
 * part a developer builds first: header, hero, first sections) and then scaled into the budget;
 * the prompt tells the model it sees only the top of the page. Wide images are only scaled.
 *
 * Scaling is an exact area average (a box filter over each output pixel's footprint) on
 * premultiplied alpha: for pure downscaling it is as sharp as Lanczos without ringing around
 * text, and it needs no dependency.
 */
import type { ImageLimits } from './imageValidation';

/** Decoded pixels: RGBA, 4 bytes a pixel, rows top to bottom. */
export interface RawImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface DownscalePlan {
  /** Rows kept from the top of the source (equal to the source height when nothing is cropped). */
  keptHeight: number;
  width: number;
  height: number;
  cropped: boolean;
  scaled: boolean;
}

/**
 * Images up to this fraction over the pixel budget are not scaled: shrinking by a few percent
 * saves almost no image tokens but blurs every glyph (and makes the PNG larger).
 */
export const PIXEL_BUDGET_SLACK = 0.1;

export function planDownscale(width: number, height: number, limits: Pick<ImageLimits, 'maxSentPixels' | 'maxSentEdge' | 'maxAspect'>): DownscalePlan {
  const keptHeight = Math.min(height, Math.max(1, Math.floor(width * limits.maxAspect)));
  const pixels = width * keptHeight;
  const byBudget = pixels <= limits.maxSentPixels * (1 + PIXEL_BUDGET_SLACK) ? 1 : Math.sqrt(limits.maxSentPixels / pixels);
  const scale = Math.min(1, limits.maxSentEdge / width, limits.maxSentEdge / keptHeight, byBudget);
  const outW = scale < 1 ? Math.max(1, Math.floor(width * scale)) : width;
  const outH = scale < 1 ? Math.max(1, Math.floor(keptHeight * scale)) : keptHeight;
  return { keptHeight, width: outW, height: outH, cropped: keptHeight < height, scaled: outW < width || outH < keptHeight };
}

interface Taps {
  /** For output index i, its taps are `first[i]` .. `first[i] + count[i] - 1` in the source. */
  first: Int32Array;
  count: Int32Array;
  /** Weights, `maxTaps` per output index. */
  weights: Float32Array;
  maxTaps: number;
}

/** Box-filter taps: each output pixel averages the source pixels its footprint covers, by overlap. */
function boxTaps(src: number, dst: number): Taps {
  const ratio = src / dst;
  const maxTaps = Math.ceil(ratio) + 1;
  const first = new Int32Array(dst);
  const count = new Int32Array(dst);
  const weights = new Float32Array(dst * maxTaps);
  for (let i = 0; i < dst; i++) {
    const lo = i * ratio;
    const hi = Math.min(src, (i + 1) * ratio);
    const start = Math.floor(lo);
    const end = Math.min(src, Math.ceil(hi));
    first[i] = start;
    count[i] = end - start;
    for (let j = start; j < end; j++) {
      const overlap = Math.min(hi, j + 1) - Math.max(lo, j);
      weights[i * maxTaps + (j - start)] = overlap / ratio;
    }
  }
  return { first, count, weights, maxTaps };
}

/** Rows per slice between yields to the event loop (a few milliseconds of work each). */
const ROWS_PER_SLICE = 64;

/**
 * Crops `source` to its top `plan.keptHeight` rows and scales it to `plan.width × plan.height`,
 * yielding to the event loop between slices of rows so the extension host stays responsive.
 * Returns the source itself when the plan changes nothing.
 */
export async function downscale(source: RawImage, plan: DownscalePlan): Promise<RawImage> {
  const { width: sw } = source;
  const sh = plan.keptHeight;
  const { width: dw, height: dh } = plan;
  if (dw === sw && dh === source.height) {
    return source;
  }
  // Pass 1: horizontal, premultiplied, into floats (dw × sh).
  const h = boxTaps(sw, dw);
  const mid = new Float32Array(dw * sh * 4);
  for (let y0 = 0; y0 < sh; y0 += ROWS_PER_SLICE) {
    horizontalRows(source.data, sw, mid, dw, h, y0, Math.min(sh, y0 + ROWS_PER_SLICE));
    await nextTurn();
  }
  // Pass 2: vertical, then un-premultiply into bytes.
  const v = boxTaps(sh, dh);
  const data = new Uint8Array(dw * dh * 4);
  for (let y0 = 0; y0 < dh; y0 += ROWS_PER_SLICE) {
    verticalRows(mid, data, dw, v, y0, Math.min(dh, y0 + ROWS_PER_SLICE));
    await nextTurn();
  }
  return { width: dw, height: dh, data };
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function horizontalRows(src: Uint8Array, sw: number, mid: Float32Array, dw: number, h: Taps, y0: number, y1: number): void {
  for (let y = y0; y < y1; y++) {
    const row = y * sw * 4;
    const out = y * dw * 4;
    for (let x = 0; x < dw; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      const base = x * h.maxTaps;
      for (let k = 0; k < h.count[x]; k++) {
        const p = row + (h.first[x] + k) * 4;
        const wa = (h.weights[base + k] * src[p + 3]) / 255;
        r += src[p] * wa;
        g += src[p + 1] * wa;
        b += src[p + 2] * wa;
        a += h.weights[base + k] * src[p + 3];
      }
      const o = out + x * 4;
      mid[o] = r;
      mid[o + 1] = g;
      mid[o + 2] = b;
      mid[o + 3] = a;
    }
  }
}

function verticalRows(mid: Float32Array, data: Uint8Array, dw: number, v: Taps, y0: number, y1: number): void {
  for (let y = y0; y < y1; y++) {
    const base = y * v.maxTaps;
    for (let x = 0; x < dw; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let k = 0; k < v.count[y]; k++) {
        const p = ((v.first[y] + k) * dw + x) * 4;
        const w = v.weights[base + k];
        r += mid[p] * w;
        g += mid[p + 1] * w;
        b += mid[p + 2] * w;
        a += mid[p + 3] * w;
      }
      const o = (y * dw + x) * 4;
      if (a > 0.5) {
        const un = 255 / a;
        data[o] = clampByte(r * un);
        data[o + 1] = clampByte(g * un);
        data[o + 2] = clampByte(b * un);
      }
      data[o + 3] = clampByte(a);
    }
  }
}

function clampByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}
