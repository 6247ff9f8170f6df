/**
 * Whether the configured vision model takes images, from `/models` when the endpoint lists it
 * (Kimi's `supports_image_in`), else from what is documented; and if not, which model to name.
 */
import type { ModelInfo } from '../kimi/kimiTypes';
import { resolveModelProfile } from '../kimi/modelProfiles';

export type VisionCheck =
  | { ok: true; known: boolean }
  | { ok: false; message: string; suggestion: string | undefined };

const PREFERRED = 'kimi-k2.6';

/** Models that take images: those `/models` says do, else the documented default. */
export function suggestVisionModel(listed: readonly ModelInfo[] | undefined): string | undefined {
  if (!listed) {
    return PREFERRED;
  }
  const vision = listed.filter((m) => m.supportsImages === true).map((m) => m.id);
  return vision.includes(PREFERRED) ? PREFERRED : vision[0];
}

/**
 * `ok` with `known: false` when nothing tells (a proxy without `/models` and an undocumented
 * id): the request is tried and the server's answer decides.
 */
export function checkVisionModel(model: string, listed: readonly ModelInfo[] | undefined): VisionCheck {
  const info = resolveModelProfile(model, listed);
  if (info.supportsImages === true) {
    return { ok: true, known: true };
  }
  const listedHere = listed?.some((m) => m.id === model) ?? false;
  if (info.supportsImages === undefined && !(listed && !listedHere)) {
    return { ok: true, known: false };
  }
  const suggestion = suggestVisionModel(listed);
  const why = listedHere || !listed ? 'does not accept images' : 'is not offered by this endpoint';
  const instead = suggestion ? ` Set "moonpilot.vision.model" to a model that does, such as "${suggestion}".` : ' This endpoint lists no model that takes images.';
  return { ok: false, message: `The vision model "${model}" ${why}.${instead}`, suggestion };
}
