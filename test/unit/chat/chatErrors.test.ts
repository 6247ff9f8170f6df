import * as assert from 'node:assert/strict';
import { turnErrorView } from '../../../src/core/chat/turnErrors';
import { CompletionBackoff } from '../../../src/core/completion/completionBackoff';
import { errorFromResponse, KimiError } from '../../../src/core/kimi/kimiErrors';

describe('chat errors', () => {
  it('offers Set API Key for a rejected or missing key, with Retry', () => {
    const view = turnErrorView(errorFromResponse(401, { error: { message: 'Invalid Authentication', type: 'invalid_authentication_error' } }));
    assert.equal(view.kind, 'auth');
    assert.deepEqual(view.actions, ['setApiKey', 'retry']);
    assert.deepEqual(turnErrorView(new KimiError('noApiKey', 'no key')).actions, ['setApiKey', 'retry']);
  });

  it('does not offer Set API Key when the key is set and only the endpoint awaits approval', () => {
    const view = turnErrorView(new KimiError('endpointNotApproved', 'Waiting for your approval to send your API key to https://proxy.example'));
    assert.deepEqual(view.actions, ['retry']);
  });

  it('pauses completion until the approval is answered, without a timer and without blaming the key', () => {
    const backoff = new CompletionBackoff({ now: () => 0 });
    const verdict = backoff.onError(new KimiError('endpointNotApproved', 'Waiting for your approval to send your API key to https://proxy.example'));
    assert.equal(verdict.pause?.reason, 'approval');
    assert.equal(verdict.pause?.until, undefined);
    assert.equal(verdict.notify, false, 'the approval question is its own notification');
    assert.ok(!/needs a Kimi API key/.test(verdict.pause?.message ?? ''));
  });

  it('holds Retry for the wait a rate limit names', () => {
    const now = 1_000_000;
    const view = turnErrorView(errorFromResponse(429, { error: { message: 'rate limit reached, please try again after 12 seconds', type: 'rate_limit_reached_error' } }), now);
    assert.equal(view.kind, 'rateLimit');
    assert.equal(view.retryAt, now + 12_000);
    assert.match(view.message, /12 s/);
  });

  it('does not offer Retry where it cannot help, and keeps unknown failures retryable', () => {
    assert.deepEqual(turnErrorView(errorFromResponse(400, { error: { message: 'high risk', type: 'content_filter' } })).actions, []);
    const unknown = turnErrorView(new Error('boom'));
    assert.deepEqual(unknown.actions, ['retry']);
    assert.match(unknown.message, /boom/);
  });
});
