import { int, str, type ToolArgs } from './toolArgs';
import { decodeUtf8, hasNulByte } from './toolFiles';
import type { ToolOutcome, ToolScope, ToolViewOf } from './toolScope';
import { resolveWorkspacePath } from './workspaceFiles';

/**
 * `read_file`: a text file's lines (a range when asked), cut at the limit with where to read on;
 * binary, too large, excluded or secret-holding files are refused.
 */
export async function readFile(args: ToolArgs, view: ToolViewOf, scope: ToolScope): Promise<ToolOutcome> {
  const requested = str(args, 'path');
  if (!requested) {
    return { content: 'Error: path is required.', view: view('error', 'no path') };
  }
  const file = await resolveWorkspacePath(requested, scope.fs, scope.policy);
  if (!file.ok) {
    return { content: `Refused: ${file.reason}.`, view: view('refused', file.reason) };
  }
  const { display } = file.value;
  const stat = await scope.fs.stat(file.value.path);
  if (stat?.type !== 'file') {
    return { content: `Error: ${display} is not a file.`, view: view('error', 'not a file') };
  }
  if (stat.size > scope.limits.maxReadBytes) {
    return { content: `Refused: ${display} is too large to read (${stat.size} bytes).`, view: view('refused', 'too large') };
  }
  const bytes = await scope.fs.readFile(file.value.path);
  if (hasNulByte(bytes)) {
    return { content: `Refused: ${display} is a binary file.`, view: view('refused', 'binary file') };
  }
  const decoded = decodeUtf8(bytes);
  const secret = scope.contentPolicy(decoded);
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
    if (text.length + line.length + 1 > scope.limits.maxReadChars && i > start - 1) {
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
