import * as assert from 'node:assert/strict';
import { buildWireBody } from '../../../src/core/kimi/requestBody';
import type { ContentPart, UserMessage } from '../../../src/core/kimi/kimiTypes';
import { prepareMockupImage, toDataUrl, type PreparedImage } from '../../../src/core/mockup/imagePreparation';
import { buildMockupRequest, MAX_INSTRUCTION_CHARS, MOCKUP_MAX_TOKENS, MOCKUP_REASONING_ALLOWANCE_TOKENS } from '../../../src/core/mockup/mockupPrompt';
import { TARGETS } from '../../../src/core/mockup/mockupTargets';
import { previewDocument, PREVIEW_CSP } from '../../../src/core/mockup/previewHtml';
import { guessTarget } from '../../../src/core/mockup/targetGuess';
import { makeJpeg, makePng } from '../../support/tools/mockupFixtures';

function userParts(req: ReturnType<typeof buildMockupRequest>): ContentPart[] {
  const user = req.messages[1] as UserMessage;
  assert.ok(Array.isArray(user.content));
  return user.content;
}

describe('mockup prompt', () => {
  let png: PreparedImage;
  let base: { imageDataUrl: string; width: number; height: number };
  before(async () => {
    png = await prepareMockupImage(new Uint8Array(makePng(120, 80)));
    base = { imageDataUrl: toDataUrl(png), width: png.width, height: png.height };
  });

  it('sends the image as a data-URL image_url part with its real mime type, then the task', async () => {
    const jpg = await prepareMockupImage(new Uint8Array(makeJpeg(90, 60)));
    for (const [image, mime] of [
      [png, 'image/png'],
      [jpg, 'image/jpeg'],
    ] as const) {
      const req = buildMockupRequest('kimi-k2.6', { target: 'html', imageDataUrl: toDataUrl(image), width: image.width, height: image.height });
      const [imagePart, textPart] = userParts(req);
      assert.equal(imagePart.type, 'image_url');
      assert.ok(imagePart.type === 'image_url' && imagePart.image_url.url.startsWith(`data:${mime};base64,`));
      assert.equal(textPart.type, 'text');
    }
  });

  it('has a stable system prompt first, instant mode and a bounded max_tokens on the wire', () => {
    const req = buildMockupRequest('kimi-k2.6', { ...base, target: 'react' });
    assert.equal(req.messages[0].role, 'system');
    assert.equal(req.messages[0].content, buildMockupRequest('other', { ...base, target: 'vue', instruction: 'x' }).messages[0].content);
    const wire = buildWireBody(req, 'moonshot', true);
    assert.deepEqual(wire.thinking, { type: 'disabled' });
    assert.equal(wire.max_completion_tokens, MOCKUP_MAX_TOKENS);
    assert.equal(wire.model, 'kimi-k2.6');
    assert.equal(wire.temperature, undefined);
  });

  it('on K3: the lowest effort, and room for its reasoning before the code', () => {
    const wire = buildWireBody(buildMockupRequest('kimi-k3', { ...base, target: 'html' }), 'moonshot', true);
    assert.equal(wire.reasoning_effort, 'low');
    assert.equal(wire.thinking, undefined);
    assert.equal(wire.max_completion_tokens, MOCKUP_MAX_TOKENS + MOCKUP_REASONING_ALLOWANCE_TOKENS);
  });

  it('gives each target its own instructions and fence', () => {
    const text = (target: 'html' | 'react' | 'vue'): string => {
      const part = userParts(buildMockupRequest('m', { ...base, target }))[1];
      return part.type === 'text' ? part.text : '';
    };
    assert.match(text('html'), /self-contained HTML5 file/);
    assert.match(text('html'), /No JavaScript at all, and no external resources/);
    assert.match(text('html'), /```html fence/);
    assert.match(text('react'), /Tailwind CSS utility classes/);
    assert.match(text('react'), /\(\.tsx\)/);
    assert.match(text('react'), /```tsx fence/);
    assert.match(text('vue'), /<script setup lang="ts">/);
    assert.match(text('vue'), /```vue fence/);
    assert.doesNotMatch(text('vue'), /Tailwind CSS utility/);
    assert.match(text('html'), /120 × 80 px mockup/);
  });

  it('adds the optional instruction (trimmed and bounded) and the crop note', () => {
    const none = userParts(buildMockupRequest('m', { ...base, target: 'html', instruction: '   ' }))[1];
    assert.ok(none.type === 'text' && !none.text.includes('instruction'));
    const long = 'dark theme '.repeat(400);
    const withIt = userParts(buildMockupRequest('m', { ...base, target: 'html', instruction: `  ${long}`, crop: { keptHeight: 3200, fullHeight: 9000 } }))[1];
    assert.ok(withIt.type === 'text');
    assert.match(withIt.text, /The developer adds this instruction[^\n]*\ndark theme dark theme/);
    assert.ok(withIt.text.length < MAX_INSTRUCTION_CHARS + 2_000);
    assert.match(withIt.text, /only the top 3200 px of a page 9000 px tall/);
  });
});

describe('mockup targets', () => {
  it('map to languages, extensions and comment syntax', () => {
    assert.equal(TARGETS.html.languageId, 'html');
    assert.equal(TARGETS.react.languageId, 'typescriptreact');
    assert.equal(TARGETS.vue.fallbackLanguageId, 'html');
    assert.equal(TARGETS.html.comment('cut -- off'), '<!-- cut — off -->');
    assert.equal(TARGETS.react.comment('a */ b'), '/* a * / b */');
  });

  it('guess the default from package.json dependencies', () => {
    const pkg = (deps: Record<string, string>, dev: Record<string, string> = {}): string => JSON.stringify({ dependencies: deps, devDependencies: dev });
    assert.equal(guessTarget([]), 'html');
    assert.equal(guessTarget([pkg({ express: '4' })]), 'html');
    assert.equal(guessTarget([pkg({ react: '19', 'react-dom': '19' })]), 'react');
    assert.equal(guessTarget([pkg({ next: '15' })]), 'react');
    assert.equal(guessTarget([pkg({ vue: '3' })]), 'vue');
    assert.equal(guessTarget([pkg({ nuxt: '3' })]), 'vue');
    // Runtime dependencies decide before dev dependencies; unreadable files are skipped.
    assert.equal(guessTarget([pkg({ vue: '3' }, { react: '19' })]), 'vue');
    assert.equal(guessTarget([pkg({}, { '@vitejs/plugin-react': '4' })]), 'react');
    assert.equal(guessTarget(['{ not json', pkg({ vue: '3' })]), 'vue');
  });
});

describe('mockup preview document', () => {
  it('puts the strict CSP first, after the doctype', () => {
    const doc = previewDocument('<!DOCTYPE html>\n<html><head><title>x</title></head><body><script>alert(1)</script></body></html>');
    assert.ok(doc.startsWith(`<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="${PREVIEW_CSP}">`));
    assert.match(PREVIEW_CSP, /^default-src 'none'; img-src data:; style-src 'unsafe-inline'/);
    assert.doesNotMatch(PREVIEW_CSP, /script-src|https?:/);
  });

  it('adds a doctype when missing and neutralises meta refresh', () => {
    const doc = previewDocument('<html><head><meta http-equiv="refresh" content="0;url=https://evil.example/"></head></html>');
    assert.ok(doc.startsWith('<!DOCTYPE html><meta http-equiv="Content-Security-Policy"'));
    assert.doesNotMatch(doc, /evil\.example/);
  });
});
