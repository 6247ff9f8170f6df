import * as assert from 'node:assert/strict';
import { endpointLabel, isSimulator, SIMULATOR_OWNER } from '../../../src/core/kimi/endpointLabel';
import { parseModelList } from '../../../src/core/kimi/modelCatalog';
import { DEFAULT_MODELS, modelListEntry, SIMULATOR_OWNER as SIMULATED_OWNER } from '../../support/simulator/simModels';

describe('endpoint label', () => {
  const simulatorModels = parseModelList({ data: DEFAULT_MODELS.map(modelListEntry) });
  const moonshotModels = parseModelList({ data: [{ id: 'kimi-k2.5', object: 'model', owned_by: 'moonshot' }] });

  it('recognises the simulator by what its /models says', () => {
    assert.equal(SIMULATED_OWNER, SIMULATOR_OWNER, 'the simulator and the extension agree on the owner');
    assert.equal(isSimulator(simulatorModels), true);
    assert.equal(isSimulator(moonshotModels), false);
    assert.equal(isSimulator([]), false);
    assert.equal(isSimulator(undefined), false);
  });

  it('labels the simulator clearly, with a warning colour', () => {
    const label = endpointLabel({ baseUrl: 'http://127.0.0.1:8787/v1', baseUrlSource: 'environment', hasKey: true, models: simulatorModels });
    assert.equal(label.text, '$(beaker) Kimi (simulator)');
    assert.match(label.tooltip, /simulator at http:\/\/127\.0\.0\.1:8787\/v1 \(from MOONSHOT_BASE_URL\)/);
    assert.equal(label.warn, true);
    assert.equal(label.visible, true);
  });

  it('stays hidden for Moonshot hosts (the completion item says "Kimi") and names other hosts', () => {
    const official = endpointLabel({ baseUrl: 'https://api.moonshot.ai/v1', baseUrlSource: 'default', hasKey: true, models: moonshotModels });
    assert.equal(official.text, '$(cloud) Kimi');
    assert.equal(official.warn, false);
    assert.equal(official.visible, false);
    assert.match(official.tooltip, /1 models/);
    const proxy = endpointLabel({ baseUrl: 'https://openrouter.ai/api/v1', baseUrlSource: 'user', hasKey: true, models: undefined });
    assert.equal(proxy.text, '$(cloud) Kimi: openrouter.ai');
    assert.equal(proxy.command, 'moonpilot.testConnection');
    assert.equal(proxy.visible, true);
  });

  it('leaves a missing key to the features that need one', () => {
    const label = endpointLabel({ baseUrl: 'http://127.0.0.1:8787/v1', baseUrlSource: 'environment', hasKey: false, models: simulatorModels });
    assert.equal(label.text, '$(key) Kimi: no key');
    assert.equal(label.command, 'moonpilot.setApiKey');
    assert.equal(label.visible, false);
  });
});
