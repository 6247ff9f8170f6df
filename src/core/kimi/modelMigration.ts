/**
 * What to tell the user when a configured model is not served: it answered 404, or the
 * endpoint's `/models` does not list it (a `kimi-k2.5` left in settings since Moonshot retired it
 * on 2026-08-31). One message naming the model, the setting and what replaces it, with the
 * replacement to put in the setting in one click. Pure; the adapter is `vscode/modelMigration.ts`.
 */
import type { ModelInfo } from './kimiTypes';
import { resolveModelProfile } from './modelProfiles';

/** The settings (below `moonpilot.`) that name a model. */
export type ModelSetting = 'completion.model' | 'chat.model' | 'vision.model';

export interface ModelProblem {
  setting: ModelSetting;
  model: string;
  /** The model to switch to, when one is known to be served (or, without `/models`, documented). */
  replacement: string | undefined;
  message: string;
}

/** Official models to offer, best first, per setting: completion needs thinking off, vision needs images. */
const PREFERRED: Readonly<Record<ModelSetting, readonly string[]>> = {
  'completion.model': ['kimi-k2.6', 'kimi-k3', 'kimi-k2.7-code'],
  'chat.model': ['kimi-k2.6', 'kimi-k3', 'kimi-k2.7-code'],
  'vision.model': ['kimi-k2.6', 'kimi-k3'],
};

const PURPOSE: Readonly<Record<ModelSetting, string>> = {
  'completion.model': 'inline completion',
  'chat.model': 'chat',
  'vision.model': 'mockup → code',
};

/** Whether `/models` says the endpoint serves this id (undefined: it has no list). */
export function isListed(model: string, listed: readonly ModelInfo[] | undefined): boolean | undefined {
  return listed ? listed.some((m) => m.id === model) : undefined;
}

/**
 * The replacement for a model that is not served: the retired model's documented successor when
 * the endpoint serves it, else the first preferred official model it lists (one that takes
 * images for vision), else the first model it lists that suits the purpose.
 */
export function replacementFor(setting: ModelSetting, model: string, listed: readonly ModelInfo[] | undefined): string | undefined {
  const served = (id: string): boolean => isListed(id, listed) !== false;
  const suits = (id: string): boolean => setting !== 'vision.model' || resolveModelProfile(id, listed).supportsImages !== false;
  const successor = resolveModelProfile(model).retired?.replacement;
  if (successor && successor !== model && served(successor) && suits(successor)) {
    return successor;
  }
  const preferred = PREFERRED[setting].find((id) => id !== model && served(id) && suits(id) && (listed !== undefined || successor !== undefined));
  if (preferred) {
    return preferred;
  }
  return listed?.find((m) => m.id !== model && suits(m.id))?.id;
}

/**
 * The problem with `model` in `setting`, or undefined when there is none: `notFound` after a 404,
 * `unlisted` when `/models` answered without it.
 */
export function modelProblem(setting: ModelSetting, model: string, listed: readonly ModelInfo[] | undefined, cause: 'notFound' | 'unlisted', host: string): ModelProblem | undefined {
  if (cause === 'unlisted' && isListed(model, listed) !== false) {
    return undefined;
  }
  const profile = resolveModelProfile(model);
  const replacement = replacementFor(setting, model, listed);
  const why = profile.retired
    ? `Moonshot retired "${model}" on ${profile.retired.since}`
    : cause === 'notFound'
      ? `${host} answers 404 (model not found) for "${model}"`
      : `${host} does not offer "${model}" (it is not in its /models list)`;
  const instead = replacement ? ` ${resolveModelProfile(replacement, listed).label} ("${replacement}") replaces it.` : ' Choose a model this endpoint lists.';
  return {
    setting,
    model,
    replacement,
    message: `${why}, so ${PURPOSE[setting]} cannot use it (moonpilot.${setting}).${instead}`,
  };
}
