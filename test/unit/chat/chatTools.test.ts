import * as assert from 'node:assert/strict';
import { ChatToolbox } from '../../../src/core/chat/chatTools';
import { resolveRequestedPath, type WorkspaceFolderRef } from '../../../src/core/chat/workspaceFiles';
import { secretContentReason, secretFileReason } from '../../../src/core/context/secretFiles';
import type { ToolCall } from '../../../src/core/kimi/kimiTypes';
import { MemoryFs } from '../helpers/memoryFs';

const root: WorkspaceFolderRef = { name: 'project', path: '/ws/project' };
const secretPolicy = (rel: string): string | undefined => (/(^|\/)\.env(\.|$)/.test(rel) ? 'secret file' : rel.startsWith('node_modules/') ? 'ignored' : undefined);

function makeFs(): MemoryFs {
  return new MemoryFs(
    {
      '/ws': { dir: true },
      '/ws/project': { dir: true },
      '/ws/project/src': { dir: true },
      '/ws/project/src/app.ts': { file: 'import { add } from "./math";\nexport function main() {\n  return add(1, 2);\n}\n' },
      '/ws/project/src/math.ts': { file: 'export function add(a: number, b: number) {\n  return a + b;\n}\n' },
      '/ws/project/.env': { file: 'MOONSHOT_API_KEY=sk-canary\n' },
      '/ws/project/.env.local': { file: 'TOKEN=canary\n' },
      '/ws/project/.git': { dir: true },
      '/ws/project/.git/config': { file: '[remote] url = https://token@host/x\n' },
      '/ws/project/node_modules': { dir: true },
      '/ws/project/node_modules/lib.js': { file: 'main()' },
      '/ws/project/logo.png': { file: new Uint8Array([0x89, 0x50, 0, 0, 1]) },
      '/ws/project/innocent.txt': { link: '/ws/project/.env' },
      '/ws/project/outside-link': { link: '/ws/outside.txt' },
      '/ws/project/linkdir': { link: '/etc' },
      '/ws/outside.txt': { file: 'outside secret' },
      '/etc': { dir: true },
      '/etc/passwd': { file: 'root:x:0:0' },
    },
    [root],
  );
}

let n = 0;
function call(name: string, args: unknown): ToolCall {
  return { id: `${name}:${n++}`, type: 'function', function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) } };
}

