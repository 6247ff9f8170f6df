/** Reads an endpoint's `GET /models`; what the answer means per model is `modelProfiles.ts`. */
import type { ModelInfo } from './kimiTypes';

/** Parses a `GET /models` body (`{data: [...]}`), keeping the capability fields Kimi reports. */
export function parseModelList(body: unknown): ModelInfo[] {
  const data = body && typeof body === 'object' ? (body as { data?: unknown }).data : undefined;
  if (!Array.isArray(data)) {
    return [];
  }
  const models: ModelInfo[] = [];
  for (const item of data) {
    if (!item || typeof item !== 'object') {
      continue;
    }
    const m = item as Record<string, unknown>;
    if (typeof m.id !== 'string') {
      continue;
    }
    const info: ModelInfo = { id: m.id };
    const ctx = m.context_length ?? m.context_window ?? m.max_model_len;
    if (typeof ctx === 'number' && ctx > 0) {
      info.contextLength = ctx;
    }
    if (typeof m.supports_image_in === 'boolean') {
      info.supportsImages = m.supports_image_in;
    }
    if (typeof m.supports_video_in === 'boolean') {
      info.supportsVideo = m.supports_video_in;
    }
    if (typeof m.supports_reasoning === 'boolean') {
      info.supportsReasoning = m.supports_reasoning;
    }
    if (typeof m.owned_by === 'string') {
      info.ownedBy = m.owned_by;
    }
    models.push(info);
  }
  return models;
}
