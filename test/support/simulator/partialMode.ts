import { isJsonObject } from './jsonObject';
import { invalid } from './requestRejection';
import type { JsonObject } from './types';

/**
 * Moonshot's partial mode: `partial: true` on the last (assistant) message. A top-level
 * `partial`, and vLLM's `continue_final_message`, are not partial-mode switches here: the
 * simulator ignores them like any unknown field (our reading; Moonshot documents neither), so
 * the model writes a fresh reply, which shows up as a wrong continuation in a client's tests.
 */
export function officialPartial(body: JsonObject, messages: readonly JsonObject[]): string | undefined {
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
export function vllmPartial(body: JsonObject, messages: readonly JsonObject[]): string | undefined {
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

function partialText(message: JsonObject): string {
  const name = typeof message.name === 'string' ? message.name : '';
  const content = typeof message.content === 'string' ? message.content : '';
  return name + content;
}
