import type { EntryStat, WorkspaceFileSystem, WorkspaceFolderRef } from '../../../src/core/chat/workspaceFiles';

export type Node = { file: string | Uint8Array } | { dir: true } | { link: string };

/** An in-memory file system with symlinks, resolved component by component like realpath(3). */
export class MemoryFs implements WorkspaceFileSystem {
  constructor(
    private readonly nodes: Record<string, Node>,
    private readonly roots: WorkspaceFolderRef[],
  ) {}
  folders() {
    return this.roots;
  }
  private resolve(path: string, depth = 0): string | undefined {
    if (depth > 20) {
      return undefined;
    }
    const parts = path.split('/').filter(Boolean);
    let current = '';
    for (const part of parts) {
      current = `${current}/${part}`;
      const node = this.nodes[current];
      if (!node) {
        return undefined;
      }
      if ('link' in node) {
        const target = this.resolve(node.link, depth + 1);
        if (!target) {
          return undefined;
        }
        current = target;
      }
    }
    return current || '/';
  }
  async stat(path: string): Promise<EntryStat | undefined> {
    const real = this.resolve(path);
    const node = real ? this.nodes[real] : undefined;
    if (!node) {
      return undefined;
    }
    const isSymlink = 'link' in (this.nodes[path] ?? {});
    return 'dir' in node ? { type: 'directory', isSymlink, size: 0 } : { type: 'file', isSymlink, size: 'file' in node ? node.file.length : 0 };
  }
  async realPath(path: string) {
    return this.resolve(path);
  }
  async readDirectory(path: string) {
    const real = this.resolve(path)!;
    return Object.keys(this.nodes)
      .filter((p) => p.startsWith(`${real}/`) && !p.slice(real.length + 1).includes('/'))
      .map((p) => {
        const node = this.nodes[p];
        const name = p.slice(real.length + 1);
        return { name, type: 'dir' in node ? ('directory' as const) : ('file' as const), isSymlink: 'link' in node };
      });
  }
  async readFile(path: string) {
    const node = this.nodes[this.resolve(path) ?? ''];
    if (!node || !('file' in node)) {
      throw new Error(`ENOENT ${path}`);
    }
    return typeof node.file === 'string' ? new TextEncoder().encode(node.file) : node.file;
  }
  async findFiles(folder: WorkspaceFolderRef, glob: string, max: number) {
    // Enough glob for the tests: "**/*", "**/*.ext", "dir/**/*".
    const [dir, ext] = glob === '**/*' ? ['', ''] : glob.startsWith('**/*') ? ['', glob.slice(4)] : [glob.replace(/\/\*\*\/\*$/, ''), ''];
    return Object.keys(this.nodes)
      .filter((p) => p.startsWith(`${folder.path}/${dir}`) && 'file' in this.nodes[p] && p.endsWith(ext))
      .slice(0, max);
  }
}
