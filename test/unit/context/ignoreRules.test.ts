import * as assert from 'node:assert/strict';
import { IgnoreRules } from '../../../src/core/context/ignoreRules';

describe('ignoreRules', () => {
  const F = 'file:///ws';

  it('applies .gitignore with gitignore semantics and names the rule', () => {
    const rules = new IgnoreRules();
    rules.setIgnoreFile(F, '', '.gitignore', '# build output\nout/\n*.log\n!keep.log\n/root-only.txt\n');
    assert.equal(rules.reasonFor(F, 'out/main.js'), 'ignored by .gitignore (out/)');
    assert.equal(rules.reasonFor(F, 'src/out/x.ts'), 'ignored by .gitignore (out/)');
    assert.equal(rules.reasonFor(F, 'logs/debug.log'), 'ignored by .gitignore (*.log)');
    assert.equal(rules.reasonFor(F, 'keep.log'), undefined);
    assert.equal(rules.reasonFor(F, 'root-only.txt'), 'ignored by .gitignore (/root-only.txt)');
    assert.equal(rules.reasonFor(F, 'sub/root-only.txt'), undefined);
    assert.equal(rules.reasonFor(F, 'src/app.ts'), undefined);
  });

  it('applies nested ignore files to their folder only, deeper ones winning', () => {
    const rules = new IgnoreRules();
    rules.setIgnoreFile(F, '', '.gitignore', '*.gen.ts\n');
    rules.setIgnoreFile(F, 'packages/web', '.gitignore', 'cache/\n!api.gen.ts\n');
    assert.equal(rules.reasonFor(F, 'packages/web/cache/a.ts'), 'ignored by packages/web/.gitignore (cache/)');
    assert.equal(rules.reasonFor(F, 'cache/a.ts'), undefined);
    assert.equal(rules.reasonFor(F, 'packages/web/api.gen.ts'), undefined);
    assert.equal(rules.reasonFor(F, 'packages/api/api.gen.ts'), 'ignored by .gitignore (*.gen.ts)');
  });

  it('.moonpilotignore adds exclusions and can bring back a file git ignores', () => {
    const rules = new IgnoreRules();
    rules.setIgnoreFile(F, '', '.gitignore', 'generated/\n');
    rules.setIgnoreFile(F, '', '.moonpilotignore', 'docs/private/\n!generated/schema.ts\n');
    assert.equal(rules.reasonFor(F, 'docs/private/plan.md'), 'ignored by .moonpilotignore (docs/private/)');
    assert.equal(rules.reasonFor(F, 'generated/schema.ts'), undefined);
    assert.equal(rules.reasonFor(F, 'generated/other.ts'), 'ignored by .gitignore (generated/)');
    rules.setIgnoreFile(F, '', '.moonpilotignore', undefined);
    assert.equal(rules.reasonFor(F, 'generated/schema.ts'), 'ignored by .gitignore (generated/)');
  });

  it('applies files.exclude and moonpilot.context.exclude globs to paths and their folders', () => {
    const rules = new IgnoreRules();
    rules.setGlobs(F, 'files.exclude', ['**/.git', '**/node_modules']);
    rules.setGlobs(F, 'moonpilot.context.exclude', ['**/*.snap', 'fixtures/**', '*.csv']);
    assert.equal(rules.reasonFor(F, 'node_modules/x/index.js'), 'excluded by files.exclude (**/node_modules)');
    assert.equal(rules.reasonFor(F, 'a/node_modules/y.js'), 'excluded by files.exclude (**/node_modules)');
    assert.equal(rules.reasonFor(F, 'test/__snapshots__/a.snap'), 'excluded by moonpilot.context.exclude (**/*.snap)');
    assert.equal(rules.reasonFor(F, 'fixtures/big/data.json'), 'excluded by moonpilot.context.exclude (fixtures/**)');
    assert.equal(rules.reasonFor(F, 'data/deep/table.csv'), 'excluded by moonpilot.context.exclude (*.csv)');
    assert.equal(rules.reasonFor(F, 'src/app.ts'), undefined);
    rules.setGlobs(F, 'moonpilot.context.exclude', []);
    assert.equal(rules.reasonFor(F, 'data/deep/table.csv'), undefined);
  });

  it("a nested ignore file's !pattern does not re-include what a .moonpilotignore or moonpilot.context.exclude excludes", () => {
    const rules = new IgnoreRules();
    rules.setIgnoreFile(F, '', '.moonpilotignore', 'vendor/keys/\n*.private.ts\n');
    rules.setGlobs(F, 'moonpilot.context.exclude', ['**/internal/**']);
    rules.setIgnoreFile(F, 'vendor', '.gitignore', '!keys/\n!keys/a.ts\n!*.private.ts\n!internal/**\n');
    rules.setIgnoreFile(F, 'vendor/keys', '.moonpilotignore', '!a.ts\n');
    assert.equal(rules.reasonFor(F, 'vendor/keys/a.ts'), 'ignored by .moonpilotignore (vendor/keys/)');
    assert.equal(rules.reasonFor(F, 'vendor/x.private.ts'), 'ignored by .moonpilotignore (*.private.ts)');
    assert.equal(rules.reasonFor(F, 'vendor/internal/b.ts'), 'excluded by moonpilot.context.exclude (**/internal/**)');
    // A deeper !pattern still brings back what a shallower .gitignore ignores.
    rules.setIgnoreFile(F, '', '.gitignore', '*.gen.ts\n');
    rules.setIgnoreFile(F, 'vendor', '.gitignore', '!*.gen.ts\n');
    assert.equal(rules.reasonFor(F, 'vendor/api.gen.ts'), undefined);
    assert.equal(rules.reasonFor(F, 'api.gen.ts'), 'ignored by .gitignore (*.gen.ts)');
  });

  it('keeps workspace folders apart', () => {
    const rules = new IgnoreRules();
    rules.setIgnoreFile('file:///one', '', '.gitignore', 'tmp/\n');
    assert.equal(rules.reasonFor('file:///one', 'tmp/a.ts'), 'ignored by .gitignore (tmp/)');
    assert.equal(rules.reasonFor('file:///two', 'tmp/a.ts'), undefined);
    rules.removeFolder('file:///one');
    assert.equal(rules.reasonFor('file:///one', 'tmp/a.ts'), undefined);
  });
});
