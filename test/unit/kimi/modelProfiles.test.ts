import * as assert from 'node:assert/strict';
import { parseModelList } from '../../../src/core/kimi/modelCatalog';
import { alwaysReasons, baseModelId, FALLBACK_CONTEXT_LENGTH, lowestEffort, resolveModelProfile } from '../../../src/core/kimi/modelProfiles';

describe('model profiles', () => {
  const body = {
    object: 'list',
    data: [
      { id: 'kimi-k3', object: 'model', context_length: 1048576, supports_reasoning: true, supports_image_in: true, supports_video_in: true },
      { id: 'kimi-k2.6', object: 'model', context_length: 200000, supports_image_in: false },
      { id: 'proxy-model', object: 'model', supports_reasoning: false },
      { nope: true },
    ],
  };

  it('parses /models, video included', () => {
    const models = parseModelList(body);
    assert.deepEqual(models.map((m) => m.id), ['kimi-k3', 'kimi-k2.6', 'proxy-model']);
    assert.equal(models[0].supportsVideo, true);
  });

  it('lets /models win over the table where it answers', () => {
    const models = parseModelList(body);
    const k26 = resolveModelProfile('kimi-k2.6', models);
    assert.equal(k26.contextLength, 200000);
    assert.equal(k26.supportsImages, false);
    assert.equal(resolveModelProfile('kimi-k2.6', undefined).contextLength, 262144);
    const proxy = resolveModelProfile('proxy-model', models);
    assert.equal(proxy.known, false);
    assert.equal(proxy.contextLength, FALLBACK_CONTEXT_LENGTH);
    assert.equal(proxy.reasons, false);
    assert.equal(proxy.thinking.kind, 'none');
    assert.equal(alwaysReasons(proxy), false);
  });

  it('K3: a 1M window, reasoning_effort levels, every turn replayed, required tool choice, its prices', () => {
    const k3 = resolveModelProfile('kimi-k3');
    assert.equal(k3.family, 'k3');
    assert.equal(k3.contextLength, 1_048_576);
    assert.deepEqual(k3.thinking, { kind: 'effort', levels: ['low', 'high', 'max'], default: 'max' });
    assert.equal(lowestEffort(k3), 'low');
    assert.equal(k3.replayReasoning, 'every');
    assert.equal(k3.toolChoiceRequired, true);
    assert.equal(k3.outputLimitParam, 'max_completion_tokens');
    assert.deepEqual(k3.prices, { inputPerMillion: 3, cachedInputPerMillion: 0.3, outputPerMillion: 15 });
    assert.equal(alwaysReasons(k3), true);
    assert.equal(resolveModelProfile('kimi-k3.1-pro').prices?.outputPerMillion, 10);
    assert.equal(resolveModelProfile('kimi-k3.1-pro-highspeed').prices?.outputPerMillion, 20);
    assert.equal(resolveModelProfile('kimi-k3.1-pro').partialMode, 'unconfirmed');
  });

  it('K2.7 Code always thinks; K2.6 can switch thinking off; neither allows required tool choice', () => {
    const code = resolveModelProfile('kimi-k2.7-code');
    assert.equal(code.thinking.kind, 'always');
    assert.equal(code.replayReasoning, 'toolTurns');
    assert.equal(code.toolChoiceRequired, false);
    assert.equal(resolveModelProfile('kimi-k2.7-code-highspeed').prices?.inputPerMillion, 1.9);
    const k26 = resolveModelProfile('kimi-k2.6');
    assert.deepEqual(k26.thinking, { kind: 'switchable', defaultOn: true });
    assert.equal(k26.partialMode, 'yes');
    assert.equal(k26.fixedSampling, true);
    assert.equal(alwaysReasons(k26), false);
    assert.deepEqual(k26.prices, { inputPerMillion: 0.95, cachedInputPerMillion: 0.16, outputPerMillion: 4 });
  });

  it('marks retired official ids with their replacement, but not the same model on another host', () => {
    for (const id of ['kimi-k2.5', 'moonshot-v1-8k', 'moonshot-v1-128k-vision-preview', 'kimi-k2-turbo-preview', 'kimi-k2-0905-preview', 'kimi-k2-thinking', 'kimi-k2-thinking-turbo', 'kimi-latest']) {
      assert.equal(resolveModelProfile(id).retired?.replacement, 'kimi-k2.6', id);
    }
    assert.equal(resolveModelProfile('kimi-k2.5').retired?.since, '2026-08-31');
    for (const id of ['kimi-k3', 'kimi-k2.6', 'kimi-k2.7-code', 'moonshotai/kimi-k2.5', 'moonshotai/Kimi-K2.5']) {
      assert.equal(resolveModelProfile(id).retired, undefined, id);
    }
  });

  it('matches other hosts case-insensitively after the vendor prefix', () => {
    assert.equal(baseModelId('moonshotai/Kimi-K2.5'), 'kimi-k2.5');
    assert.equal(resolveModelProfile('moonshotai/kimi-k2.5').family, 'k2.5');
    assert.equal(resolveModelProfile('moonshotai/Kimi-K2.5').thinking.kind, 'switchable');
    assert.equal(resolveModelProfile('moonshotai/Kimi-K3').family, 'k3');
    assert.equal(resolveModelProfile('kimi-k3-highspeed').family, 'k3');
    assert.equal(resolveModelProfile('kimi-k30').family, 'unknown');
  });

  it('falls back to an unknown OpenAI-compatible model: max_tokens, no fixed sampling, may reason', () => {
    const unknown = resolveModelProfile('llama-3-70b');
    assert.equal(unknown.known, false);
    assert.equal(unknown.label, 'llama-3-70b');
    assert.equal(unknown.outputLimitParam, 'max_tokens');
    assert.equal(unknown.fixedSampling, false);
    assert.equal(unknown.prices, undefined);
    assert.equal(unknown.supportsImages, undefined);
    assert.equal(alwaysReasons(unknown), true);
  });
});
