import * as assert from 'node:assert/strict';
import { endpointKeysInSettingsText, hostOf, isMoonshotOrigin, originOf, trustFor, workspaceOverrides } from '../../../src/core/security/endpointTrust';

describe('endpoint trust', () => {
  it("trusts Moonshot's API hosts only by exact host and only over https", () => {
    assert.ok(isMoonshotOrigin('https://api.moonshot.ai'));
    assert.ok(isMoonshotOrigin('HTTPS://API.MOONSHOT.CN:443/v1'));
    assert.ok(!isMoonshotOrigin('http://api.moonshot.ai'), 'plain http to a Moonshot host is not the trusted API');
    assert.ok(!isMoonshotOrigin('https://api.moonshot.ai:8443'));
    assert.ok(!isMoonshotOrigin('https://api.moonshot.ai.evil.example'));
    assert.ok(!isMoonshotOrigin('https://evil.example'));
  });

  it('decides per origin: scheme, host and port', () => {
    assert.equal(trustFor('http://api.moonshot.ai/v1', {}, undefined), 'ask', 'http to a Moonshot host is not trusted silently');
    assert.equal(trustFor('https://api.moonshot.ai/v1', {}, undefined), 'trusted');
    assert.equal(trustFor('https://openrouter.ai/api/v1', {}, undefined), 'ask');
    assert.equal(trustFor('https://openrouter.ai/api/v1', { 'https://openrouter.ai': true }, undefined), 'approved');
    assert.equal(trustFor('http://openrouter.ai/api/v1', { 'https://openrouter.ai': true }, undefined), 'ask', 'approving https://h does not approve http://h');
    assert.equal(trustFor('https://openrouter.ai:8443/v1', { 'https://openrouter.ai': true }, undefined), 'ask');
    assert.equal(trustFor('https://evil.example/v1', { 'https://evil.example': false }, undefined), 'denied');
    assert.equal(trustFor('http://127.0.0.1:8787/v1', {}, 'http://127.0.0.1:8787/v1'), 'trusted');
    assert.equal(trustFor('https://127.0.0.1:8787/v1', {}, 'http://127.0.0.1:8787/v1'), 'ask');
    assert.equal(trustFor('http://127.0.0.1:9999/v1', {}, 'http://127.0.0.1:8787/v1'), 'ask');
    assert.equal(trustFor('ftp://example.com', {}, undefined), 'denied');
    assert.equal(originOf('HTTPS://Example.COM:443/v1'), 'https://example.com');
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
