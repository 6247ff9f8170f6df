/**
 * The chat tools' file-system port with credentials masked in what it reads (secretTokens.ts):
 * `read_file` and `search_text` then show the model the file without its API keys, tokens and
 * password values, as the context does. Pure: wraps any `WorkspaceFileSystem`.
 */
import { maskSecretTokens } from '../context/secretTokens';
import type { WorkspaceFileSystem } from './workspaceFiles';

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

export function maskedFileSystem(fs: WorkspaceFileSystem): WorkspaceFileSystem {
  return {
    folders: () => fs.folders(),
    stat: (path) => fs.stat(path),
    realPath: (path) => fs.realPath(path),
    readDirectory: (path) => fs.readDirectory(path),
    findFiles: (folder, glob, max) => fs.findFiles(folder, glob, max),
    async readFile(path: string): Promise<Uint8Array> {
      const bytes = await fs.readFile(path);
      const masked = maskSecretTokens(decoder.decode(bytes));
      // Unchanged bytes when nothing was masked (binary files stay as they are, for the tools' own checks).
      return masked.count === 0 ? bytes : encoder.encode(masked.text);
    },
  };
}
