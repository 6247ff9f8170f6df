import * as assert from 'node:assert/strict';
import { exactHeaders } from '../../../src/core/kimi/exactHeaders';

describe('exact headers', () => {
  it("keeps only the SDK's content headers, adds the caller's, and makes the key the only Authorization", () => {
    const fromSdk = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'User-Agent': 'OpenAI/JS 7',
      Authorization: 'Bearer sk-openai-from-environment',
      'OpenAI-Organization': 'org-from-environment',
      'X-Stainless-OS': 'Linux',
    };
    const headers = exactHeaders(fromSdk, 'sk-kimi', { 'HTTP-Referer': 'https://example.test', Authorization: 'Bearer sk-extra' });
    assert.deepEqual([...headers.entries()].sort(), [
      ['accept', 'application/json'],
      ['authorization', 'Bearer sk-kimi'],
      ['content-type', 'application/json'],
      ['http-referer', 'https://example.test'],
      ['user-agent', 'OpenAI/JS 7'],
    ]);
  });

  it('sends the key alone when the SDK gave no headers', () => {
    assert.deepEqual([...exactHeaders(undefined, 'sk-kimi').entries()], [['authorization', 'Bearer sk-kimi']]);
  });
});
