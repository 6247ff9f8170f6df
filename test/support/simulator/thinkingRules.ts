import { isJsonObject } from './jsonObject';
import { invalid } from './requestRejection';
import { thinkingControlOf } from './simModels';
import type { JsonObject, SimModel } from './types';

const DEFAULT_EFFORTS = ['low', 'high', 'max'];

/**
 * The official API's thinking switch, per family (../shared/notes/kimi-api.md, December 2026).
 * `chat_template_kwargs` is a vLLM field: the official flavour does not read it (ignored like
 * any unknown field, so a client that sends it there keeps the model's default).
 */
export function officialThinking(body: JsonObject, model: SimModel): { thinking: boolean; effort: string | undefined } {
  const control = thinkingControlOf(model);
  if (control === 'effort') {
    // Undocumented: K3's docs name only `reasoning_effort`; the simulator refuses a `thinking`
    // field outright (strict) rather than guess whether Kimi ignores it. Wording is ours.
    if (body.thinking !== undefined) {
      throw invalid('invalid thinking: this model does not accept thinking, use reasoning_effort (low, high or max)');
    }
    const efforts = model.reasoningEfforts ?? DEFAULT_EFFORTS;
    const effort = body.reasoning_effort ?? model.defaultEffort ?? efforts[efforts.length - 1];
    if (typeof effort !== 'string' || !efforts.includes(effort)) {
      throw invalid(`invalid reasoning_effort: only ${efforts.join(', ')} is allowed for this model`);
    }
    return { thinking: true, effort };
  }
  // Undocumented for K2.6 / K2.7 / older models: `reasoning_effort` is K3's control; the
  // simulator refuses it elsewhere (strict; wording ours).
  if (body.reasoning_effort !== undefined) {
    throw invalid('invalid reasoning_effort: reasoning_effort is not supported for this model');
  }
  const requested = thinkingField(body.thinking, control);
  if (control === 'none') {
    if (requested === true) {
      throw invalid(`Invalid request: model ${model.id} does not support thinking`);
    }
    return { thinking: false, effort: undefined };
  }
  if (control === 'always') {
    if (requested === false) {
      throw invalid('invalid thinking: only type=enabled is allowed for this model');
    }
    return { thinking: true, effort: undefined };
  }
  return { thinking: requested ?? true, effort: undefined };
}

/** `thinking: {type, keep?}` as Kimi reads it; undefined when absent. */
function thinkingField(field: unknown, control: string): boolean | undefined {
  if (field === undefined) {
    return undefined;
  }
  if (!isJsonObject(field)) {
    throw invalid('Invalid request: thinking must be an object like {"type": "enabled"} or {"type": "disabled"}');
  }
  if (field.type !== 'enabled' && field.type !== 'disabled') {
    throw invalid(`Invalid request: thinking.type must be "enabled" or "disabled", got ${JSON.stringify(field.type)}`);
  }
  // `keep: "all"` is documented for K2.6 only: strict elsewhere, and no other value (wording ours).
  if (field.keep !== undefined && (field.keep !== 'all' || control !== 'switch')) {
    throw invalid(`Invalid request: thinking.keep ${JSON.stringify(field.keep)} is not supported for this model`);
  }
  return field.type === 'enabled';
}

/**
 * vLLM / SGLang: thinking is a chat-template switch, `chat_template_kwargs: {thinking: bool}`;
 * `thinking` and `reasoning_effort` are not read. Only a model whose template can switch
 * (`switch`) honours it; an always-reasoning one reasons anyway, a non-reasoning one never does.
 */
export function vllmThinking(body: JsonObject, model: SimModel): { thinking: boolean; effort: string | undefined } {
  const control = thinkingControlOf(model);
  const kwargs = body.chat_template_kwargs;
  if (kwargs !== undefined && !isJsonObject(kwargs)) {
    throw invalid('chat_template_kwargs must be an object');
  }
  if (control === 'none') {
    return { thinking: false, effort: undefined };
  }
  if (control === 'switch' && kwargs !== undefined && typeof kwargs.thinking === 'boolean') {
    return { thinking: kwargs.thinking, effort: undefined };
  }
  return { thinking: true, effort: undefined };
}
