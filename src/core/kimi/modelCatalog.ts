import type { ModelInfo } from './kimiTypes';

/** Used only when `/models` is missing or silent about a field (some OpenAI-compatible proxies). */
export const FALLBACK_CONTEXT_LENGTH = 131_072;

/**
 * What is known without `/models`: the documented windows of Moonshot's models. `/models`
 * always wins when it answers; this only fills gaps.
 */
const DOCUMENTED: ReadonlyArray<{ pattern: RegExp; contextLength: number; supportsImages?: boolean }> = [
  { pattern: /kimi-k2\.5|kimi-k2\.6|kimi-k2\.7|kimi-k3/i, contextLength: 262_144, supportsImages: true },
  { pattern: /kimi-k2/i, contextLength: 262_144 },
  { pattern: /moonshot-v1-8k/i, contextLength: 8_192 },
  { pattern: /moonshot-v1-32k/i, contextLength: 32_768 },
  { pattern: /moonshot-v1-128k/i, contextLength: 131_072 },
];

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

/** The best knowledge about one model: `/models` first, then documented values, then fallbacks. */
export function describeModel(id: string, listed: readonly ModelInfo[] | undefined): Required<Pick<ModelInfo, 'id' | 'contextLength'>> & ModelInfo {
  const fromServer = listed?.find((m) => m.id === id);
  const documented = DOCUMENTED.find((d) => d.pattern.test(id));
  return {
    id,
    contextLength: fromServer?.contextLength ?? documented?.contextLength ?? FALLBACK_CONTEXT_LENGTH,
    supportsImages: fromServer?.supportsImages ?? documented?.supportsImages,
    supportsReasoning: fromServer?.supportsReasoning,
  };
}
