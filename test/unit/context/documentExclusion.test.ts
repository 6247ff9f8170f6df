import * as assert from 'node:assert/strict';
import { documentExclusion, type DocumentRef } from '../../../src/core/context/documentExclusion';
import { IgnoreRules } from '../../../src/core/context/ignoreRules';
import { schemeReason } from '../../../src/core/context/uriSchemes';

const F = 'file:///ws';
const file = (relativePath: string, extra: Partial<DocumentRef> = {}): DocumentRef => ({ scheme: 'file', path: relativePath, absolutePath: `/ws/${relativePath}`, folderKey: F, relativePath, ...extra });

describe('documentExclusion (what completion, context and chat never send)', () => {
  it('one scheme list: VS Code user files and non-documents never, for every feature; other schemes complete but are not files', () => {
    for (const use of ['completion', 'context', 'attachment'] as const) {
      assert.equal(schemeReason('vscode-userdata', use), "VS Code's user settings and files (vscode-userdata: scheme), never sent");
      assert.match(schemeReason('output', use) ?? '', /never sent/);
      assert.equal(schemeReason('file', use), undefined);
      assert.equal(schemeReason('untitled', use), undefined);
    }
    assert.equal(schemeReason('vscode-notebook-cell', 'completion'), undefined);
    assert.equal(schemeReason('vscode-notebook-cell', 'context'), 'not a file (vscode-notebook-cell: scheme)');
    assert.equal(schemeReason('moonpilot-vfs', 'completion'), undefined);
  });

  it("the user's settings.json gets no completion", () => {
    const verdict = documentExclusion({ scheme: 'vscode-userdata', path: '/User/settings.json' }, 'completion', new IgnoreRules(), false);
    assert.deepEqual(verdict, { kind: 'scheme', reason: "VS Code's user settings and files (vscode-userdata: scheme), never sent" });
  });

  it('finds the user files by their folder too, whatever the scheme VS Code opens them under', () => {
    const userData = { path: '/home/u/.local/share/code-server/User' };
    const settings = { scheme: 'vscode-remote', path: '/home/u/.local/share/code-server/User/settings.json', uriPath: '/home/u/.local/share/code-server/User/settings.json' };
    assert.deepEqual(documentExclusion(settings, 'completion', new IgnoreRules(), false, userData), { kind: 'scheme', reason: "VS Code's user settings and files (in its User folder), never sent" });
    assert.equal(documentExclusion({ ...settings, path: '/home/u/project/settings.json', uriPath: '/home/u/project/settings.json' }, 'completion', new IgnoreRules(), false, userData), undefined);
  });

  it('a file that .moonpilotignore, .gitignore, files.exclude or moonpilot.context.exclude excludes is excluded for completion too', () => {
    const rules = new IgnoreRules();
    rules.setIgnoreFile(F, '', '.moonpilotignore', 'private/\n');
    rules.setIgnoreFile(F, '', '.gitignore', 'build/\n');
    rules.setGlobs(F, 'files.exclude', ['**/hidden']);
    rules.setGlobs(F, 'moonpilot.context.exclude', ['**/*.notes.ts']);
    const reason = (p: string): string | undefined => documentExclusion(file(p), 'completion', rules, false)?.reason;
    assert.equal(reason('private/plan.ts'), 'ignored by .moonpilotignore (private/)');
    assert.equal(reason('build/out.ts'), 'ignored by .gitignore (build/)');
    assert.equal(reason('hidden/a.ts'), 'excluded by files.exclude (**/hidden)');
    assert.equal(reason('src/a.notes.ts'), 'excluded by moonpilot.context.exclude (**/*.notes.ts)');
    assert.equal(reason('src/app.ts'), undefined);
  });

  it('says "not yet" while the rules load, and puts secrets before ignore rules', () => {
    const rules = new IgnoreRules();
    rules.setIgnoreFile(F, '', '.gitignore', '!.env\n');
    assert.deepEqual(documentExclusion(file('src/app.ts'), 'completion', rules, true), { kind: 'pending', reason: 'waiting for ignore rules to load' });
    assert.equal(documentExclusion(file('.env'), 'completion', rules, true)?.kind, 'secret');
    // Outside any folder there are no ignore rules to wait for.
    assert.equal(documentExclusion({ scheme: 'file', path: '/tmp/x.ts', absolutePath: '/tmp/x.ts' }, 'completion', rules, true), undefined);
  });
});