describe('chat tools', () => {
  const tools = new ChatToolbox(makeFs(), secretPolicy);

  it('reads a workspace file, whole or by lines', async () => {
    const whole = await tools.run(call('read_file', { path: 'src/app.ts' }));
    assert.equal(whole.view.status, 'ok');
    assert.ok(whole.content.includes('export function main()'));
    assert.ok(whole.content.startsWith('src/app.ts (lines 1-5 of 5)'));
    const part = await tools.run(call('read_file', { path: './src/app.ts', startLine: 2, endLine: 3 }));
    assert.ok(part.content.includes('lines 2-3 of 5'));
    assert.ok(!part.content.includes('import'));
    const absolute = await tools.run(call('read_file', { path: '/ws/project/src/math.ts' }));
    assert.equal(absolute.view.status, 'ok');
  });

  it('refuses .env and other secrets, also through a symlink with an innocent name', async () => {
    for (const path of ['.env', '.env.local', 'src/../.env', 'innocent.txt', '.git/config', 'node_modules/lib.js']) {
      const outcome = await tools.run(call('read_file', { path }));
      assert.notEqual(outcome.view.status, 'ok', path);
      assert.ok(!outcome.content.includes('canary') && !outcome.content.includes('token@'), `${path}: ${outcome.content}`);
      assert.match(outcome.content, /^Refused/);
    }
  });

  it('refuses path escapes: .., absolute paths outside, symlinks out, URLs, home', async () => {
    const escapes = ['../outside.txt', 'src/../../outside.txt', '/ws/outside.txt', '/etc/passwd', 'outside-link', 'linkdir/passwd', 'file:///etc/passwd', '~/.ssh/id_rsa', 'C:\\Windows\\win.ini', 'src\\..\\..\\outside.txt', 'a\0b'];
    for (const path of escapes) {
      const outcome = await tools.run(call('read_file', { path }));
      assert.equal(outcome.view.status, 'refused', `${path}: ${outcome.content}`);
      assert.ok(!outcome.content.includes('outside secret') && !outcome.content.includes('root:x'), path);
    }
  });

  it('lists a directory without secrets, and files by pattern', async () => {
    const listing = await tools.run(call('list_files', {}));
    assert.equal(listing.view.status, 'ok');
    const lines = listing.content.split('\n').slice(1);
    assert.ok(lines.includes('src/'));
    assert.ok(lines.includes('logo.png'));
    for (const hidden of ['.env', '.env.local', '.git/', 'node_modules/']) {
      assert.ok(!lines.includes(hidden), `${hidden} is not listed`);
    }
    const ts = await tools.run(call('list_files', { pattern: '**/*.ts' }));
    assert.deepEqual(ts.content.split('\n').slice(1), ['src/app.ts', 'src/math.ts']);
    const refused = await tools.run(call('list_files', { path: '..' }));
    assert.equal(refused.view.status, 'refused');
    const badPattern = await tools.run(call('list_files', { pattern: '../**/*' }));
    assert.equal(badPattern.view.status, 'refused');
  });

  it('searches text, never in secrets, binaries or ignored files', async () => {
    const found = await tools.run(call('search_text', { query: 'main' }));
    assert.equal(found.view.status, 'ok');
    assert.ok(found.content.includes('src/app.ts:2: export function main() {'));
    assert.ok(!found.content.includes('node_modules'));
    const secret = await tools.run(call('search_text', { query: 'canary' }));
    assert.match(secret.content, /^No matches/);
    const caseSensitive = await tools.run(call('search_text', { query: 'MAIN' }));
    assert.match(caseSensitive.content, /^No matches/);
  });

  it('turns bad calls into errors for the model, never exceptions', async () => {
    assert.equal((await tools.run(call('read_file', '{not json'))).view.status, 'error');
    assert.equal((await tools.run(call('read_file', '[]'))).view.status, 'error');
    assert.equal((await tools.run(call('read_file', {}))).view.status, 'error');
    assert.equal((await tools.run(call('rm_rf', {}))).view.status, 'error');
    assert.equal((await tools.run(call('read_file', { path: 'src' }))).view.status, 'error');
    assert.equal((await tools.run(call('read_file', { path: 'logo.png' }))).view.status, 'refused');
    assert.equal((await tools.run(call('read_file', { path: 'missing.ts' }))).view.status, 'refused');
  });

  it('cuts long files and says where to read on', async () => {
    const long = Array.from({ length: 1_000 }, (_, i) => `line ${i + 1} ${'x'.repeat(50)}`).join('\n');
    const fs = new MemoryFs({ '/w': { dir: true }, '/w/big.txt': { file: long } }, [{ name: 'w', path: '/w' }]);
    const small = new ChatToolbox(fs, () => undefined, undefined, { maxListEntries: 10, maxReadChars: 5_000, maxReadBytes: 1e6, maxSearchFiles: 10, maxSearchFileBytes: 1e6, maxSearchMatches: 3 });
    const outcome = await small.run(call('read_file', { path: 'big.txt' }));
    assert.ok(outcome.content.length < 5_200);
    assert.match(outcome.content, /read on with startLine \d+/);
    const many = await small.run(call('search_text', { query: 'line' }));
    assert.equal(many.content.split('\n').length, 4);
    assert.match(many.content, /more matches left out/);
  });

  it("uses the context builder's secret predicates: names, folders and private keys in any file", async () => {
    const fs = new MemoryFs(
      {
        '/w': { dir: true },
        '/w/.env.production': { file: 'DB_PASSWORD=canary' },
        '/w/deploy': { dir: true },
        '/w/deploy/prod.tfvars': { file: 'password = "canary"' },
        '/w/.aws': { dir: true },
        '/w/.aws/config': { file: 'aws_secret_access_key=canary' },
        '/w/notes.md': { file: 'my key:\n-----BEGIN OPENSSH PRIVATE KEY-----\ncanary\n-----END OPENSSH PRIVATE KEY-----\n' },
        '/w/ok.md': { file: 'fine' },
      },
      [{ name: 'w', path: '/w' }],
    );
    const real = new ChatToolbox(fs, (rel, folder) => secretFileReason(rel, `${folder.path}/${rel}`), secretContentReason);
    for (const path of ['.env.production', 'deploy/prod.tfvars', '.aws/config', 'notes.md']) {
      const outcome = await real.run(call('read_file', { path }));
      assert.equal(outcome.view.status, 'refused', path);
      assert.ok(!outcome.content.includes('canary'), path);
    }
    assert.equal((await real.run(call('read_file', { path: 'ok.md' }))).view.status, 'ok');
    const search = await real.run(call('search_text', { query: 'canary' }));
    assert.match(search.content, /^No matches/);
    const listing = await real.run(call('list_files', {}));
    assert.ok(!listing.content.includes('.env') && !listing.content.includes('.aws'), listing.content);
  });

  it('resolves multi-root paths by folder name', () => {
    const folders = [root, { name: 'docs', path: '/ws/docs' }];
    const r = resolveRequestedPath('docs/readme.md', folders);
    assert.ok(r.ok && r.value.folder.name === 'docs' && r.value.relative === 'readme.md' && r.value.display === 'docs/readme.md');
    const d = resolveRequestedPath('src/app.ts', folders);
    assert.ok(d.ok && d.value.folder.name === 'project' && d.value.display === 'project/src/app.ts');
  });
});
