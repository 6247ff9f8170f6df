import type { SimModel } from './types';

/** The simulator's default `/v1/models` list (capabilities as in ../shared/notes/kimi-api.md). */
export const DEFAULT_MODELS: readonly SimModel[] = [
  {
    id: 'kimi-k2.5',
    contextLength: 262144,
    supportsReasoning: true,
    supportsImageIn: true,
    supportsVideoIn: false,
    fixedSampling: true,
  },
  {
    id: 'kimi-k2-turbo-preview',
    contextLength: 262144,
    supportsReasoning: false,
    supportsImageIn: false,
    supportsVideoIn: false,
  },
  {
    id: 'kimi-k2-thinking',
    contextLength: 262144,
    supportsReasoning: true,
    supportsImageIn: false,
    supportsVideoIn: false,
    alwaysThinks: true,
  },
  {
    id: 'moonshot-v1-8k',
    contextLength: 8192,
    supportsReasoning: false,
    supportsImageIn: false,
    supportsVideoIn: false,
  },
];

const DEFAULT_CREATED = 1767225600; // 2026-01-01T00:00:00Z

/** `owned_by` of every simulated model: how the extension tells the simulator from a real endpoint. */
export const SIMULATOR_OWNER = 'moonpilot-simulator';

/** A model as `GET /v1/models` lists it. */
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
