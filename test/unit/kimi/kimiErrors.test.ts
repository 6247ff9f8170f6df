import * as assert from 'node:assert/strict';
import { errorFromResponse, errorFromTransport, isRetryable, KimiError, parseRetryAfterMs } from '../../../src/core/kimi/kimiErrors';

const KEY = 'sk-live-abcdefghijklmnopqrstuvwxyz0123';

describe('Kimi error mapping', () => {
  const cases: [number, string, string, KimiError['kind']][] = [
    [401, 'invalid_authentication_error', 'Invalid Authentication', 'auth'],
    [401, 'incorrect_api_key_error', 'Incorrect API key provided', 'auth'],
    [403, 'permission_denied_error', 'The API you are accessing is not open', 'permission'],
    [404, 'resource_not_found_error', 'Not found the model kimi-k9 or Permission denied', 'modelNotFound'],
    [429, 'rate_limit_reached_error', 'Your account org-1 request reached max RPM: 3, please try again after 20 seconds', 'rateLimit'],
    [429, 'engine_overloaded_error', 'The engine is currently overloaded, please try again later', 'rateLimit'],
    [429, 'exceeded_current_quota_error', 'Your account org-1 is suspended, please check your plan and billing details', 'quotaExhausted'],
    [400, 'invalid_request_error', 'Invalid request: Your request exceeded model token limit : 262144', 'contextTooLong'],
    [400, 'invalid_request_error', 'Input token length too long', 'contextTooLong'],
    [400, 'content_filter', 'The request was rejected because it was considered high risk', 'contentFilter'],
    [400, 'invalid_request_error', 'invalid temperature: only 0.6 is allowed for this model', 'badRequest'],
    [500, 'server_error', 'unexpected output', 'serverError'],
    [504, '', '', 'timeout'],
  ];
  for (const [status, type, message, kind] of cases) {
    it(`HTTP ${status} ${type || '(no type)'} → ${kind}`, () => {
      const err = errorFromResponse(status, { error: { message, type } });
      assert.equal(err.kind, kind);
      assert.equal(err.status, status);
      assert.ok(err.message.length > 10, 'has a user-facing message');
    });
  }

  it('reads the wait from a rate-limit message', () => {
    const err = errorFromResponse(429, { error: { message: 'max RPM: 3, please try again after 20 seconds', type: 'rate_limit_reached_error' } });
    assert.equal(err.retryAfterMs, 20_000);
    assert.match(err.message, /20 s/);
    assert.equal(parseRetryAfterMs('try again after 1.5 s'), 1500);
    assert.equal(parseRetryAfterMs('try again after 2 minutes'), 120_000);
    assert.equal(parseRetryAfterMs('please retry later'), undefined);
  });

  it('never puts the key in a message, even when the server echoes it', () => {
    const err = errorFromResponse(401, { error: { message: `Incorrect API key provided: ${KEY}`, type: 'incorrect_api_key_error' } }, [KEY]);
    assert.ok(!err.message.includes(KEY));
    assert.ok(!err.message.includes(KEY.slice(0, 20)));
    const transport = errorFromTransport(new Error(`fetch failed for Bearer ${KEY}`), 'api.moonshot.ai', [KEY]);
    assert.ok(!transport.message.includes(KEY));
  });

  it('maps transport failures by their cause code', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    assert.equal(errorFromTransport(refused, '127.0.0.1:9').kind, 'network');
    const dns = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
    const dnsErr = errorFromTransport(dns, 'api.nowhere.invalid');
    assert.equal(dnsErr.kind, 'network');
    assert.match(dnsErr.message, /resolve api\.nowhere\.invalid/);
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    assert.equal(errorFromTransport(abort, 'h').kind, 'cancelled');
  });

  it('retries only what is safe to retry', () => {
    assert.equal(isRetryable('rateLimit'), true);
    assert.equal(isRetryable('serverError'), true);
    assert.equal(isRetryable('quotaExhausted'), false);
    assert.equal(isRetryable('auth'), false);
    assert.equal(isRetryable('contentFilter'), false);
    assert.ok(KimiError.is(errorFromResponse(401, {}), 'auth'));
    assert.ok(!KimiError.is(new Error('x')));
  });
});
