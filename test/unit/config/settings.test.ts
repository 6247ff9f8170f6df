import * as assert from 'node:assert/strict';
import { costOf, DEFAULT_BASE_URL, normaliseBaseUrl, parseSettings, pricesFor, type RawSettings } from '../../../src/core/config/settings';

function raw(values: Record<string, unknown>, user: Record<string, unknown> = {}): RawSettings {
  return { get: (k) => values[k], userValue: (k) => user[k] };
}

describe('settings parsing', () => {
  it('gives documented defaults when nothing is set', () => {
    const s = parseSettings(raw({}), {});
    assert.equal(s.baseUrl, DEFAULT_BASE_URL);
    assert.equal(s.baseUrlSource, 'default');
    assert.equal(s.completionModel, 'kimi-k2.6');
    assert.equal(s.chatModel, 'kimi-k2.6');
    assert.equal(s.visionModel, 'kimi-k2.6');
    assert.equal(s.chatThinking, true);
    assert.equal(s.chatEffort, 'high');
    assert.equal(s.dialect, 'moonshot');
    assert.deepEqual(s.priceOverrides, {});
    assert.deepEqual(pricesFor(s, s.completionModel), { inputPerMillion: 0.95, cachedInputPerMillion: 0.16, outputPerMillion: 4 });
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
    const s = parseSettings(raw({ requestTimeoutSeconds: 1, 'chat.thinking': 'yes', 'chat.reasoningEffort': 'extreme', prices: { 'kimi-k3': { inputPerMillion: 1, outputPerMillion: -4 } } }), {});
    assert.equal(s.requestTimeoutMs, 5000);
    assert.equal(s.chatThinking, true);
    assert.equal(s.chatEffort, 'high');
    assert.deepEqual(s.priceOverrides, {}, 'an entry with a negative price is left out');
    assert.equal(pricesFor(s, 'kimi-k3')?.outputPerMillion, 15);
  });

  it('prices each model from its profile, the user overriding by model id (vendor prefix or not)', () => {
    const s = parseSettings(raw({ prices: { 'kimi-k3': { inputPerMillion: 2, cachedInputPerMillion: 0.2, outputPerMillion: 9 }, 'my-model': { inputPerMillion: 1, outputPerMillion: 2 } } }), {});
    assert.deepEqual(pricesFor(s, 'kimi-k3'), { inputPerMillion: 2, cachedInputPerMillion: 0.2, outputPerMillion: 9 });
    assert.equal(pricesFor(s, 'moonshotai/kimi-k3')?.outputPerMillion, 9);
    assert.deepEqual(pricesFor(s, 'my-model'), { inputPerMillion: 1, cachedInputPerMillion: 1, outputPerMillion: 2 }, 'cached input defaults to the input price');
    assert.equal(pricesFor(s, 'kimi-k2.6')?.outputPerMillion, 4);
    assert.equal(pricesFor(s, 'unknown-model'), undefined);
    assert.equal(costOf({ promptTokens: 1_000, cachedTokens: 0, completionTokens: 1_000 }, undefined), 0);
  });

  it('parses the context slice with bounds and defaults', () => {
    const values = { 'context.completionTokens': -5, 'context.chatTokens': 'x', 'context.exclude': ['**/*.snap', 3, ' '], 'context.maxFileBytes': 5e5 };
    assert.deepEqual(parseSettings(raw(values), {}).context, { completionTokens: 0, chatTokens: 0, exclude: ['**/*.snap'], maxFileBytes: 500_000 });
    assert.deepEqual(parseSettings(raw({}), {}).context, { completionTokens: 16_384, chatTokens: 0, exclude: [], maxFileBytes: 1_000_000 });
  });

  it('parses the completion slice: on by default, never in .env files or the SCM input', () => {
    const defaults = parseSettings(raw({}), {}).completion;
    assert.equal(defaults.enabled, true);
    assert.deepEqual([...defaults.disabledLanguages], ['dotenv', 'scminput']);
    const set = parseSettings(raw({ 'completion.enabled': 'no', 'completion.disabledLanguages': [' markdown ', 4, ''] }), {}).completion;
    assert.equal(set.enabled, true, 'a non-boolean is ignored');
    assert.deepEqual([...set.disabledLanguages], ['markdown'], 'the user list replaces the default one');
  });

  it('bills reported cache writes at their own price', () => {
    const prices = { inputPerMillion: 1, cachedInputPerMillion: 0.1, outputPerMillion: 4, cacheWritePerMillion: 1.25 };
    const cost = costOf({ promptTokens: 1_000_000, cachedTokens: 200_000, cacheWriteTokens: 400_000, completionTokens: 0 }, prices);
    assert.ok(Math.abs(cost - (0.4 + 0.02 + 0.5)) < 1e-9, String(cost));
  });

  it('prices cached input separately', () => {
    const prices = { inputPerMillion: 0.6, cachedInputPerMillion: 0.1, outputPerMillion: 3 };
    const cost = costOf({ promptTokens: 1_000_000, cachedTokens: 500_000, completionTokens: 100_000 }, prices);
    assert.ok(Math.abs(cost - (0.3 + 0.05 + 0.3)) < 1e-9);
  });
});
