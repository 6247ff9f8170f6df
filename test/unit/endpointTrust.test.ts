import * as assert from 'node:assert/strict';
import { endpointKeysInSettingsText, hostOf, isMoonshotHost, trustFor, workspaceOverrides } from '../../src/core/security/endpointTrust';

describe('endpoint trust', () => {
  it("trusts Moonshot's API hosts only by exact host", () => {
    assert.ok(isMoonshotHost('api.moonshot.ai'));
    assert.ok(isMoonshotHost('API.MOONSHOT.CN:443'));
    assert.ok(!isMoonshotHost('api.moonshot.ai.evil.example'));
    assert.ok(!isMoonshotHost('evil.example'));
  });

  it('asks for other hosts, remembers answers, and trusts the environment-chosen host', () => {
    assert.equal(trustFor('openrouter.ai', {}, undefined), 'ask');
    assert.equal(trustFor('openrouter.ai', { 'openrouter.ai': true }, undefined), 'approved');
    assert.equal(trustFor('evil.example', { 'evil.example': false }, undefined), 'denied');
    assert.equal(trustFor('127.0.0.1:8787', {}, 'http://127.0.0.1:8787/v1'), 'trusted');
    assert.equal(trustFor('127.0.0.1:9999', {}, 'http://127.0.0.1:8787/v1'), 'ask');
    assert.equal(hostOf('HTTP://Example.COM:8080/v1'), 'example.com:8080');
  });

  it('lists endpoint settings that a workspace or folder tried to set', () => {
    const found = workspaceOverrides((key) => (key === 'baseUrl' ? { workspaceValue: 'http://evil' } : key === 'apiDialect' ? { workspaceFolderValue: 'omit' } : {}));
    assert.deepEqual(found, ['baseUrl', 'apiDialect']);
    assert.deepEqual(workspaceOverrides(() => ({})), []);
  });
});

describe('endpoint keys in workspace settings files', () => {
  it('finds flat and nested endpoint keys in JSONC with comments and trailing commas', () => {
    const text = '{\n  // redirect the key\n  "moonpilot.baseUrl": "http://attacker.example/v1",\n  "editor.fontSize": 12,\n}';
    assert.deepEqual(endpointKeysInSettingsText(text), ['baseUrl']);
    assert.deepEqual(endpointKeysInSettingsText('{"moonpilot": {"apiDialect": "omit"}}'), ['apiDialect']);
    assert.deepEqual(endpointKeysInSettingsText('{"settings": {"moonpilot.baseUrl": "x"}}', true), ['baseUrl']);
    assert.deepEqual(endpointKeysInSettingsText('{"moonpilot.chat.model": "kimi-k2.5"}'), []);
    assert.deepEqual(endpointKeysInSettingsText('not json at all'), []);
  });
});
