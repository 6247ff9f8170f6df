import * as assert from 'node:assert/strict';
import { describeModel, FALLBACK_CONTEXT_LENGTH, parseModelList } from '../../src/core/kimi/modelCatalog';

describe('model catalog', () => {
  const body = {
    object: 'list',
    data: [
      { id: 'kimi-k2.5', object: 'model', context_length: 262144, supports_reasoning: true, supports_image_in: true },
      { id: 'kimi-k2-turbo-preview', object: 'model', context_length: 262144, supports_image_in: false },
      { id: 'proxy-model', object: 'model' },
      { nope: true },
    ],
  };

  it('reads context length and image support from /models', () => {
    const models = parseModelList(body);
    assert.equal(models.length, 3);
    assert.deepEqual(describeModel('kimi-k2.5', models), { id: 'kimi-k2.5', contextLength: 262144, supportsImages: true, supportsReasoning: true });
    assert.equal(describeModel('kimi-k2-turbo-preview', models).supportsImages, false);
  });

  it('falls back to documented values, then a safe default, when /models is silent', () => {
    assert.equal(describeModel('kimi-k2.5', undefined).contextLength, 262144);
    assert.equal(describeModel('moonshot-v1-8k', []).contextLength, 8192);
    const unknown = describeModel('proxy-model', parseModelList(body));
    assert.equal(unknown.contextLength, FALLBACK_CONTEXT_LENGTH);
    assert.equal(unknown.supportsImages, undefined);
  });
});
