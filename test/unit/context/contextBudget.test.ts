import * as assert from 'node:assert/strict';
import { contextBudget, WHOLE_WINDOW_CAP_TOKENS } from '../../../src/core/context/contextBudget';
import { TOKEN_SAFETY_MARGIN } from '../../../src/core/context/tokenEstimate';

describe('contextBudget', () => {
  const settings = { completionTokens: 16_384, chatTokens: 0 };

  it('uses the completion setting, capped by the window', () => {
    assert.equal(contextBudget({ purpose: 'completion', windowTokens: 262_144, settings }), 16_384);
    const all = contextBudget({ purpose: 'completion', windowTokens: 262_144, settings: { completionTokens: 262_144, chatTokens: 0 } });
    assert.equal(all, Math.floor((262_144 - 1_024) / (1 + TOKEN_SAFETY_MARGIN)));
  });

  it('gives chat the whole window minus the reserve, the rest of the prompt and the margin', () => {
    const budget = contextBudget({ purpose: 'chat', windowTokens: 131_072, settings, otherPromptTokens: 5_000 });
    assert.equal(budget, Math.floor((131_072 - 32_768) / (1 + TOKEN_SAFETY_MARGIN)) - 5_000);
    assert.ok((budget + 5_000) * (1 + TOKEN_SAFETY_MARGIN) + 32_768 <= 131_072);
    assert.equal(contextBudget({ purpose: 'chat', windowTokens: 262_144, settings: { completionTokens: 1, chatTokens: 50_000 } }), 50_000);
    assert.equal(contextBudget({ purpose: 'chat', windowTokens: 8_192, settings, outputReserveTokens: 9_000 }), 0);
  });

  it('caps "the whole window" on K3\'s 1M window, but takes a larger setting as asked', () => {
    assert.equal(contextBudget({ purpose: 'chat', windowTokens: 1_048_576, settings }), WHOLE_WINDOW_CAP_TOKENS);
    assert.equal(contextBudget({ purpose: 'chat', windowTokens: 1_048_576, settings: { completionTokens: 1, chatTokens: 500_000 } }), 500_000);
  });
});
