import type { ToolCall } from '../kimi/kimiTypes';
import { parseArgs, str } from './toolArgs';

/** `read_file src/app.ts`: the tool's name and its main argument, for the transcript. */
export function toolCallLabel(call: ToolCall): string {
  const args = parseArgs(call.function.arguments) ?? {};
  const detail = str(args, 'path') ?? str(args, 'query') ?? str(args, 'pattern') ?? '';
  const shown = detail.length > 80 ? `${detail.slice(0, 77)}…` : detail;
  return shown ? `${call.function.name} ${shown}` : call.function.name;
}
