import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { countTokens as o200k } from 'gpt-tokenizer/cjs/encoding/o200k_base';
import { estimateTokens, TOKEN_SAFETY_MARGIN, withSafetyMargin } from '../../../src/core/context/tokenEstimate';
import { repoRoot } from '../../support/repoRoot';

describe('tokenEstimate', () => {
  it('counts nothing for nothing and something for anything', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens(' '), 1);
    assert.equal(estimateTokens('x'), 1);
  });

  it('splits identifiers like the BPE pre-tokenizer', () => {
    assert.ok(estimateTokens('getElementById') >= 4);
    assert.ok(estimateTokens('1234567') === Math.ceil(3 * 1.7));
  });

  it('counts CJK per character', () => {
    assert.equal(estimateTokens('上下文缓存'), 5);
  });

  it('is within 12 % of a real BPE on real TypeScript and prose', () => {
    const nm = path.resolve(repoRoot, 'node_modules');
    const samples = [path.join(nm, 'typescript/lib/lib.es5.d.ts'), path.join(nm, 'openai/src/client.ts'), path.join(nm, 'ignore/README.md'), path.join(nm, 'picomatch/README.md')];
    for (const file of samples) {
      const text = fs.readFileSync(file, 'utf8');
      const truth = o200k(text, { disallowedSpecial: new Set() });
      const error = (estimateTokens(text) - truth) / truth;
      assert.ok(Math.abs(error) < 0.12, `${path.relative(nm, file)}: ${(error * 100).toFixed(1)} %`);
    }
  });

  it('adds the safety margin', () => {
    assert.equal(withSafetyMargin(1000), Math.ceil(1000 * (1 + TOKEN_SAFETY_MARGIN)));
  });
});
