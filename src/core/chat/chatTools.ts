/**
 * The chat's tools: `list_files`, `read_file` and `search_text`, over the workspace port. Every
 * path goes through `resolveWorkspacePath` (no escapes, no secrets); results are bounded in size
 * and count so one tool call cannot flood the context window. Pure logic; the port does the I/O.
 */
import type { ToolCall, ToolSpec } from '../kimi/kimiTypes';
import type { ToolCallView } from './protocol';
import { checkWorkspacePath, displayPath, isListable, resolveWorkspacePath, workspacePathIn, type ExclusionPolicy, type WorkspaceFileSystem, type WorkspaceFolderRef } from './workspaceFiles';

export const CHAT_TOOLS: readonly ToolSpec[] = [
  {
    type: 'function',
    function: {
      name: 'list_files',
      description: 'List files in the workspace. Without a pattern, lists one directory (directories end with /). With a glob pattern (e.g. "**/*.ts"), lists matching files under the directory.',
      parameters: {
        type: 'object',
        properties: {
          path: { type: 'string', description: 'Directory relative to the workspace folder; "." for the folder itself.' },
          pattern: { type: 'string', description: 'Optional glob relative to the directory, e.g. "**/*.test.ts".' },
        },
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'read_file',
      description: 'Read a text file of the workspace, optionally only some lines (1-based, inclusive). Long files are cut; ask for later lines with startLine.',
      parameters: {
        type: 'object',
        properties: {
          path: { type: 'string', description: 'File path relative to the workspace folder.' },
          startLine: { type: 'integer', minimum: 1 },
          endLine: { type: 'integer', minimum: 1 },
        },
        required: ['path'],
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'search_text',
      description: 'Search the text of workspace files for a literal string (case-insensitive unless it has capitals). Returns path:line: text for each match.',
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'The literal text to find.' },
          include: { type: 'string', description: 'Optional glob of files to search, e.g. "src/**/*.ts".' },
        },
        required: ['query'],
        additionalProperties: false,
      },
    },
  },
];

export interface ToolLimits {
  maxListEntries: number;
  maxReadChars: number;
  maxReadBytes: number;
  maxSearchFiles: number;
  maxSearchFileBytes: number;
  maxSearchMatches: number;
}

export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  maxListEntries: 300,
  maxReadChars: 60_000,
  maxReadBytes: 4_000_000,
  maxSearchFiles: 5_000,
  maxSearchFileBytes: 1_000_000,
  maxSearchMatches: 60,
};

/** What a tool call produced: the text for the model and a compact line for the transcript. */
export interface ToolOutcome {
  content: string;
  view: ToolCallView;
}

type Args = Record<string, unknown>;

function parseArgs(raw: string): Args | undefined {
  try {
    const value: unknown = JSON.parse(raw.trim() === '' ? '{}' : raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Args) : undefined;
  } catch {
    return undefined;
  }
}

function str(args: Args, key: string): string | undefined {
  return typeof args[key] === 'string' ? (args[key] as string) : undefined;
}

function int(args: Args, key: string): number | undefined {
  const v = args[key];
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8_000);
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 0) {
      return true;
    }
  }
  return false;
}

const decoder = new TextDecoder('utf-8');

/** Turns a glob into a safe relative one: no absolute paths, no `..`. */
function safeGlob(glob: string): string | undefined {
  const g = glob.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  if (g === '' || g.startsWith('/') || /^[a-z]:/i.test(g) || g.split('/').includes('..') || g.length > 300) {
    return undefined;
  }
  return g;
}

/** `read_file src/app.ts`: the tool's name and its main argument, for the transcript. */
export function toolCallLabel(call: ToolCall): string {
  const args = parseArgs(call.function.arguments) ?? {};
  const detail = str(args, 'path') ?? str(args, 'query') ?? str(args, 'pattern') ?? '';
  const shown = detail.length > 80 ? `${detail.slice(0, 77)}…` : detail;
  return shown ? `${call.function.name} ${shown}` : call.function.name;
}

export class ChatToolbox {
  readonly specs = CHAT_TOOLS;

