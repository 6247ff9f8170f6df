import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderReadme, settingsTable } from '../../support/tools/readmeSettings';
import { repoRoot } from '../../support/repoRoot';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const settings: Record<string, { description?: string; markdownDescription?: string; scope?: string }> = manifest.contributes.configuration.properties;

describe('manifest', () => {
  it('keeps the public names', () => {
    assert.equal(manifest.name, 'moonpilot');
    assert.equal(manifest.displayName, 'Moonpilot — Kimi coding assistant');
    assert.ok(!manifest.activationEvents?.includes('*'), 'lazy activation, not *');
    for (const key of ['baseUrl', 'completion.model', 'chat.model', 'vision.model', 'chat.thinking']) {
      assert.ok(settings[`moonpilot.${key}`], `moonpilot.${key} exists`);
    }
  });

  it('describes every setting and every command', () => {
    for (const [key, schema] of Object.entries(settings)) {
      assert.ok((schema.description ?? schema.markdownDescription ?? '').length > 10, `${key} has a description`);
    }
    for (const command of manifest.contributes.commands as { command: string; title: string; category: string }[]) {
      assert.equal(command.category, 'Moonpilot', `${command.command} is in the Moonpilot category`);
    }
  });

  it('never lets a workspace choose where requests go', () => {
    for (const key of ['moonpilot.baseUrl', 'moonpilot.apiDialect']) {
      assert.ok(['machine', 'application'].includes(settings[key].scope ?? ''), `${key} is machine/application scoped`);
    }
  });

  it('works in Restricted Mode and lets no untrusted folder set a setting that could send more, elsewhere, or cost more', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    // The rule: every setting is restricted unless a folder's value can only make Moonpilot send less.
    const sendsLessOnly = ['moonpilot.context.exclude'];
    const expected = Object.keys(settings).filter((key) => !sendsLessOnly.includes(key));
    assert.deepEqual([...untrusted.restrictedConfigurations].sort(), expected.sort());
    for (const key of ['completion.model', 'chat.model', 'vision.model', 'prices', 'chat.reasoningEffort', 'rateLimit.requestsPerMinute', 'context.chatTokens', 'context.maxFileBytes']) {
      assert.ok(untrusted.restrictedConfigurations.includes(`moonpilot.${key}`), `moonpilot.${key} is restricted`);
    }
  });

  it('@types/vscode is not newer than engines.vscode', () => {
    const engine = manifest.engines.vscode.replace(/^\^/, '');
    const types = manifest.devDependencies['@types/vscode'];
    assert.equal(types, engine);
  });

  it('README lists every setting as package.json describes it (npm run docs)', () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    assert.equal(readme, renderReadme(readme, settingsTable(manifest)), 'README settings table is stale: run npm run docs');
  });

  it('is ready for the Marketplace: icon, licence, repository, categories, keywords, a walkthrough with shipped media', () => {
    assert.ok(fs.existsSync(path.join(repoRoot, manifest.icon)), 'the icon exists');
    assert.equal(manifest.license, 'MIT');
    assert.match(manifest.repository.url, /^https:\/\//);
    assert.ok(manifest.categories.includes('AI') && manifest.keywords.length >= 5);
    const [walkthrough] = manifest.contributes.walkthroughs as { steps: { id: string; media: { markdown?: string; image?: string } }[] }[];
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['setKey', 'tryCompletion', 'openChat', 'tryMockup']);
    for (const step of walkthrough.steps) {
      const media = step.media.markdown ?? step.media.image ?? '';
      assert.match(media, /^media\//, `${step.id}: media is under media/, which the .vsix ships`);
      assert.ok(fs.existsSync(path.join(repoRoot, media)), `${step.id}: ${media} exists`);
    }
  });

  it('gives every keybinding a macOS variant and every closed-choice setting an enum', () => {
    for (const binding of manifest.contributes.keybindings as { command: string; key: string; mac?: string }[]) {
      assert.ok(binding.mac && binding.mac !== binding.key, `${binding.command} has its own macOS keys`);
    }
    assert.deepEqual(settings['moonpilot.apiDialect'] && (settings['moonpilot.apiDialect'] as { enum?: string[] }).enum, ['moonshot', 'chatTemplateKwargs', 'omit']);
  });
});
