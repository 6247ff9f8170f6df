import * as assert from 'node:assert/strict';
import { maskedFileSystem } from '../../../src/core/chat/maskedFiles';
import type { WorkspaceFileSystem } from '../../../src/core/chat/workspaceFiles';
import { windowSkipReason, WindowScreen } from '../../../src/core/completion/completionWindow';
import { packContext } from '../../../src/core/context/contextPacker';
import { renderContextView } from '../../../src/core/context/contextReportView';
import type { TrackedDocument } from '../../../src/core/context/contextTypes';
import { findSecretTokens, maskSecretTokens } from '../../../src/core/context/secretTokens';

// Fake credentials of the real shapes, assembled at run time so no scanner mistakes this file for a leak.
const alnum = (n: number, seed = 7): string => Array.from({ length: n }, (_, i) => 'aB3xK9mQ2zR7wT5yL8nV4pC6'[(i * seed) % 24]).join('');
const FAKE = {
  moonshot: `sk-${alnum(48)}`,
  ghp: `ghp_${alnum(36)}`,
  githubPat: `github_pat_${alnum(22)}_${alnum(59, 5)}`,
  aws: `AKIA${'IOSFODNN7EXAMPLE'}`,
  slack: `xoxb-${'123456789012'}-${'1234567890123'}-${alnum(24)}`,
  jwt: `eyJ${alnum(20)}.eyJ${alnum(30, 5)}.${alnum(43, 11)}`,
};

function doc(path: string, text: string, firstOpened: number, extra: Partial<TrackedDocument> = {}): TrackedDocument {
  return { uri: `file:///ws/${path}`, path, languageId: 'typescript', text, firstOpened, folderKey: 'file:///ws', relativePath: path, ...extra };
}

