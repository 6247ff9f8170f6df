/**
 * The request that turns a mockup image into code.
 *
 * Thinking is switched off (instant mode): turning a screenshot into markup is mostly careful
 * looking and transcription, which K2.6 does as well without a reasoning phase, and with
 * thinking on the editor would sit empty for tens of seconds while hidden reasoning (billed as
 * output, counted in `max_tokens` and the rate limiter's TPM) streams first. Instant mode puts
 * the first line of code in the editor within a second or two of the request. A model that
 * always reasons (K3 at its lowest effort, K2.7 Code) gets room for that reasoning on top.
 */
import type { ChatRequest, ContentPart } from '../kimi/kimiTypes';
import { alwaysReasons, resolveModelProfile, type ModelProfile } from '../kimi/modelProfiles';
import type { MockupTarget } from './mockupTargets';

/** Room for a long page of markup; the rate limiter charges prompt + max_tokens, so not more. */
export const MOCKUP_MAX_TOKENS = 16_384;
/** Added to the output limit where the model reasons before the code whatever the request says. */
export const MOCKUP_REASONING_ALLOWANCE_TOKENS = 8_192;
/** Longest free-text instruction kept (a sentence or two is the intent). */
export const MAX_INSTRUCTION_CHARS = 2_000;

export const MOCKUP_SYSTEM_PROMPT = [
  'You are Moonpilot, a senior front-end engineer who turns UI mockup screenshots into clean, production-quality code.',
  'Reproduce the screenshot faithfully: layout and alignment, spacing, colours (use the exact hex values you see), font sizes and weights, borders, radii, shadows, and every piece of visible text, verbatim.',
  'Use semantic elements and accessible markup (landmarks, headings in order, alt text, labels for inputs, buttons for actions).',
  'Make the layout responsive with flexbox or grid; never position the page with absolute coordinates.',
  'Reply with exactly one fenced code block holding the whole file, and nothing before or after it: no explanations, no notes.',
].join('\n');

const TARGET_INSTRUCTIONS: Readonly<Record<MockupTarget, string>> = {
  html: [
    'Write one self-contained HTML5 file: `<!DOCTYPE html>`, `<meta charset="utf-8">`, a viewport meta tag, and all CSS in one `<style>` element in `<head>` (CSS custom properties for the palette).',
    'No JavaScript at all, and no external resources of any kind: no CDN links, web fonts or remote images. Use system font stacks, inline SVG or CSS for icons and logos, and neutral placeholder blocks with the right size and an accessible label for photos.',
    'Answer in a ```html fence.',
  ].join('\n'),
  react: [
    'Write one React function component file in TypeScript (.tsx), styled only with Tailwind CSS utility classes (default theme; arbitrary values such as `bg-[#1e293b]` where the palette has no match). No CSS files, no inline style objects unless Tailwind cannot express it.',
    'Export the page component as `export default function <PascalCaseName>()`; split repeated parts into small components in the same file with typed props, and render repeated items from typed arrays with `map` and stable keys.',
    'Import only from "react", and only what you use. No other packages, no external images: use inline SVG for icons and sized placeholder divs for photos.',
    'Answer in a ```tsx fence.',
  ].join('\n'),
  vue: [
    'Write one Vue 3 single-file component: `<script setup lang="ts">` first, then `<template>`, then `<style scoped>` with plain CSS (CSS custom properties for the palette; no preprocessor, no Tailwind).',
    'Render repeated items from typed arrays with `v-for` and `:key`. Import only from "vue", and only what you use. No external images: inline SVG for icons, sized placeholder elements for photos.',
    'Answer in a ```vue fence.',
  ].join('\n'),
};

export interface MockupPromptInput {
  target: MockupTarget;
  /** `data:image/...;base64,...` with the image's real mime type. */
  imageDataUrl: string;
  width: number;
  height: number;
  /** Set when a tall page was cropped to its top. */
  crop?: { keptHeight: number; fullHeight: number };
  /** The user's optional free text ("dark theme", "use our Button component"). */
  instruction?: string;
}

/** The text part that goes with the image. */
export function mockupTaskText(input: MockupPromptInput): string {
  const lines = [`Turn this ${input.width} × ${input.height} px mockup into code.`, '', TARGET_INSTRUCTIONS[input.target]];
  if (input.crop) {
    lines.push(
      '',
      `The screenshot shows only the top ${input.crop.keptHeight} px of a page ${input.crop.fullHeight} px tall (cropped so its text stays legible). Build everything that is visible and end the page cleanly where the screenshot ends; do not invent the rest.`,
    );
  }
  const instruction = input.instruction?.trim().slice(0, MAX_INSTRUCTION_CHARS);
  if (instruction) {
    lines.push('', `The developer adds this instruction; follow it where it does not conflict with the rules above:\n${instruction}`);
  }
  return lines.join('\n');
}

/** The chat request for the vision model: system rules, then the image and the task. */
export function buildMockupRequest(model: string | ModelProfile, input: MockupPromptInput): ChatRequest {
  const profile = typeof model === 'string' ? resolveModelProfile(model) : model;
  const content: ContentPart[] = [
    { type: 'image_url', image_url: { url: input.imageDataUrl } },
    { type: 'text', text: mockupTaskText(input) },
  ];
  return {
    model: profile.id,
    messages: [
      { role: 'system', content: MOCKUP_SYSTEM_PROMPT },
      { role: 'user', content },
    ],
    // Instant; on K3 the lowest effort (requestBody.ts).
    thinking: false,
    maxTokens: MOCKUP_MAX_TOKENS + (alwaysReasons(profile) ? MOCKUP_REASONING_ALLOWANCE_TOKENS : 0),
  };
}
