import * as assert from 'node:assert/strict';
import { costOf, DEFAULT_BASE_URL, normaliseBaseUrl, parseSettings, type RawSettings } from '../../src/core/config/settings';

function raw(values: Record<string, unknown>, user: Record<string, unknown> = {}): RawSettings {
  return { get: (k) => values[k], userValue: (k) => user[k] };
}

describe('settings parsing', () => {
  it('gives documented defaults when nothing is set', () => {
    const s = parseSettings(raw({}), {});
    assert.equal(s.baseUrl, DEFAULT_BASE_URL);
    assert.equal(s.baseUrlSource, 'default');
    assert.equal(s.completionModel, 'kimi-k2.5');
    assert.equal(s.chatModel, 'kimi-k2.5');
    assert.equal(s.visionModel, 'kimi-k2.5');
    assert.equal(s.chatThinking, true);
    assert.equal(s.dialect, 'moonshot');
    assert.deepEqual(s.prices, { inputPerMillion: 0.6, cachedInputPerMillion: 0.1, outputPerMillion: 3 });
  });

  it('takes the base URL from the user level, then MOONSHOT_BASE_URL, never from get()', () => {
    const env = { MOONSHOT_BASE_URL: 'http://127.0.0.1:8787/v1/' };
    assert.equal(parseSettings(raw({ baseUrl: 'https://evil.example/v1' }), env).baseUrl, 'http://127.0.0.1:8787/v1');
    const user = parseSettings(raw({}, { baseUrl: 'https://api.moonshot.cn/v1' }), env);
    assert.equal(user.baseUrl, 'https://api.moonshot.cn/v1');
    assert.equal(user.baseUrlSource, 'user');
  });

  it('rejects base URLs that are not http(s)', () => {
    assert.equal(normaliseBaseUrl('file:///etc/passwd'), undefined);
    assert.equal(normaliseBaseUrl('not a url'), undefined);
    assert.equal(normaliseBaseUrl('https://openrouter.ai/api/v1?x=1#y'), 'https://openrouter.ai/api/v1');
  });

  it('clamps numbers and ignores wrong types', () => {
    const s = parseSettings(raw({ requestTimeoutSeconds: 1, 'chat.thinking': 'yes', 'prices.outputPerMillion': -4 }), {});
    assert.equal(s.requestTimeoutMs, 5000);
    assert.equal(s.chatThinking, true);
    assert.equal(s.prices.outputPerMillion, 0);
  });

  it('prices cached input separately', () => {
    const prices = { inputPerMillion: 0.6, cachedInputPerMillion: 0.1, outputPerMillion: 3 };
    const cost = costOf({ promptTokens: 1_000_000, cachedTokens: 500_000, completionTokens: 100_000 }, prices);
    assert.ok(Math.abs(cost - (0.3 + 0.05 + 0.3)) < 1e-9);
  });
});
