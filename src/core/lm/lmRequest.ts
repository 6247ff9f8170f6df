/**
 * What the language model provider tells VS Code about a model, and the Kimi request it sends for
 * VS Code's messages, both from the model's profile (`modelProfiles.ts`): the family rules live
 * there, this only applies them.
 */
import type { ChatRequest, ReasoningEffort, ToolSpec } from '../kimi/kimiTypes';
import type { ModelPrices, ModelProfile } from '../kimi/modelProfiles';
import type { LmMessage, LmTool } from './lmTypes';
import { toKimiMessages } from './messageConversion';
import type { ReasoningStore } from './reasoningStore';

/** Kimi's limit on functions per request. */
export const MAX_TOOLS = 128;

/** `LanguageModelChatInformation` as plain data. */
export interface LmModelInfo {
  id: string;
  name: string;
  family: string;
  version: string;
  detail: string;
  tooltip: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  capabilities: { toolCalling: number; imageInput: boolean };
}

/**
 * The model as VS Code's picker shows it. The input limit leaves the output limit free in the
 * window (reasoning counts against the output limit). `prices`: what the meter will charge
 * (`pricesFor`: the user's `moonpilot.prices`, else the profile's).
 */
export function lmModelInfo(profile: ModelProfile, endpoint: string, prices: ModelPrices | undefined = profile.prices): LmModelInfo {
  const maxOutputTokens = Math.min(profile.maxOutputTokens, Math.floor(profile.contextLength / 2));
  const window = `${Math.round(profile.contextLength / 1024)}K window`;
  return {
    id: profile.id,
    name: profile.label,
    family: profile.family,
    version: profile.id,
    detail: endpoint,
    tooltip: `${profile.label} (${profile.id}) via Moonpilot: ${window}, up to ${maxOutputTokens.toLocaleString('en-US')} output tokens${prices ? `, $${prices.inputPerMillion} / $${prices.cachedInputPerMillion} cached / $${prices.outputPerMillion} out per 1M tokens` : ''}.`,
    maxInputTokens: profile.contextLength - maxOutputTokens,
    maxOutputTokens,
    capabilities: { toolCalling: MAX_TOOLS, imageInput: profile.supportsImages === true },
  };
}

export interface LmRequestInput {
  profile: ModelProfile;
  messages: readonly LmMessage[];
  tools: readonly LmTool[];
  /** VS Code's tool mode: `required` goes out only where the profile allows it (K3), else `auto` (requestBody.ts). */
  toolMode?: 'auto' | 'required';
  /** Effort for effort-controlled models (K3): `moonpilot.chat.reasoningEffort`. */
  effort?: ReasoningEffort;
  store: Pick<ReasoningStore, 'recall'>;
}

/**
 * The Kimi request: no sampling parameters (ChatRequest has none), the output limit always set,
 * thinking on where it can be switched (an agent needs it), the chat effort where the model takes
 * one, every remembered reasoning put back. The wire body (requestBody.ts) applies the rest of
 * the profile (which replies keep their reasoning, the output limit's name, tool_choice).
 */
export function buildLmRequest(input: LmRequestInput): ChatRequest {
  const { profile } = input;
  const request: ChatRequest = {
    model: profile.id,
    messages: toKimiMessages(input.messages, input.store, { imageInput: profile.supportsImages === true }),
    maxTokens: lmModelInfo(profile, '').maxOutputTokens,
  };
  if (profile.thinking.kind === 'switchable') {
    request.thinking = true;
  }
  if (profile.thinking.kind === 'effort' && input.effort) {
    request.reasoningEffort = input.effort;
  }
  const tools = input.tools.slice(0, MAX_TOOLS).map(toolSpec);
  if (tools.length > 0) {
    request.tools = tools;
    request.toolChoice = input.toolMode === 'required' && profile.toolChoiceRequired ? 'required' : 'auto';
  }
  return request;
}

function toolSpec(tool: LmTool): ToolSpec {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: (tool.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} } },
  };
}
