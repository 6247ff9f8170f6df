/** What the tools share about files found in the workspace: their relative path and their text. */
import type { WorkspaceFolderRef } from './workspaceFiles';

/** True when the first 8,000 bytes hold a NUL byte. */
export function hasNulByte(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8_000);
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 0) {
      return true;
    }
  }
  return false;
}

const decoder = new TextDecoder('utf-8');

/** The file's bytes as UTF-8 text. */
export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** `path` relative to the folder, or undefined when it is not inside it. */
export function relativeTo(path: string, folder: WorkspaceFolderRef): string | undefined {
  const prefix = `${folder.path}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
}
