import type { SimModel, ThinkingControl } from './types';

/**
 * Kimi's models on the official API in December 2026 (../shared/notes/kimi-api.md, first section).
 * Where Moonshot does not document a capability ("unconfirmed" in the note) the simulator takes
 * the strict side: K2.7 Code accepts no images or video, K3.1 Pro no video.
 */
const K3_FAMILY = {
  contextLength: 1048576,
  supportsReasoning: true,
  thinkingControl: 'effort',
  reasoningEfforts: ['low', 'high', 'max'],
  defaultEffort: 'max',
  fixedSampling: { thinkingTemperature: '1' },
  defaultMaxTokens: 131072,
  recordsReasoningReplay: true,
} as const satisfies Partial<SimModel>;

/**
 * K2.7 Code and K2.6 document no default output limit; the simulator assumes 32,768 (an
 * assumption, not Moonshot's figure) so a request without one still has its output counted
 * against the window.
 */
const K2_DEFAULT_MAX_TOKENS = 32768;

const K2_7_CODE = {
  contextLength: 262144,
  supportsReasoning: true,
  supportsImageIn: false,
  supportsVideoIn: false,
  thinkingControl: 'always',
  fixedSampling: { thinkingTemperature: '1.0' },
  defaultMaxTokens: K2_DEFAULT_MAX_TOKENS,
} as const satisfies Partial<SimModel>;

/** The simulator's default `/v1/models` list: the four ids the official API listed from 2026-09-02. */
export const DEFAULT_MODELS: readonly SimModel[] = [
  { id: 'kimi-k3', ...K3_FAMILY, supportsImageIn: true, supportsVideoIn: true },
  { id: 'kimi-k2.7-code', ...K2_7_CODE },
  { id: 'kimi-k2.7-code-highspeed', ...K2_7_CODE },
  {
    id: 'kimi-k2.6',
    contextLength: 262144,
    supportsReasoning: true,
    supportsImageIn: true,
    supportsVideoIn: true,
    thinkingControl: 'switch',
    fixedSampling: true,
    defaultMaxTokens: K2_DEFAULT_MAX_TOKENS,
  },
];

/**
 * K3.1 Pro (reported from 2026-10-23): not in the default list; a test adds it with
 * `startSimulator({ models: [...DEFAULT_MODELS, ...K3_1_PRO_MODELS] })`. Rules as K3.
 */
export const K3_1_PRO_MODELS: readonly SimModel[] = [
  { id: 'kimi-k3.1-pro', ...K3_FAMILY, supportsImageIn: true, supportsVideoIn: false },
  { id: 'kimi-k3.1-pro-highspeed', ...K3_FAMILY, supportsImageIn: true, supportsVideoIn: false },
];

/**
 * Ids the official API no longer serves (404 "Not found the model … or Permission denied"):
 * kimi-k2.5 and moonshot-v1-* since 2026-08-31, the K2 previews and thinking models since
 * 2026-05-25, kimi-latest deprecated. None is in `DEFAULT_MODELS`; the list is for tests.
 */
export const RETIRED_MODEL_IDS: readonly string[] = [
  'kimi-k2.5',
  'moonshot-v1-8k',
  'moonshot-v1-32k',
  'moonshot-v1-128k',
  'moonshot-v1-auto',
  'moonshot-v1-8k-vision-preview',
  'kimi-k2-0711-preview',
  'kimi-k2-0905-preview',
  'kimi-k2-turbo-preview',
  'kimi-k2-thinking',
  'kimi-k2-thinking-turbo',
  'kimi-latest',
];

/**
 * Models as other hosts list them, for tests that configure a third-party endpoint: an older K2
 * id under a host's own name, and an unknown OpenAI-compatible model without reasoning.
 */
export const OTHER_HOST_MODELS: readonly SimModel[] = [
  {
    id: 'moonshotai/kimi-k2.5',
    contextLength: 262144,
    supportsReasoning: true,
    supportsImageIn: true,
    supportsVideoIn: false,
    thinkingControl: 'switch',
    fixedSampling: true,
  },
  { id: 'acme/coder-7b', contextLength: 32768, supportsReasoning: false, supportsImageIn: false, supportsVideoIn: false },
];

/** How `model` controls thinking, with the defaults of older model lists filled in. */
export function thinkingControlOf(model: SimModel): ThinkingControl {
  if (model.thinkingControl) {
    return model.thinkingControl;
  }
  if (!model.supportsReasoning) {
    return 'none';
  }
  return model.alwaysThinks ? 'always' : 'switch';
}

/** One line of the lineup as `npm run simulator` prints it: id, window, thinking control, media. */
export function describeModel(model: SimModel): string {
  const control = thinkingControlOf(model);
  const thinking =
    control === 'effort'
      ? `reasoning_effort ${(model.reasoningEfforts ?? []).join('/')} (default ${model.defaultEffort ?? '-'})`
      : control === 'always'
        ? 'always thinks'
        : control === 'switch'
          ? 'thinking on/off (default on)'
          : 'no thinking';
  const media = [model.supportsImageIn ? 'images' : '', model.supportsVideoIn ? 'video' : ''].filter(Boolean).join('+') || 'text only';
  return `${model.id.padEnd(26)} ${model.contextLength.toLocaleString('en-US').padStart(9)} tokens, ${thinking}, ${media}`;
}

const DEFAULT_CREATED = 1767225600; // 2026-01-01T00:00:00Z

/** `owned_by` of every simulated model: how the extension tells the simulator from a real endpoint. */
export const SIMULATOR_OWNER = 'moonpilot-simulator';

/**
 * A model as a self-hosted vLLM server lists it (`max_model_len`, `root`, `parent`, no capability
 * fields), so a client must take capabilities from elsewhere there.
 */
export function vllmModelListEntry(model: SimModel): Record<string, unknown> {
  return {
    id: model.id,
    object: 'model',
    created: model.created ?? DEFAULT_CREATED,
    owned_by: SIMULATOR_OWNER,
    root: model.id,
    parent: null,
    max_model_len: model.contextLength,
  };
}

/** A model as Kimi's `GET /v1/models` lists it (window and capabilities). */
export function modelListEntry(model: SimModel): Record<string, unknown> {
  return {
    id: model.id,
    object: 'model',
    created: model.created ?? DEFAULT_CREATED,
    owned_by: SIMULATOR_OWNER,
    context_length: model.contextLength,
    supports_reasoning: model.supportsReasoning,
    supports_image_in: model.supportsImageIn,
    supports_video_in: model.supportsVideoIn,
  };
}