describe('secretTokens (credentials masked before anything is sent)', () => {
  it('finds each common token shape, wherever it is in a line', () => {
    const text = [
      `const kimi = "${FAKE.moonshot}";`,
      `token: ${FAKE.ghp}`,
      `GH=${FAKE.githubPat}`,
      `aws_access_key_id = ${FAKE.aws}`,
      `slack('${FAKE.slack}')`,
      `Authorization: Bearer ${FAKE.jwt}`,
      'DB_PASSWORD=hunter2hunter2',
      'const config = { password: "correct horse battery" };',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ',
      '-----END OPENSSH PRIVATE KEY-----',
    ].join('\n');
    assert.deepEqual(
      findSecretTokens(text).map((t) => t.label),
      ['API key (sk-…)', 'GitHub token', 'GitHub token', 'AWS access key ID', 'Slack token', 'JWT', 'password', 'password', 'private key'],
    );
  });

  it('masks the credential only, the same bytes every time, and leaves ordinary code alone', () => {
    const text = `const kimi = "${FAKE.moonshot}";\nconst password = getPassword();\npassword: "\${SECRET}"\nclass Skeleton { sk = 'sk-loading-placeholder'; }\nDB_PASSWORD=hunter2hunter2 # local\n`;
    const masked = maskSecretTokens(text);
    assert.equal(
      masked.text,
      'const kimi = "[masked API key (sk-…)]";\nconst password = getPassword();\npassword: "${SECRET}"\nclass Skeleton { sk = \'sk-loading-placeholder\'; }\nDB_PASSWORD=[masked password] # local\n',
    );
    assert.deepEqual({ count: masked.count, labels: masked.labels }, { count: 2, labels: ['API key (sk-…)', 'password'] });
    assert.equal(maskSecretTokens(text).text, masked.text);
    const plain = 'export function add(a: number, b: number): number {\n  return a + b; // pass it on\n}\n';
    assert.equal(maskSecretTokens(plain).text, plain);
    assert.equal(maskSecretTokens(plain).count, 0);
  });

  it('the context packer masks open files, untitled tabs included, and Show Context says which', () => {
    const packed = packContext({
      purpose: 'chat',
      budgetTokens: 100_000,
      documents: [
        doc('src/config.ts', `export const token = '${FAKE.ghp}';\nexport const x = 1;\n`, 1),
        doc('Untitled-1', `AWS_ACCESS_KEY_ID=${FAKE.aws}\n`, 2, { uri: 'untitled:Untitled-1', untitled: true, folderKey: undefined, relativePath: undefined }),
        doc('src/app.ts', `const jwt = "${FAKE.jwt}";\n`, 3),
      ],
      activeUri: 'file:///ws/src/app.ts',
      cursor: { line: 0, character: 5 },
    });
    for (const secret of [FAKE.ghp, FAKE.aws, FAKE.jwt]) {
      assert.ok(!packed.text.includes(secret), 'no credential is in the context');
    }
    assert.ok(packed.text.includes("export const token = '[masked GitHub token]';\nexport const x = 1;"), 'the rest of the file is kept');
    assert.deepEqual(packed.report.masked, [
      { path: 'src/app.ts', reason: '1 secret masked (JWT)' },
      { path: 'src/config.ts', reason: '1 secret masked (GitHub token)' },
      { path: 'Untitled-1', reason: '1 secret masked (AWS access key ID)' },
    ]);
    const view = renderContextView(packed, { model: 'kimi-k2.6', windowTokens: 262_144, outputReserveTokens: 32_768 });
    assert.ok(view.includes('## Sent with credentials masked (3)\n\n| file | masked |\n|---|---|\n| src/app.ts | 1 secret masked (JWT) |'));
  });

  it('completion asks for nothing while a credential is in the text around the cursor, typed or already there', () => {
    assert.equal(windowSkipReason({ prefix: `const key = "${FAKE.moonshot}";\nconst a = `, suffix: '\n' }), 'contains an API key (sk-…): never sent');
    assert.equal(windowSkipReason({ prefix: 'const a = 1;\n', suffix: `\nconst t = '${FAKE.ghp}';\n` }), 'contains a GitHub token: never sent');
    // Typing, keystroke by keystroke, with one screen: the token is noticed as it completes, and
    // forgotten once deleted.
    const screen = new WindowScreen();
    const head = 'import x from "y";\n'.repeat(2_000);
    let verdicts = '';
    const typed = `const t = "${FAKE.ghp}";`;
    for (let i = 1; i <= typed.length; i++) {
      verdicts += windowSkipReason({ prefix: head + typed.slice(0, i), suffix: '\n}\n' }, screen) === undefined ? '.' : 'x';
    }
    assert.equal(verdicts, '.'.repeat(typed.indexOf('ghp_') + 39) + 'x'.repeat(typed.length - typed.indexOf('ghp_') - 39));
    assert.equal(windowSkipReason({ prefix: `${head}const t = "`, suffix: '\n}\n' }, screen), undefined);
    // A token the cursor splits in two.
    assert.equal(windowSkipReason({ prefix: `${head}t = "${FAKE.ghp.slice(0, 20)}`, suffix: `${FAKE.ghp.slice(20)}";\n` }, screen), 'contains a GitHub token: never sent');
  });

  it('what the chat tools read is masked the same way; other bytes pass through unchanged', async () => {
    const files = new Map<string, Uint8Array>([
      ['/ws/.vscode/launch.json', new TextEncoder().encode(`{ "env": { "TOKEN": "${FAKE.ghp}" } }\n`)],
      ['/ws/logo.png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3])],
    ]);
    const inner: WorkspaceFileSystem = {
      folders: () => [{ name: 'ws', path: '/ws' }],
      stat: () => Promise.resolve(undefined),
      realPath: (p) => Promise.resolve(p),
      readDirectory: () => Promise.resolve([]),
      readFile: (p) => Promise.resolve(files.get(p) ?? new Uint8Array()),
      findFiles: () => Promise.resolve([]),
    };
    const fs = maskedFileSystem(inner);
    assert.equal(new TextDecoder().decode(await fs.readFile('/ws/.vscode/launch.json')), '{ "env": { "TOKEN": "[masked GitHub token]" } }\n');
    assert.equal(await fs.readFile('/ws/logo.png'), files.get('/ws/logo.png'));
  });
});
