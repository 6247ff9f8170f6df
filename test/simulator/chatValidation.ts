import { isJsonObject } from './jsonObject';
import { kimiErrors } from './kimiErrorReplies';
import { messageValidationError } from './messageValidation';
import { thinkingControlOf } from './simModels';
import { promptTokens as countPromptTokens, serializePrompt } from './tokenEstimate';
import type { HttpErrorReply, JsonObject, SimFlavor, SimModel } from './types';

/** A chat completion request that passed Kimi's validation, with what serving it needs. */
export interface ValidChat {
  readonly model: SimModel;
  readonly messages: readonly JsonObject[];
  readonly thinking: boolean;
  /** True when the model cannot answer without reasoning first (K3, K2.7 Code). */
  readonly thinkingFixed: boolean;
  /** The `reasoning_effort` in force on an `effort` model (the request's, else the model's default). */
  readonly reasoningEffort: string | undefined;
  readonly stream: boolean;
  readonly includeUsage: boolean;
  /** The output limit in force: the request's, else the model's default (undefined: none). */
  readonly maxTokens: number | undefined;
  readonly stop: readonly string[];
  /** Text of the assistant message being continued (partial mode), else undefined. */
  readonly partialPrefix: string | undefined;
  /** See `RecordedRequest.reasoningReplayed`. */
  readonly reasoningReplayed: boolean | undefined;
  /** Canonical prompt serialisation (tokenEstimate.ts) and its token count. */
  readonly prompt: Buffer;
  readonly promptTokens: number;
  /** Requests share cached prefixes only within one partition (model, effort, thinking). */
  readonly cachePartition: string;
}

export type ChatValidation = { ok: true; chat: ValidChat } | { ok: false; error: HttpErrorReply };

const TOOL_NAME = /^[a-zA-Z_][a-zA-Z0-9-_]{2,63}$/;
const MAX_TOOLS = 128;
const OLD_MODEL_MAX_TEMPERATURE = 1;
const VLLM_MAX_TEMPERATURE = 2;
const DEFAULT_EFFORTS = ['low', 'high', 'max'];
/** K2.x's fixed sampling (`fixedSampling: true`). */
const K2_TEMPERATURES = { thinkingTemperature: '1.0', instantTemperature: '0.6' };

/** Validates `POST /v1/chat/completions` like Kimi (400/404 bodies as Kimi words them where known). */
export function validateChatRequest(
  body: JsonObject | undefined,
  models: readonly SimModel[],
  flavor: SimFlavor = 'official',
): ChatValidation {
  try {
    return { ok: true, chat: validate(body, models, flavor) };
  } catch (e) {
    if (e instanceof Rejection) {
      return { ok: false, error: e.reply };
    }
    throw e;
  }
}

/** Finds a model by id or throws the 404 Kimi sends (retired and unknown ids alike). */
export function requireModel(modelId: unknown, models: readonly SimModel[]): SimModel {
  if (typeof modelId !== 'string' || modelId === '') {
    throw new Rejection(kimiErrors.invalidRequest('Invalid request: model is required'));
  }
  const model = models.find((m) => m.id === modelId);
  if (!model) {
    throw new Rejection(kimiErrors.modelNotFound(modelId));
  }
  return model;
}

/** Thrown inside validation; carries the HTTP reply. */
export class Rejection extends Error {
  constructor(readonly reply: HttpErrorReply) {
    super(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  }
}

function validate(body: JsonObject | undefined, models: readonly SimModel[], flavor: SimFlavor): ValidChat {
  if (!body) {
    throw invalid('Invalid request: the body must be a JSON object');
  }
  const model = requireModel(body.model, models);
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalid('Invalid request: messages must not be empty');
  }
  const official = flavor === 'official';
  const { thinking, effort } = official ? officialThinking(body, model) : vllmThinking(body, model);
  if (official) {
    checkFixedSampling(body, model, thinking);
  } else {
    checkFreeSampling(body, VLLM_MAX_TEMPERATURE);
  }
  checkTools(body, model, official && thinking);
  const messageError = messageValidationError(messages, model, official && thinking, official);
  if (messageError) {
    throw invalid(messageError);
  }
  const objects = messages as JsonObject[];
  const partialPrefix = official ? officialPartial(body, objects) : vllmPartial(body, objects);
  const maxTokens = checkOutputLimit(body, official) ?? model.defaultMaxTokens;
  const prompt = serializePrompt(objects, body.tools);
  const promptTokens = countPromptTokens(objects, body.tools);
  if (promptTokens + (maxTokens ?? 0) > model.contextLength) {
    throw new Rejection(kimiErrors.contextTooLong(model.contextLength));
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') {
    throw invalid('Invalid request: stream must be a boolean');
  }
  const streamOptions = body.stream_options;
  const control = thinkingControlOf(model);
  return {
    model,
    messages: objects,
    thinking,
    thinkingFixed: control === 'always' || control === 'effort',
    reasoningEffort: effort,
    stream: body.stream === true,
    includeUsage: isJsonObject(streamOptions) && streamOptions.include_usage === true,
    maxTokens,
    stop: checkStop(body.stop),
    partialPrefix,
    reasoningReplayed: model.recordsReasoningReplay ? reasoningReplayed(objects, partialPrefix !== undefined) : undefined,
    prompt,
    promptTokens,
    cachePartition: `${model.id}\u0000${effort ?? (thinking ? 'thinking' : 'instant')}`,
  };
}

