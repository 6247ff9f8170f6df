import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { decodeImage, encodePng } from '../../../src/core/mockup/imageCodec';
import { downscale, planDownscale } from '../../../src/core/mockup/imageDownscale';
import { ImageError } from '../../../src/core/mockup/imageError';
import { prepareMockupImage, toDataUrl } from '../../../src/core/mockup/imagePreparation';
import { readImageHeader, sniffImageType } from '../../../src/core/mockup/imageSniff';
import { checkDimensions, checkFileSize, DEFAULT_IMAGE_LIMITS } from '../../../src/core/mockup/imageValidation';
import { makeGif, makeJpeg, makePng, makeWebpHeader, patternPixels, sharedMockups, sharedMockupsDir } from '../../support/tools/mockupFixtures';

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

async function rejectsKind(fn: () => unknown, kind: ImageError['kind'], message?: RegExp): Promise<void> {
  await assert.rejects(async () => fn(), (err: unknown) => {
    assert.ok(ImageError.is(err), `expected an ImageError, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    if (message) {
      assert.match(err.message, message);
    }
    return true;
  });
}

describe('mockup image: sniffing by bytes', () => {
  it('tells png, jpeg, gif and webp by magic bytes with their dimensions', async () => {
    assert.deepEqual(readImageHeader(bytes(makePng(33, 21))), { type: 'png', mime: 'image/png', width: 33, height: 21 });
    assert.deepEqual(readImageHeader(bytes(makeJpeg(40, 30))), { type: 'jpeg', mime: 'image/jpeg', width: 40, height: 30 });
    assert.deepEqual(readImageHeader(bytes(makeGif(50, 20))), { type: 'gif', mime: 'image/gif', width: 50, height: 20 });
    assert.deepEqual(readImageHeader(bytes(makeWebpHeader(3000, 1200))), { type: 'webp', mime: 'image/webp', width: 3000, height: 1200 });
  });

  it('ignores the file name: HTML is not an image whatever it is called', async () => {
    const html = bytes(Buffer.from('<!DOCTYPE html><html><body>hi</body></html>'));
    assert.equal(sniffImageType(html), undefined);
    await rejectsKind(() => readImageHeader(html, 'mockup.png'), 'notImage', /mockup\.png is not a PNG, JPEG, WebP or GIF image/);
    await rejectsKind(() => readImageHeader(new Uint8Array(0)), 'notImage');
  });

  it('calls a matching magic with a cut-off header corrupt', async () => {
    await rejectsKind(() => readImageHeader(bytes(makePng(20, 20)).subarray(0, 16), 'a.png'), 'corrupt', /header is damaged or cut off/);
    await rejectsKind(() => readImageHeader(bytes(makeJpeg(20, 20)).subarray(0, 40)), 'corrupt');
  });
});

describe('mockup image: validation', () => {
  it('refuses empty and oversized files before reading them', async () => {
    await rejectsKind(() => checkFileSize(0, DEFAULT_IMAGE_LIMITS, 'x.png'), 'notImage', /empty/);
    await rejectsKind(() => checkFileSize(DEFAULT_IMAGE_LIMITS.maxFileBytes + 1, DEFAULT_IMAGE_LIMITS, 'x.png'), 'tooLarge', /x\.png is 40\.0 MB; Moonpilot reads images up to 40\.0 MB/);
  });

  it('refuses tiny images and decompression bombs by their header', async () => {
    await rejectsKind(() => checkDimensions({ type: 'png', mime: 'image/png', width: 8, height: 600 }, DEFAULT_IMAGE_LIMITS), 'tooSmall', /only 8 × 600 pixels/);
    // A 20000 × 20000 PNG header: refused before a single pixel is decoded.
    const bomb = Buffer.from(makePng(20, 20));
    bomb.writeUInt32BE(20_000, 16);
    bomb.writeUInt32BE(20_000, 20);
    await rejectsKind(() => prepareMockupImage(bytes(bomb), { name: 'bomb.png' }), 'tooLarge', /20000 × 20000 pixels \(400 MP\)/);
  });

  it('calls damaged pixel data corrupt: a truncated PNG, a truncated JPEG, a cut-off WebP', async () => {
    const png = bytes(makePng(200, 100));
    await rejectsKind(() => prepareMockupImage(png.subarray(0, Math.floor(png.length * 0.6)), { name: 'cut.png' }), 'corrupt', /cut\.png is a damaged PNG file/);
    const jpg = bytes(makeJpeg(200, 100));
    await rejectsKind(() => prepareMockupImage(jpg.subarray(0, Math.floor(jpg.length * 0.7)), { name: 'cut.jpg' }), 'corrupt', /damaged JPEG/);
    const webp = bytes(makeWebpHeader(200, 100, 500));
    await rejectsKind(() => prepareMockupImage(webp.subarray(0, 200), { name: 'cut.webp' }), 'corrupt', /cut off/);
    // Flipped bytes inside the IDAT chunk fail its CRC.
    const flipped = Buffer.from(makePng(200, 100));
    flipped[flipped.length - 30] ^= 0xff;
    await rejectsKind(() => prepareMockupImage(bytes(flipped)), 'corrupt');
  });
});

describe('mockup image: downscaling', () => {
  it('plans: within budget untouched, over budget scaled, very tall pages cropped to the top', async () => {
    const limits = DEFAULT_IMAGE_LIMITS;
    assert.deepEqual(planDownscale(1920, 1080, limits), { keptHeight: 1080, width: 1920, height: 1080, cropped: false, scaled: false });
    // Within the 10 % slack: scaling by 1 % would only blur text.
    assert.equal(planDownscale(1280, 2100, limits).scaled, false);
    const big = planDownscale(3840, 2160, limits);
    assert.ok(big.scaled && !big.cropped);
    assert.ok(big.width * big.height <= limits.maxSentPixels, `${big.width}×${big.height}`);
    assert.ok(Math.abs(big.width / big.height - 16 / 9) < 0.01);
    const tall = planDownscale(1280, 9000, limits);
    assert.equal(tall.cropped, true);
    assert.equal(tall.keptHeight, 3200);
    assert.ok(tall.width >= 950, `text stays legible: ${tall.width} px wide`);
    assert.ok(tall.width * tall.height <= limits.maxSentPixels);
  });

  it('averages areas exactly: a 2×2 checkerboard of black and white becomes mid grey', async () => {
    const data = new Uint8Array(4 * 4 * 4);
    for (let i = 0; i < 16; i++) {
      const v = (Math.floor(i / 4) + (i % 4)) % 2 === 0 ? 0 : 255;
      data.set([v, v, v, 255], i * 4);
    }
    const out = await downscale({ width: 4, height: 4, data }, { keptHeight: 4, width: 2, height: 2, cropped: false, scaled: true });
    assert.deepEqual([...out.data.subarray(0, 4)], [128, 128, 128, 255]);
  });

  it('does not bleed the colour of transparent pixels (premultiplied alpha)', async () => {
    // Left pixel: fully transparent red; right pixel: opaque blue. The average is half-transparent blue.
    const data = new Uint8Array([255, 0, 0, 0, 0, 0, 255, 255]);
    const out = await downscale({ width: 2, height: 1, data }, { keptHeight: 1, width: 1, height: 1, cropped: false, scaled: true });
    assert.deepEqual([...out.data], [0, 0, 255, 128]);
  });

  it('crops a tall synthetic page to its top and says so', async () => {
    const page = bytes(makePng(400, 2000));
    const prepared = await prepareMockupImage(page, { name: 'tall.png', limits: { ...DEFAULT_IMAGE_LIMITS, maxSentPixels: 300_000 } });
    assert.deepEqual(prepared.crop, { keptHeight: 1000, fullHeight: 2000 });
    assert.equal(prepared.mime, 'image/png');
    assert.ok(prepared.width * prepared.height <= 300_000, `${prepared.width}×${prepared.height}`);
    assert.ok(Math.abs(prepared.height / prepared.width - 2.5) < 0.02);
    assert.deepEqual(readImageHeader(prepared.bytes), { type: 'png', mime: 'image/png', width: prepared.width, height: prepared.height });
    assert.match(prepared.notes.join(), /kept the top 1000 of 2000 px/);
  });

  it('keeps JPEG as JPEG and GIF becomes PNG when downscaled; small images pass byte for byte', async () => {
    const limits = { ...DEFAULT_IMAGE_LIMITS, maxSentPixels: 20_000 };
    const jpg = await prepareMockupImage(bytes(makeJpeg(400, 300)), { limits });
    assert.equal(jpg.mime, 'image/jpeg');
    assert.equal(jpg.action, 'downscaled');
    const gif = await prepareMockupImage(bytes(makeGif(400, 300)), { limits });
    assert.equal(gif.mime, 'image/png');
    assert.equal(readImageHeader(gif.bytes).type, 'png');
    const small = bytes(makeGif(100, 80));
    const same = await prepareMockupImage(small);
    assert.equal(same.action, 'unchanged');
    assert.equal(same.bytes, small);
    assert.equal(same.mime, 'image/gif');
  });

  it('falls back to JPEG over the payload limit, and refuses what is too large even then', async () => {
    // Noise: as PNG it stays large, as JPEG it shrinks.
    const noisy = new PNG({ width: 600, height: 400 });
    for (let i = 0; i < noisy.data.length; i++) {
      noisy.data[i] = i % 4 === 3 ? 255 : (i * 2654435761) >>> 24;
    }
    const png = bytes(PNG.sync.write(noisy));
    const fallback = await prepareMockupImage(png, { limits: { ...DEFAULT_IMAGE_LIMITS, maxSentPixels: 100_000, maxPayloadBytes: 50_000 } });
    assert.equal(fallback.mime, 'image/jpeg');
    assert.ok(fallback.bytes.byteLength <= 50_000);
    await rejectsKind(
      () => prepareMockupImage(png, { name: 'huge.png', limits: { ...DEFAULT_IMAGE_LIMITS, maxSentPixels: 100_000, maxPayloadBytes: 500 } }),
      'tooLarge',
      /huge\.png is still .* after downscaling to \d+ × \d+; the limit is 500 bytes/,
    );
  });

  it('sends WebP as it came (no decoder), and refuses one over the payload limit', async () => {
    const webp = bytes(makeWebpHeader(4000, 3000, 200));
    const prepared = await prepareMockupImage(webp);
    assert.equal(prepared.mime, 'image/webp');
    assert.equal(prepared.bytes, webp);
    assert.match(prepared.notes.join(), /sent at full size/);
    await rejectsKind(() => prepareMockupImage(webp, { name: 'big.webp', limits: { ...DEFAULT_IMAGE_LIMITS, maxPayloadBytes: 100 } }), 'tooLarge', /Convert it to PNG or JPEG/);
  });

  it('encodes PNG losslessly: pngjs reads back the same pixels, RGB when opaque, RGBA when not', async () => {
    for (const alpha of [false, true]) {
      const image = { width: 150, height: 130, data: patternPixels(150, 130, { alpha }) };
      const png = PNG.sync.read(Buffer.from(await encodePng(image)));
      assert.deepEqual([png.width, png.height], [150, 130]);
      assert.deepEqual(new Uint8Array(png.data), image.data);
      assert.equal(Buffer.from(await encodePng(image))[25], alpha ? 6 : 2, 'IHDR colour type');
    }
  });

  it('builds a data URL with the real mime type', async () => {
    const jpg = await prepareMockupImage(bytes(makeJpeg(64, 64)));
    const url = toDataUrl(jpg);
    assert.ok(url.startsWith('data:image/jpeg;base64,/9j/'), url.slice(0, 40));
    assert.deepEqual(Buffer.from(url.split(',')[1], 'base64'), Buffer.from(jpg.bytes));
  });
});

describe('mockup image: the shared real screenshots', () => {
  const present = fs.existsSync(sharedMockupsDir());
  const files = present ? sharedMockups() : [];

  if (!present) {
    it(`skipped: ${sharedMockupsDir()} is absent (../shared is not beside this clone)`, function () {
      this.skip();
    });
  } else {
    it('finds the shared screenshots', async () => {
      assert.ok(files.length >= 5, `found ${files.length} in ../shared/data/mockups`);
    });
  }

  for (const file of files) {
    const name = path.basename(file);
    it(`${name}: dimensions and payload before and after`, async () => {
      const original = fs.readFileSync(file);
      const header = readImageHeader(bytes(original));
      const prepared = await prepareMockupImage(bytes(original), { name });
      assert.equal(prepared.original.width, header.width);
      assert.equal(prepared.original.height, header.height);
      assert.equal(prepared.original.byteLength, original.byteLength);
      const pixels = header.width * header.height;
      if (pixels <= DEFAULT_IMAGE_LIMITS.maxSentPixels * 1.1) {
        assert.equal(prepared.action, 'unchanged');
        assert.equal(prepared.bytes.byteLength, original.byteLength);
      } else {
        assert.equal(prepared.action, 'downscaled');
        assert.ok(prepared.width * prepared.height <= DEFAULT_IMAGE_LIMITS.maxSentPixels, `${prepared.width}×${prepared.height}`);
        assert.ok(Math.abs(prepared.width / prepared.height - header.width / header.height) < 0.01, 'aspect ratio kept');
        // Lossless PNG stays PNG, well under the payload limit.
        assert.equal(prepared.mime, 'image/png');
        assert.ok(prepared.bytes.byteLength < DEFAULT_IMAGE_LIMITS.maxPayloadBytes);
      }
      // What is sent decodes to exactly the dimensions reported.
      const decoded = PNG.sync.read(Buffer.from(prepared.bytes));
      assert.deepEqual([decoded.width, decoded.height], [prepared.width, prepared.height]);
      assert.equal((await decodeImage('png', prepared.bytes)).width, prepared.width);
    });
  }
});
