import * as assert from 'node:assert/strict';
import type { ModelInfo } from '../../../src/core/kimi/kimiTypes';
import { checkVisionModel, suggestVisionModel } from '../../../src/core/mockup/visionModel';

const listed: ModelInfo[] = [
  { id: 'kimi-k2.6', supportsImages: true },
  { id: 'kimi-k2-turbo-preview', supportsImages: false },
  { id: 'moonshot-v1-8k', supportsImages: false },
];

describe('mockup vision model check', () => {
  it('trusts /models first', () => {
    assert.deepEqual(checkVisionModel('kimi-k2.6', listed), { ok: true, known: true });
    const no = checkVisionModel('moonshot-v1-8k', listed);
    assert.equal(no.ok, false);
    assert.ok(!no.ok && no.suggestion === 'kimi-k2.6');
    assert.ok(!no.ok && /"moonshot-v1-8k" does not accept images\. Set "moonpilot\.vision\.model" to a model that does, such as "kimi-k2\.6"\./.test(no.message));
    // /models wins over the documented default: a server that says k2.6 takes no images is believed.
    const denied = checkVisionModel('kimi-k2.6', [{ id: 'kimi-k2.6', supportsImages: false }, { id: 'kimi-k3', supportsImages: true }]);
    assert.ok(!denied.ok && denied.suggestion === 'kimi-k3');
  });

  it('falls back to documented capabilities, and tries when nothing tells', () => {
    assert.deepEqual(checkVisionModel('kimi-k2.6', undefined), { ok: true, known: true });
    assert.deepEqual(checkVisionModel('my-finetune', undefined), { ok: true, known: false });
    // Listed without the capability field (an OpenAI-compatible proxy): try it.
    assert.deepEqual(checkVisionModel('proxy-model', [{ id: 'proxy-model' }]), { ok: true, known: false });
  });

  it('names the endpoint when the model is not offered there, or says none takes images', () => {
    const missing = checkVisionModel('my-finetune', listed);
    assert.ok(!missing.ok && /is not offered by this endpoint/.test(missing.message));
    const none = checkVisionModel('moonshot-v1-8k', listed.slice(1));
    assert.ok(!none.ok && none.suggestion === undefined && /lists no model that takes images/.test(none.message));
    assert.equal(suggestVisionModel(undefined), 'kimi-k2.6');
  });
});