/**
 * The official API's thinking switch, per family (../shared/notes/kimi-api.md, December 2026).
 * `chat_template_kwargs` is a vLLM field: the official flavour does not read it (ignored like
 * any unknown field, so a client that sends it there keeps the model's default).
 */
function officialThinking(body: JsonObject, model: SimModel): { thinking: boolean; effort: string | undefined } {
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
function vllmThinking(body: JsonObject, model: SimModel): { thinking: boolean; effort: string | undefined } {
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

/**
 * Fixed sampling on every `kimi-*` model: only the fixed values (K3: temperature 1; K2.x: 1.0
 * thinking / 0.6 instant; top_p 0.95, n 1, penalties 0). K3's top_p / n / penalties are not
 * documented: the simulator holds them to the K2.x values (strict).
 */
function checkFixedSampling(body: JsonObject, model: SimModel, thinking: boolean): void {
  if (!model.fixedSampling) {
    checkFreeSampling(body, OLD_MODEL_MAX_TEMPERATURE);
    return;
  }
  const temps = model.fixedSampling === true ? K2_TEMPERATURES : model.fixedSampling;
  const temperature = thinking ? temps.thinkingTemperature : (temps.instantTemperature ?? temps.thinkingTemperature);
  const fixed: Array<[string, string]> = [
    ['temperature', temperature],
    ['top_p', '0.95'],
    ['n', '1'],
    ['presence_penalty', '0'],
    ['frequency_penalty', '0'],
  ];
  for (const [name, allowed] of fixed) {
    const value = body[name];
    if (value !== undefined && value !== null && value !== Number(allowed)) {
      throw invalid(`invalid ${name}: only ${allowed} is allowed for this model`);
    }
  }
}

function checkFreeSampling(body: JsonObject, maxTemperature: number): void {
  const temperature = body.temperature;
  if (
    temperature !== undefined &&
    temperature !== null &&
    (typeof temperature !== 'number' || temperature < 0 || temperature > maxTemperature)
  ) {
    throw invalid(`invalid temperature: must be in [0, ${maxTemperature}]`);
  }
  if (body.n !== undefined && body.n !== null && body.n !== 1) {
    throw invalid('invalid n: the simulator implements n = 1 only');
  }
}

/**
 * Tools and `tool_choice`. With thinking on (official API), only `auto` / `none`, except on
 * `effort` models (K3), which also take `required`. A named function as tool_choice with thinking
 * on is refused on every family (undocumented for K3: strict).
 */
function checkTools(body: JsonObject, model: SimModel, thinking: boolean): void {
  const tools = body.tools;
  if (tools !== undefined && tools !== null) {
    if (!Array.isArray(tools)) {
      throw invalid('Invalid request: tools must be an array');
    }
    if (tools.length > MAX_TOOLS) {
      throw invalid(`Invalid request: too many tools: ${tools.length}, at most ${MAX_TOOLS} are allowed`);
    }
    tools.forEach((tool: unknown, index) => checkTool(tool, index, thinking));
  }
  const choice = body.tool_choice;
  if (choice === undefined || choice === null) {
    return;
  }
  if (typeof choice === 'string' && !['auto', 'none', 'required'].includes(choice)) {
    throw invalid(`Invalid request: tool_choice must be "auto", "none", "required" or a function, got ${JSON.stringify(choice)}`);
  }
  const allowed = thinkingControlOf(model) === 'effort' ? ['auto', 'none', 'required'] : ['auto', 'none'];
  if (thinking && !(typeof choice === 'string' && allowed.includes(choice))) {
    const shown = typeof choice === 'string' ? `'${choice}'` : JSON.stringify(choice);
    throw invalid(`tool_choice ${shown} is incompatible with thinking enabled`);
  }
}

function checkTool(tool: unknown, index: number, thinking: boolean): void {
  const fn = isJsonObject(tool) && isJsonObject(tool.function) ? tool.function : undefined;
  if (!isJsonObject(tool) || !fn) {
    throw invalid(`Invalid request: tools[${index}] must be {"type": "function", "function": {...}}`);
  }
  if (tool.type === 'builtin_function') {
    if (fn.name !== '$web_search') {
      throw invalid(`Invalid request: unknown builtin function ${JSON.stringify(fn.name)}`);
    }
    if (thinking) {
      throw invalid('Invalid request: builtin function $web_search is not available when thinking is enabled');
    }
    return;
  }
  if (tool.type !== 'function') {
    throw invalid(`Invalid request: tools[${index}].type must be "function"`);
  }
  if (typeof fn.name !== 'string' || !TOOL_NAME.test(fn.name)) {
    throw invalid(
      `Invalid request: function name ${JSON.stringify(fn.name)} is invalid, it must match ${TOOL_NAME.source}`,
    );
  }
}

/**
 * Moonshot's partial mode: `partial: true` on the last (assistant) message. A top-level
 * `partial`, and vLLM's `continue_final_message`, are not partial-mode switches here: the
 * simulator ignores them like any unknown field (our reading; Moonshot documents neither), so
 * the model writes a fresh reply, which shows up as a wrong continuation in a client's tests.
 */
function officialPartial(body: JsonObject, messages: readonly JsonObject[]): string | undefined {
  const last = messages[messages.length - 1];
  if (last.partial !== true) {
    return undefined;
  }
  if (isJsonObject(body.response_format) && body.response_format.type === 'json_object') {
    throw invalid('Invalid request: partial mode cannot be used together with response_format json_object');
  }
  return partialText(last);
}

/**
 * vLLM's continuation: `continue_final_message: true` continues the last (assistant) message and
 * needs `add_generation_prompt: false`. vLLM refuses both set to true with the message below; the
 * simulator also refuses `add_generation_prompt` left at its default (true), which the chat
 * template rejects or answers with a fresh turn (strict; wording ours). Moonshot's
 * `partial: true` is not read: without `continue_final_message` the reply is a fresh answer.
 */
function vllmPartial(body: JsonObject, messages: readonly JsonObject[]): string | undefined {
  if (body.continue_final_message !== true) {
    return undefined;
  }
  if (body.add_generation_prompt === true) {
    throw invalid('Cannot set both `continue_final_message` and `add_generation_prompt` to True.');
  }
  if (body.add_generation_prompt !== false) {
    throw invalid('continue_final_message needs add_generation_prompt: false (its default is true)');
  }
  const last = messages[messages.length - 1];
  if (last.role !== 'assistant' || typeof last.content !== 'string') {
    throw invalid('continue_final_message needs a final assistant message with string content to continue');
  }
  return partialText(last);
}

/**
 * The output limit: `max_completion_tokens` (documented) or `max_tokens` (still accepted).
 * Both at once is undocumented on Kimi: the official flavour refuses it (strict, wording ours);
 * vLLM takes `max_completion_tokens` first, as vLLM does.
 */
function checkOutputLimit(body: JsonObject, official: boolean): number | undefined {
  const has = (v: unknown): boolean => v !== undefined && v !== null;
  if (official && has(body.max_tokens) && has(body.max_completion_tokens)) {
    throw invalid('Invalid request: set max_completion_tokens or max_tokens, not both');
  }
  const name = has(body.max_completion_tokens) ? 'max_completion_tokens' : 'max_tokens';
  const value = body[name];
  if (!has(value)) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalid(`Invalid request: ${name} must be a positive integer`);
  }
  return value;
}

function checkStop(value: unknown): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((s) => typeof s !== 'string') || list.length > 5) {
    throw invalid('Invalid request: stop must be a string or a list of at most 5 strings');
  }
  return (list as string[]).filter((s) => s.length > 0);
}

/**
 * Whether every earlier assistant message (the one being continued in partial mode excluded)
 * carried a non-empty `reasoning_content`; undefined when there was none.
 */
function reasoningReplayed(messages: readonly JsonObject[], partial: boolean): boolean | undefined {
  const earlier = (partial ? messages.slice(0, -1) : messages).filter((m) => m.role === 'assistant');
  if (earlier.length === 0) {
    return undefined;
  }
  return earlier.every((m) => typeof m.reasoning_content === 'string' && m.reasoning_content !== '');
}

function partialText(message: JsonObject): string {
  const name = typeof message.name === 'string' ? message.name : '';
  const content = typeof message.content === 'string' ? message.content : '';
  return name + content;
}

function invalid(message: string): Rejection {
  return new Rejection(kimiErrors.invalidRequest(message));
}
