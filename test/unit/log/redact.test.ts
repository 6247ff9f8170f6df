import * as assert from 'node:assert/strict';
import { redactSecrets } from '../../../src/core/log/redact';

describe('redactSecrets', () => {
  it('removes the given secret wherever it appears', () => {
    const key = 'my-very-private-key-123';
    assert.equal(redactSecrets(`a ${key} b ${key}`, [key]), 'a [redacted] b [redacted]');
  });
  it('removes Authorization headers and sk- shaped keys it was not told about', () => {
    const out = redactSecrets('{"Authorization":"Bearer abcdefghijklmnop","x":1} sk-abcdefghijklmnopqrstu');
    assert.ok(!out.includes('abcdefghijklmnop'));
    assert.ok(!out.includes('sk-abcdefghij'));
    assert.match(out, /"x":1/);
  });
  it('leaves ordinary text alone', () => {
    assert.equal(redactSecrets('completion took 120 ms, 34 tokens'), 'completion took 120 ms, 34 tokens');
  });
});
