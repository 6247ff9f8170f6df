import { isJsonObject } from './jsonObject';
import { kimiErrors } from './kimiErrorReplies';
import { messageValidationError } from './messageValidation';
import { promptTokens as countPromptTokens, serializePrompt } from './tokenEstimate';
import type { HttpErrorReply, JsonObject, SimModel } from './types';

/** A chat completion request that passed Kimi's validation, with what serving it needs. */
export interface ValidChat {
  readonly model: SimModel;
  readonly messages: readonly JsonObject[];
  readonly thinking: boolean;
  readonly stream: boolean;
  readonly includeUsage: boolean;
  readonly maxTokens: number | undefined;
  readonly stop: readonly string[];
  /** Content of the trailing `{role:"assistant", partial:true}` message, when in partial mode. */
  readonly partialPrefix: string | undefined;
  /** Canonical prompt serialisation (tokenEstimate.ts) and its token count. */
  readonly prompt: Buffer;
  readonly promptTokens: number;
}

export type ChatValidation = { ok: true; chat: ValidChat } | { ok: false; error: HttpErrorReply };

const TOOL_NAME = /^[a-zA-Z_][a-zA-Z0-9-_]{2,63}$/;
const MAX_TOOLS = 128;
const OLD_MODEL_MAX_TEMPERATURE = 1;

/** Validates `POST /v1/chat/completions` like Kimi (400/404 bodies as Kimi words them where known). */
export function validateChatRequest(body: JsonObject | undefined, models: readonly SimModel[]): ChatValidation {
  try {
    return { ok: true, chat: validate(body, models) };
  } catch (e) {
    if (e instanceof Rejection) {
      return { ok: false, error: e.reply };
    }
    throw e;
  }
}

/** Finds a model by id or throws the 404 Kimi sends. */
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

function validate(body: JsonObject | undefined, models: readonly SimModel[]): ValidChat {
  if (!body) {
    throw invalid('Invalid request: the body must be a JSON object');
  }
  const model = requireModel(body.model, models);
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalid('Invalid request: messages must not be empty');
  }
  const thinking = resolveThinking(body, model);
  checkSampling(body, model, thinking);
  checkTools(body, thinking);
  const messageError = messageValidationError(messages, model, thinking);
  if (messageError) {
    throw invalid(messageError);
  }
  const objects = messages as JsonObject[];
  const last = objects[objects.length - 1];
  const partialPrefix = last.partial === true ? partialText(last) : undefined;
  if (partialPrefix !== undefined && isJsonObject(body.response_format) && body.response_format.type === 'json_object') {
    throw invalid('Invalid request: partial mode cannot be used together with response_format json_object');
  }
  const maxTokens = checkMaxTokens(body.max_tokens ?? body.max_completion_tokens);
  const prompt = serializePrompt(objects, body.tools);
  const promptTokens = countPromptTokens(objects, body.tools);
  if (promptTokens + (maxTokens ?? 0) > model.contextLength) {
    throw new Rejection(kimiErrors.contextTooLong(model.contextLength));
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') {
    throw invalid('Invalid request: stream must be a boolean');
  }
  const streamOptions = body.stream_options;
  return {
    model,
    messages: objects,
    thinking,
    stream: body.stream === true,
    includeUsage: isJsonObject(streamOptions) && streamOptions.include_usage === true,
    maxTokens,
    stop: checkStop(body.stop),
    partialPrefix,
    prompt,
    promptTokens,
  };
}

function resolveThinking(body: JsonObject, model: SimModel): boolean {
  const field = body.thinking;
  let requested: boolean | undefined;
  if (field !== undefined) {
    if (!isJsonObject(field)) {
      throw invalid('Invalid request: thinking must be an object like {"type": "enabled"} or {"type": "disabled"}');
    }
    if (field.type !== 'enabled' && field.type !== 'disabled') {
      throw invalid(`Invalid request: thinking.type must be "enabled" or "disabled", got ${JSON.stringify(field.type)}`);
    }
    if (body.reasoning_effort !== undefined) {
      throw invalid('Invalid request: thinking and reasoning_effort cannot be set at the same time');
    }
    requested = field.type === 'enabled';
  } else {
    const kwargs = body.chat_template_kwargs;
    if (isJsonObject(kwargs) && typeof kwargs.thinking === 'boolean') {
      requested = kwargs.thinking;
    }
  }
  if (!model.supportsReasoning) {
    if (requested === true) {
      throw invalid(`Invalid request: model ${model.id} does not support thinking`);
    }
    return false;
  }
  if (model.alwaysThinks) {
    if (requested === false) {
      throw invalid(`Invalid request: thinking cannot be disabled for model ${model.id}`);
    }
    return true;
  }
  return requested ?? true;
}

function checkSampling(body: JsonObject, model: SimModel, thinking: boolean): void {
  if (model.fixedSampling) {
    const fixed: Array<[string, number]> = [
      ['temperature', thinking ? 1.0 : 0.6],
      ['top_p', 0.95],
      ['n', 1],
      ['presence_penalty', 0],
      ['frequency_penalty', 0],
    ];
    for (const [name, allowed] of fixed) {
      const value = body[name];
      if (value !== undefined && value !== null && value !== allowed) {
        const shown = name === 'temperature' ? allowed.toFixed(1) : String(allowed);
        throw invalid(`invalid ${name}: only ${shown} is allowed for this model`);
      }
    }
    return;
  }
  const temperature = body.temperature;
  if (
    temperature !== undefined &&
    temperature !== null &&
    (typeof temperature !== 'number' || temperature < 0 || temperature > OLD_MODEL_MAX_TEMPERATURE)
  ) {
    throw invalid(`invalid temperature: must be in [0, ${OLD_MODEL_MAX_TEMPERATURE}]`);
  }
  if (body.n !== undefined && body.n !== null && body.n !== 1) {
    throw invalid('invalid n: the simulator implements n = 1 only');
  }
}

function checkTools(body: JsonObject, thinking: boolean): void {
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
  if (thinking && choice !== undefined && choice !== null && choice !== 'auto' && choice !== 'none') {
    throw invalid(
      `Invalid request: tool_choice ${JSON.stringify(choice)} is incompatible with thinking enabled, only "auto" or "none" are allowed`,
    );
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

function checkMaxTokens(value: unknown): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalid('Invalid request: max_tokens must be a positive integer');
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

function partialText(message: JsonObject): string {
  const name = typeof message.name === 'string' ? message.name : '';
  const content = typeof message.content === 'string' ? message.content : '';
  return name + content;
}

function invalid(message: string): Rejection {
  return new Rejection(kimiErrors.invalidRequest(message));
}
