import * as assert from 'node:assert/strict';
import { estimateMessagesTokens, estimateTokens } from '../../../src/core/context/tokenEstimate';
import { KimiError } from '../../../src/core/kimi/kimiErrors';
import type { ChatMessage } from '../../../src/core/kimi/kimiTypes';
import { StreamTally } from '../../../src/core/kimi/streamTally';

const messages: ChatMessage[] = [{ role: 'user', content: 'Explain the prefix cache in two sentences.' }];

describe('stream tally (what a streamed request brought, and what its failure is billed for)', () => {
  it('tells a finished answer, and counts usage alone as nothing received', () => {
    const tally = new StreamTally(messages);
    tally.add({ kind: 'usage', usage: { promptTokens: 10, cachedTokens: 0, completionTokens: 0 } });
    assert.equal(tally.received, false);
    tally.add({ kind: 'content', text: 'Hi' });
    assert.equal(tally.received, true);
    assert.equal(tally.finished, false);
    tally.add({ kind: 'finish', reason: 'stop' });
    assert.equal(tally.finished, true);
  });

  it('bills nothing for a request that never went out, or that the server answered with a status', () => {
    const tally = new StreamTally(messages);
    assert.equal(tally.billed(new KimiError('network', 'x')).billed, undefined);
    tally.sent = true;
    assert.equal(tally.billed(new KimiError('serverError', 'x', 500)).billed, undefined);
  });

  it('bills the usage Kimi reported when there was one', () => {
    const tally = new StreamTally(messages);
    tally.sent = true;
    const usage = { promptTokens: 120, cachedTokens: 64, completionTokens: 7 };
    tally.add({ kind: 'usage', usage });
    tally.add({ kind: 'content', text: 'partial' });
    assert.deepEqual(tally.billed(new KimiError('network', 'cut')).billed, { usage, estimated: false });
  });

  it('estimates the bill from the request and everything sent back (thinking, text, tool arguments) otherwise', () => {
    const tally = new StreamTally(messages);
    tally.sent = true;
    tally.add({ kind: 'thinking', text: 'Let me think. ' });
    tally.add({ kind: 'content', text: 'The cache ' });
    tally.add({ kind: 'toolCall', index: 0, argumentsDelta: '{"path":"a.ts"}' });
    const billed = tally.billed(new KimiError('timeout', 'stalled')).billed;
    assert.deepEqual(billed, {
      usage: { promptTokens: estimateMessagesTokens(messages), cachedTokens: 0, completionTokens: estimateTokens('Let me think. The cache {"path":"a.ts"}') },
      estimated: true,
    });
  });
});
