import * as assert from 'node:assert/strict';
import { KimiClient } from '../../../src/core/kimi/kimiClient';
import { KimiError } from '../../../src/core/kimi/kimiErrors';
import { parseModelList } from '../../../src/core/kimi/modelCatalog';
import { modelProblem, replacementFor } from '../../../src/core/kimi/modelMigration';
import { DEFAULT_MODELS, modelListEntry } from '../../support/simulator/simModels';
import { startSimulator } from '../../support/simulator/kimiSimulator';

const today = parseModelList({ data: DEFAULT_MODELS.map(modelListEntry) });

describe('model migration (404 and unlisted models)', () => {
  it('names a retired kimi-k2.5, the setting, and K2.6 as its replacement', () => {
    const problem = modelProblem('completion.model', 'kimi-k2.5', today, 'unlisted', 'api.moonshot.ai');
    assert.deepEqual(problem, {
      setting: 'completion.model',
      model: 'kimi-k2.5',
      replacement: 'kimi-k2.6',
      message: 'Moonshot retired "kimi-k2.5" on 2026-08-31, so inline completion cannot use it (moonpilot.completion.model). Kimi K2.6 ("kimi-k2.6") replaces it.',
    });
    assert.equal(modelProblem('chat.model', 'kimi-k2.5', undefined, 'notFound', 'api.moonshot.ai')?.replacement, 'kimi-k2.6', 'without /models: the documented successor');
  });

  it('says nothing about a listed model; an unknown id that 404s gets a listed replacement', () => {
    assert.equal(modelProblem('chat.model', 'kimi-k3', today, 'unlisted', 'api.moonshot.ai'), undefined);
    const typo = modelProblem('chat.model', 'kimi-k3-typo', today, 'notFound', 'api.moonshot.ai')!;
    assert.match(typo.message, /^api\.moonshot\.ai answers 404 \(model not found\) for "kimi-k3-typo"/);
    assert.equal(typo.replacement, 'kimi-k2.6');
    const elsewhere = modelProblem('chat.model', 'my-model', undefined, 'notFound', 'proxy.example');
    assert.equal(elsewhere?.replacement, undefined, 'nothing to offer without a list and without a known successor');
    assert.match(elsewhere?.message ?? '', /Choose a model this endpoint lists\.$/);
  });

  it('offers only what the endpoint serves, and for mockups only a model that takes images', () => {
    const openRouter = parseModelList({ data: [{ id: 'moonshotai/kimi-k3', supports_image_in: true }, { id: 'moonshotai/kimi-k2.7-code', supports_image_in: false }] });
    assert.equal(replacementFor('chat.model', 'moonshotai/kimi-k2.5', openRouter), 'moonshotai/kimi-k3');
    const noImages = parseModelList({ data: [{ id: 'kimi-k2.7-code', supports_image_in: false }, { id: 'kimi-k3', supports_image_in: true }] });
    assert.equal(replacementFor('vision.model', 'kimi-k2.5', noImages), 'kimi-k3');
  });

  it('the simulator answers 404 for kimi-k2.5 and does not list it: the client error is modelNotFound', async () => {
    const sim = await startSimulator();
    try {
      const client = new KimiClient({ baseUrl: sim.baseUrl, apiKey: sim.apiKey, dialect: 'moonshot', retry: false });
      const listed = await client.listModels();
      assert.deepEqual(listed?.map((m) => m.id).sort(), ['kimi-k2.6', 'kimi-k2.7-code', 'kimi-k2.7-code-highspeed', 'kimi-k3']);
      await assert.rejects(client.complete({ model: 'kimi-k2.5', messages: [{ role: 'user', content: 'hi' }], maxTokens: 16 }), (err: unknown) => KimiError.is(err, 'modelNotFound') && err.status === 404);
      assert.equal(modelProblem('completion.model', 'kimi-k2.5', listed, 'notFound', 'api.moonshot.ai')?.replacement, 'kimi-k2.6');
    } finally {
      await sim.close();
    }
  });
});
