import * as assert from 'node:assert/strict';
import { ChatToolbox } from '../../../src/core/chat/chatTools';
import { pathWithoutLinks, type EntryStat, type WorkspaceFolderRef } from '../../../src/core/chat/workspaceFiles';
import type { ToolCall } from '../../../src/core/kimi/kimiTypes';
import { MemoryFs } from '../helpers/memoryFs';

/** File search as VS Code's (search.followSymlinks on): names under a linked folder are found too. */
class FollowingFs extends MemoryFs {
  override async findFiles(folder: WorkspaceFolderRef, glob: string, max: number): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      for (const entry of await this.readDirectory(dir)) {
        const path = `${dir}/${entry.name}`;
        const s = await this.stat(path);
        if (s?.type === 'directory' && depth < 5) {
          await walk(path, depth + 1);
        } else if (s?.type === 'file' && (glob === '**/*' || path.endsWith(glob.replace(/^\*\*\/\*/, '')))) {
          out.push(path);
        }
      }
    };
    await walk(folder.path, 0);
    return out.slice(0, max);
  }
}

let n = 0;
const call = (name: string, args: unknown): ToolCall => ({ id: `c${n++}`, type: 'function', function: { name, arguments: JSON.stringify(args) } });

describe('chat tools and symbolic links', () => {
  it('list_files with a pattern lists no name found through a folder linked outside the workspace', async () => {
    const fs = new FollowingFs(
      {
        '/ws': { dir: true },
        '/ws/p': { dir: true },
        '/ws/p/a.txt': { file: 'a' },
        '/ws/p/linked': { link: '/home/me/.ssh' },
        '/home': { dir: true },
        '/home/me': { dir: true },
        '/home/me/.ssh': { dir: true },
        '/home/me/.ssh/id_ed25519.txt': { file: 'key' },
        '/home/me/.ssh/prod-db-password.txt': { file: 'x' },
      },
      [{ name: 'p', path: '/ws/p' }],
    );
    const tools = new ChatToolbox(fs, () => undefined);
    const listed = await tools.run(call('list_files', { pattern: '**/*.txt' }));
    assert.equal(listed.view.status, 'ok');
    assert.deepEqual(listed.content.split('\n').slice(1), ['a.txt']);
  });

  it('on a scheme without real paths, a linked directory in the middle of the path is caught', async () => {
    const stats: Record<string, EntryStat> = {
      '/r/p/src': { type: 'directory', isSymlink: false, size: 0 },
      '/r/p/src/a.ts': { type: 'file', isSymlink: false, size: 1 },
      '/r/p/linked': { type: 'directory', isSymlink: true, size: 0 },
      '/r/p/linked/passwd': { type: 'file', isSymlink: false, size: 1 },
      '/r/p/file-link': { type: 'file', isSymlink: true, size: 1 },
    };
    const stat = async (p: string): Promise<EntryStat | undefined> => stats[p];
    assert.equal(await pathWithoutLinks('/r/p/src/a.ts', '/r/p', stat), '/r/p/src/a.ts');
    assert.equal(await pathWithoutLinks('/r/p', '/r/p', stat), '/r/p');
    assert.equal(await pathWithoutLinks('/r/p/linked/passwd', '/r/p', stat), undefined);
    assert.equal(await pathWithoutLinks('/r/p/file-link', '/r/p', stat), undefined);
    assert.equal(await pathWithoutLinks('/r/p/missing', '/r/p', stat), undefined);
    assert.equal(await pathWithoutLinks('/elsewhere/x', '/r/p', stat), undefined);
  });

  it('in a multi-root workspace whose folders share a name, search checks the file it reads', async () => {
    const fs = new MemoryFs(
      {
        '/one': { dir: true },
        '/one/app': { dir: true },
        '/one/app/notes.txt': { file: 'harmless' },
        '/two': { dir: true },
        '/two/app': { dir: true },
        '/two/app/notes.txt': { link: '/secret/token.txt' },
        '/two/app/b.txt': { file: 'needle in two' },
        '/secret': { dir: true },
        '/secret/token.txt': { file: 'needle: SECRET-TOKEN' },
      },
      [
        { name: 'app', path: '/one/app' },
        { name: 'app', path: '/two/app' },
      ],
    );
    const tools = new ChatToolbox(fs, () => undefined);
    const found = await tools.run(call('search_text', { query: 'needle' }));
    assert.ok(!found.content.includes('SECRET-TOKEN'), found.content);
    // The second folder's files are shown by its path, which reads back the same file.
    assert.ok(found.content.includes('/two/app/b.txt:1: needle in two'), found.content);
    const read = await tools.run(call('read_file', { path: '/two/app/b.txt' }));
    assert.match(read.content, /needle in two/);
    const listed = await tools.run(call('list_files', { path: '/two/app', pattern: '**/*.txt' }));
    assert.deepEqual(listed.content.split('\n').slice(1), ['/two/app/b.txt']);
  });
});
