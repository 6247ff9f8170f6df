import { invalid } from './requestRejection';
import type { JsonObject, SimModel } from './types';

const OLD_MODEL_MAX_TEMPERATURE = 1;
/** K2.x's fixed sampling (`fixedSampling: true`). */
const K2_TEMPERATURES = { thinkingTemperature: '1.0', instantTemperature: '0.6' };

/**
 * Fixed sampling on every `kimi-*` model: only the fixed values (K3: temperature 1; K2.x: 1.0
 * thinking / 0.6 instant; top_p 0.95, n 1, penalties 0). K3's top_p / n / penalties are not
 * documented: the simulator holds them to the K2.x values (strict).
 */
export function checkFixedSampling(body: JsonObject, model: SimModel, thinking: boolean): void {
  if (!model.fixedSampling) {
    checkFreeSampling(body, OLD_MODEL_MAX_TEMPERATURE);
    return;
  }
  const temps = model.fixedSampling === true ? K2_TEMPERATURES : model.fixedSampling;
  const temperature = thinking ? temps.thinkingTemperature : (temps.instantTemperature ?? temps.thinkingTemperature);
  const fixed: Array<[string, string]> = [
    ['temperature', temperature],
    ['top_p', '0.95'],
    ['n', '1'],
    ['presence_penalty', '0'],
    ['frequency_penalty', '0'],
  ];
  for (const [name, allowed] of fixed) {
    const value = body[name];
    if (value !== undefined && value !== null && value !== Number(allowed)) {
      throw invalid(`invalid ${name}: only ${allowed} is allowed for this model`);
    }
  }
}

/** Sampling on a model without fixed values (and on vLLM): temperature in [0, max], n = 1 only. */
export function checkFreeSampling(body: JsonObject, maxTemperature: number): void {
  const temperature = body.temperature;
  if (
    temperature !== undefined &&
    temperature !== null &&
    (typeof temperature !== 'number' || temperature < 0 || temperature > maxTemperature)
  ) {
    throw invalid(`invalid temperature: must be in [0, ${maxTemperature}]`);
  }
  if (body.n !== undefined && body.n !== null && body.n !== 1) {
    throw invalid('invalid n: the simulator implements n = 1 only');
  }
}