  constructor(
    private readonly fs: WorkspaceFileSystem,
    private readonly policy: ExclusionPolicy,
    /** Why a file's text must not be sent (e.g. a private key pasted into it), or undefined. */
    private readonly contentPolicy: (text: string) => string | undefined = () => undefined,
    private readonly limits: ToolLimits = DEFAULT_TOOL_LIMITS,
    /** Resolves when the exclusion policy is complete (e.g. ignore files read); awaited before each call. */
    private readonly ready: () => Promise<void> = async () => undefined,
  ) {}

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
          return await this.listFiles(args, view);
        case 'read_file':
          return await this.readFile(args, view);
        case 'search_text':
          return await this.searchText(args, view, signal);
        default:
          return { content: `Error: there is no tool named ${call.function.name}.`, view: view('error', 'unknown tool') };
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { content: `Error: ${message}`, view: view('error', message.slice(0, 120)) };
    }
  }

  private async listFiles(args: Args, view: (s: ToolCallView['status'], d: string) => ToolCallView): Promise<ToolOutcome> {
    const dir = await resolveWorkspacePath(str(args, 'path') ?? '.', this.fs, this.policy);
    if (!dir.ok) {
      return { content: `Refused: ${dir.reason}.`, view: view('refused', dir.reason) };
    }
    const { folder, relative, display } = dir.value;
    const stat = await this.fs.stat(dir.value.path);
    if (stat?.type !== 'directory') {
      return { content: `Error: ${display} is not a directory.`, view: view('error', 'not a directory') };
    }
    const folders = this.fs.folders();
    const rawPattern = str(args, 'pattern');
    let lines: string[];
    let more = false;
    if (rawPattern !== undefined) {
      const pattern = safeGlob(rawPattern);
      if (!pattern) {
        return { content: 'Refused: the pattern must be a relative glob without "..".', view: view('refused', 'bad pattern') };
      }
      const glob = relative ? `${relative}/${pattern}` : pattern;
      const found = await this.fs.findFiles(folder, glob, this.limits.maxListEntries * 2);
      const candidates = found.map((p) => relativeTo(p, folder)).filter((r): r is string => r !== undefined && isListable(r, folder, this.policy));
      // VS Code's file search follows symbolic links: a name found through a linked folder that
      // leads outside the workspace (or to an excluded file) is not listed.
      const rels: string[] = [];
      for (const r of candidates) {
        if ((await checkWorkspacePath(workspacePathIn(folder, r, folders), this.fs, this.policy)).ok) {
          rels.push(r);
        }
      }
      rels.sort();
      more = rels.length > this.limits.maxListEntries;
      lines = rels.slice(0, this.limits.maxListEntries).map((r) => displayPath(folder, r, folders));
    } else {
      const entries = await this.fs.readDirectory(dir.value.path);
      const shown = entries
        .filter((e) => {
          const rel = relative ? `${relative}/${e.name}` : e.name;
          // A directory is hidden too when what is inside it would be (`.aws/`, `node_modules/`).
          return isListable(rel, folder, this.policy) && (e.type !== 'directory' || isListable(`${rel}/file`, folder, this.policy));
        })
        .sort((a, b) => (a.type === b.type ? (a.name < b.name ? -1 : 1) : a.type === 'directory' ? -1 : 1));
      more = shown.length > this.limits.maxListEntries;
      lines = shown.slice(0, this.limits.maxListEntries).map((e) => `${e.name}${e.type === 'directory' ? '/' : ''}${e.isSymlink ? ' (symlink)' : ''}`);
    }
    const header = rawPattern !== undefined ? `Files matching ${rawPattern} under ${display}:` : `Contents of ${display}:`;
    const tail = more ? `\n… more entries left out; narrow the pattern.` : '';
    return { content: `${header}\n${lines.join('\n') || '(none)'}${tail}`, view: view('ok', `${lines.length}${more ? '+' : ''} entries`) };
  }

  private async readFile(args: Args, view: (s: ToolCallView['status'], d: string) => ToolCallView): Promise<ToolOutcome> {
    const requested = str(args, 'path');
    if (!requested) {
      return { content: 'Error: path is required.', view: view('error', 'no path') };
    }
    const file = await resolveWorkspacePath(requested, this.fs, this.policy);
    if (!file.ok) {
      return { content: `Refused: ${file.reason}.`, view: view('refused', file.reason) };
    }
    const { display } = file.value;
    const stat = await this.fs.stat(file.value.path);
    if (stat?.type !== 'file') {
      return { content: `Error: ${display} is not a file.`, view: view('error', 'not a file') };
    }
    if (stat.size > this.limits.maxReadBytes) {
      return { content: `Refused: ${display} is too large to read (${stat.size} bytes).`, view: view('refused', 'too large') };
    }
    const bytes = await this.fs.readFile(file.value.path);
    if (looksBinary(bytes)) {
      return { content: `Refused: ${display} is a binary file.`, view: view('refused', 'binary file') };
    }
    const decoded = decoder.decode(bytes);
    const secret = this.contentPolicy(decoded);
    if (secret) {
      return { content: `Refused: ${display} is excluded (${secret}).`, view: view('refused', secret) };
    }
    const allLines = decoded.split(/\r?\n/);
    const total = allLines.length;
    const start = Math.min(int(args, 'startLine') ?? 1, total);
    const end = Math.min(Math.max(int(args, 'endLine') ?? total, start), total);
    let text = '';
    let last = start - 1;
    for (let i = start - 1; i < end; i++) {
      const line = allLines[i];
      if (text.length + line.length + 1 > this.limits.maxReadChars && i > start - 1) {
        break;
      }
      text += (i > start - 1 ? '\n' : '') + line;
      last = i + 1;
    }
    const cut = last < end ? `\n[… cut at line ${last}; read on with startLine ${last + 1}]` : '';
    return {
      content: `${display} (lines ${start}-${last} of ${total}):\n${text}${cut}`,
      view: view('ok', `lines ${start}-${last} of ${total}`),
    };
  }

  private async searchText(args: Args, view: (s: ToolCallView['status'], d: string) => ToolCallView, signal?: AbortSignal): Promise<ToolOutcome> {
    const query = str(args, 'query');
    if (!query || query.length > 500) {
      return { content: 'Error: query must be a non-empty string of at most 500 characters.', view: view('error', 'bad query') };
    }
    const include = str(args, 'include');
    const glob = include === undefined ? '**/*' : safeGlob(include);
    if (!glob) {
      return { content: 'Refused: include must be a relative glob without "..".', view: view('refused', 'bad include') };
    }
    const caseSensitive = query !== query.toLowerCase();
    const needle = caseSensitive ? query : query.toLowerCase();
    const folders = this.fs.folders();
    const matches: string[] = [];
    let filesSearched = 0;
    let truncated = false;
    outer: for (const folder of folders) {
      const files = await this.fs.findFiles(folder, glob, this.limits.maxSearchFiles);
      files.sort();
      for (const path of files) {
        if (signal?.aborted) {
          break outer;
        }
        const relative = relativeTo(path, folder);
        if (relative === undefined || !isListable(relative, folder, this.policy)) {
          continue;
        }
        // The full check (symlinks resolved) only for files that pass the cheap one.
        // Checked in the folder it was found in (not by its display name, which two folders can share).
        const checked = await checkWorkspacePath(workspacePathIn(folder, relative, folders), this.fs, this.policy);
        if (!checked.ok) {
          continue;
        }
        const stat = await this.fs.stat(path);
        if (stat?.type !== 'file' || stat.size > this.limits.maxSearchFileBytes) {
          continue;
        }
        const bytes = await this.fs.readFile(path);
        if (looksBinary(bytes)) {
          continue;
        }
        const decoded = decoder.decode(bytes);
        if (this.contentPolicy(decoded)) {
          continue;
        }
        filesSearched++;
        const lines = decoded.split(/\r?\n/);
        for (let i = 0; i < lines.length; i++) {
          const hay = caseSensitive ? lines[i] : lines[i].toLowerCase();
          if (hay.includes(needle)) {
            if (matches.length >= this.limits.maxSearchMatches) {
              truncated = true;
              break outer;
            }
            const line = lines[i].trim();
            matches.push(`${checked.value.display}:${i + 1}: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`);
          }
        }
      }
    }
    const tail = truncated ? `\n… more matches left out; narrow the query or include.` : '';
    return {
      content: matches.length > 0 ? `${matches.join('\n')}${tail}` : `No matches for "${query}" in ${filesSearched} files.`,
      view: view('ok', `${matches.length}${truncated ? '+' : ''} matches`),
    };
  }
}

function relativeTo(path: string, folder: WorkspaceFolderRef): string | undefined {
  const prefix = `${folder.path}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
}
