import * as assert from 'node:assert/strict';
import { settingKeysInSettingsText } from '../../../src/core/security/endpointTrust';
import { MANAGE_TRUST, restrictedModeNotice, SET_API_KEY } from '../../../src/core/security/restrictedMode';

describe('Restricted Mode notice', () => {
  it('names what the folder set that is ignored, says why, and offers Set API Key only without a key', () => {
    const withoutKey = restrictedModeNotice(['moonpilot.completion.model', 'moonpilot.prices.inputPerMillion'], false);
    assert.match(withoutKey.message, /Restricted Mode/);
    assert.match(withoutKey.message, /moonpilot\.completion\.model, moonpilot\.prices\.inputPerMillion/);
    assert.match(withoutKey.message, /untrusted repository/);
    assert.deepEqual(withoutKey.actions, [SET_API_KEY, MANAGE_TRUST]);
    const withKey = restrictedModeNotice([], true);
    assert.deepEqual(withKey.actions, [MANAGE_TRUST]);
    assert.ok(!/API key/.test(withKey.message), 'no word about a key when one is set');
  });

  it('finds restricted keys a settings file sets, flat or nested', () => {
    const text = '{\n  // cloned repo\n  "moonpilot.completion.model": "x",\n  "moonpilot": { "prices.inputPerMillion": 0 },\n  "moonpilot.context.exclude": ["a"],\n}';
    assert.deepEqual(settingKeysInSettingsText(text, ['completion.model', 'prices.inputPerMillion', 'chat.model']), ['completion.model', 'prices.inputPerMillion']);
  });
});
