import { isJsonObject } from './jsonObject';
import { invalid } from './requestRejection';
import { thinkingControlOf } from './simModels';
import type { JsonObject, SimModel } from './types';

const TOOL_NAME = /^[a-zA-Z_][a-zA-Z0-9-_]{2,63}$/;
const MAX_TOOLS = 128;

/**
 * Tools and `tool_choice`. With thinking on (official API), only `auto` / `none`, except on
 * `effort` models (K3), which also take `required`. A named function as tool_choice with thinking
 * on is refused on every family (undocumented for K3: strict).
 */
export function checkTools(body: JsonObject, model: SimModel, thinking: boolean): void {
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
