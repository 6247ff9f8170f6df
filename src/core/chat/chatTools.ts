/**
 * The chat's tools: `list_files`, `read_file` and `search_text` (`listFilesTool.ts`,
 * `readFileTool.ts`, `searchTextTool.ts`), over the workspace port. Every path goes through
 * `resolveWorkspacePath` (no escapes, no secrets); results are bounded in size and count so one
 * tool call cannot flood the context window. Pure logic; the port does the I/O.
 */
import type { ToolCall } from '../kimi/kimiTypes';
import { CHAT_TOOLS } from './chatToolSpecs';
import { listFiles } from './listFilesTool';
import type { ToolCallView } from './protocol';
import { readFile } from './readFileTool';
import { searchText } from './searchTextTool';
import { parseArgs } from './toolArgs';
import { toolCallLabel } from './toolCallLabel';
import { DEFAULT_TOOL_LIMITS, type ToolLimits, type ToolOutcome, type ToolScope } from './toolScope';
import type { ExclusionPolicy, WorkspaceFileSystem } from './workspaceFiles';

/** Runs the chat's tool calls against the workspace (the runner the turn loop is given). */
export class ChatToolbox {
  readonly specs = CHAT_TOOLS;
  private readonly scope: ToolScope;

  constructor(
    fs: WorkspaceFileSystem,
    policy: ExclusionPolicy,
    /** Why a file's text must not be sent (e.g. a private key pasted into it), or undefined. */
    contentPolicy: (text: string) => string | undefined = () => undefined,
    limits: ToolLimits = DEFAULT_TOOL_LIMITS,
    /** Resolves when the exclusion policy is complete (e.g. ignore files read); awaited before each call. */
    private readonly ready: () => Promise<void> = async () => undefined,
  ) {
    this.scope = { fs, policy, contentPolicy, limits };
  }

  /** A one-line label for the transcript before the call runs. */
  label(call: ToolCall): string {
    return toolCallLabel(call);
  }

  /** Runs one call; never throws (failures become a message for the model and an error line). */
  async run(call: ToolCall, signal?: AbortSignal): Promise<ToolOutcome> {
    const view = (status: ToolCallView['status'], detail: string): ToolCallView => ({ id: call.id, name: call.function.name, label: toolCallLabel(call), status, detail });
    const args = parseArgs(call.function.arguments);
    if (!args) {
      return { content: 'Error: the arguments are not a JSON object.', view: view('error', 'bad arguments') };
    }
    try {
      await this.ready();
      switch (call.function.name) {
        case 'list_files':
          return await listFiles(args, view, this.scope);
        case 'read_file':
          return await readFile(args, view, this.scope);
        case 'search_text':
          return await searchText(args, view, this.scope, signal);
        default:
          return { content: `Error: there is no tool named ${call.function.name}.`, view: view('error', 'unknown tool') };
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { content: `Error: ${message}`, view: view('error', message.slice(0, 120)) };
    }
  }
}
