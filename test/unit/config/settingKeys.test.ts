import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSettings, SETTING_KEYS, type RawSettings, type SettingKey } from '../../../src/core/config/settings';
import { repoRoot } from '../../support/repoRoot';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const contributed = Object.keys(manifest.contributes.configuration.properties as Record<string, unknown>);

/** One valid value per key that differs from its default (a key the parser read but dropped would not change the result). */
const SAMPLES: Record<SettingKey, unknown> = {
  baseUrl: 'https://api.moonshot.cn/v1',
  apiDialect: 'omit',
  requestTimeoutSeconds: 30,
  'completion.model': 'kimi-k3',
  'completion.enabled': false,
  'completion.disabledLanguages': ['markdown'],
  'chat.model': 'kimi-k3',
  'chat.thinking': false,
  'chat.reasoningEffort': 'max',
  'vision.model': 'kimi-k3',
  prices: { 'my-model': { inputPerMillion: 1, outputPerMillion: 2 } },
  'rateLimit.concurrency': 3,
  'rateLimit.requestsPerMinute': 7,
  'rateLimit.tokensPerMinute': 50_000,
  'context.completionTokens': 4_096,
  'context.chatTokens': 8_192,
  'context.exclude': ['**/*.snap'],
  'context.maxFileBytes': 5_000,
};

/** Raw settings with `values` at every level, recording which keys were read. */
function recording(values: Partial<Record<SettingKey, unknown>>): { raw: RawSettings; read: Set<string> } {
  const read = new Set<string>();
  const look = (key: string): unknown => {
    read.add(key);
    return (values as Record<string, unknown>)[key];
  };
  return { raw: { get: look, userValue: look }, read };
}

describe('setting keys', () => {
  it('SETTING_KEYS are exactly the moonpilot.* settings package.json contributes, both ways', () => {
    assert.ok(contributed.every((id) => id.startsWith('moonpilot.')), 'every contributed setting is under moonpilot.');
    assert.deepEqual([...SETTING_KEYS].sort(), contributed.map((id) => id.slice('moonpilot.'.length)).sort());
  });

  it('the one parser reads every contributed key and no other', () => {
    const { raw, read } = recording({});
    parseSettings(raw, {});
    assert.deepEqual([...read].sort(), [...SETTING_KEYS].sort());
  });

  it('every key changes the parsed settings (none is read and dropped)', () => {
    const defaults = parseSettings(recording({}).raw, {});
    for (const key of SETTING_KEYS) {
      const parsed = parseSettings(recording({ [key]: SAMPLES[key] }).raw, {});
      assert.notDeepStrictEqual(parsed, defaults, `moonpilot.${key} = ${JSON.stringify(SAMPLES[key])} changes nothing`);
    }
  });
});
