import { isJsonObject } from './jsonObject';
import { kimiErrors } from './kimiErrorReplies';
import { messageValidationError } from './messageValidation';
import { officialPartial, vllmPartial } from './partialMode';
import { invalid, Rejection } from './requestRejection';
import { checkFixedSampling, checkFreeSampling } from './samplingRules';
import { thinkingControlOf } from './simModels';
import { officialThinking, vllmThinking } from './thinkingRules';
import { promptTokens as countPromptTokens, serializePrompt } from './tokenEstimate';
import { checkTools } from './toolRules';
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

const VLLM_MAX_TEMPERATURE = 2;

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

