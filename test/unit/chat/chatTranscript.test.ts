import * as assert from 'node:assert/strict';
import { formatUserMessage } from '../../../src/core/chat/chatPrompt';
import { historyOf, Transcript } from '../../../src/core/chat/transcript';

const prices = { inputPerMillion: 0.6, cachedInputPerMillion: 0.1, outputPerMillion: 3 };

function start(t: Transcript, text: string, thinking = true) {
  return t.startTurn({ userText: text, attachments: [], thinking, userMessage: formatUserMessage(text, []) });
}

describe('chat transcript', () => {
  it('tracks a turn from streaming to done, with usage and cost per turn and per session', () => {
    const t = Transcript.create(1_000);
    const turn = start(t, 'What does app.ts do?');
    assert.equal(turn.status, 'streaming');
    assert.ok(t.busy);
    turn.reasoning += 'Let me think';
    turn.answer += 'It starts the server.';
    t.addUsage(turn.id, { promptTokens: 1_000, cachedTokens: 800, completionTokens: 100 }, prices);
    t.addUsage(turn.id, { promptTokens: 2_000, cachedTokens: 1_000, completionTokens: 50 }, prices);
    turn.status = 'done';
    turn.replies = [{ role: 'assistant', content: 'It starts the server.' }];
    assert.ok(!t.busy);
    assert.deepEqual({ ...t.get(turn.id)!.usage, cost: undefined }, { prompt: 3_000, cached: 1_800, output: 150, cost: undefined });
    // (1200 uncached * 0.6 + 1800 cached * 0.1 + 150 out * 3) / 1e6
    assert.ok(Math.abs(t.get(turn.id)!.usage!.cost - (1_200 * 0.6 + 1_800 * 0.1 + 150 * 3) / 1e6) < 1e-12);

    const second = start(t, 'And math.ts?');
    t.addUsage(second.id, { promptTokens: 10, cachedTokens: 0, completionTokens: 10 }, prices);
    assert.equal(t.totals().prompt, 3_010);
    assert.equal(t.totals().output, 160);
  });

  it('puts into history what the model may build on, by status', () => {
    const t = Transcript.create();
    const done = start(t, 'one');
    done.answer = 'answer one';
    done.replies = [{ role: 'assistant', content: 'answer one' }];
    done.status = 'done';
    const stopped = start(t, 'two');
    stopped.answer = 'partial';
    stopped.reasoning = 'half a thought';
    stopped.status = 'stopped';
    const stoppedEarly = start(t, 'three');
    stoppedEarly.status = 'stopped';
    const failed = start(t, 'four');
    failed.status = 'error';
    const current = start(t, 'five');

    assert.deepEqual(historyOf(done), [done.userMessage, { role: 'assistant', content: 'answer one' }]);
    assert.deepEqual(historyOf(stopped), [stopped.userMessage, { role: 'assistant', content: 'partial', reasoning_content: 'half a thought' }]);
    assert.deepEqual(historyOf(stoppedEarly), []);
    assert.deepEqual(historyOf(failed), []);
    assert.equal(t.historyBefore(current.id).length, 4);
    assert.equal(t.historyGroupsBefore(current.id).length, 2);
  });

  it('resets a turn for Retry, keeping the user message', () => {
    const t = Transcript.create();
    const turn = start(t, 'why?');
    turn.answer = 'half';
    turn.status = 'error';
    turn.error = { kind: 'rateLimit', message: 'wait', actions: ['retry'], retryAt: 5 };
    const again = t.resetTurn(turn.id, false)!;
    assert.equal(again.status, 'streaming');
    assert.equal(again.answer, '');
    assert.equal(again.error, undefined);
    assert.equal(again.thinking, false);
    assert.equal(again.userText, 'why?');
  });

  it('pins the model and effort, and keeps them through a save and restore', () => {
    const t = Transcript.create();
    assert.equal(t.model, undefined);
    t.pin('kimi-k3', 'high');
    const restored = Transcript.restore(JSON.parse(JSON.stringify(t.toJSON())))!;
    assert.equal(restored.model, 'kimi-k3');
    assert.equal(restored.effort, 'high');
    restored.pin('kimi-k2.6', undefined);
    assert.equal(restored.effort, undefined);
    const tampered = Transcript.restore({ ...JSON.parse(JSON.stringify(t.toJSON())), effort: 'extreme' })!;
    assert.equal(tampered.effort, undefined, 'an unknown effort is not restored');
  });

  it('freezes the workspace context at the first capture', () => {
    const t = Transcript.create();
    t.setWorkspaceContext({ text: 'first', tokens: 1, files: ['a.ts'] });
    t.setWorkspaceContext({ text: 'second', tokens: 1, files: [] });
    assert.equal(t.workspaceContext?.text, 'first');
  });

  it('round-trips through JSON and marks interrupted turns stopped', () => {
    const t = Transcript.create();
    t.setWorkspaceContext({ text: 'ctx', tokens: 1, files: ['a.ts'] });
    const done = start(t, 'one');
    done.status = 'done';
    done.answer = 'a';
    done.replies = [{ role: 'assistant', content: 'a', reasoning_content: 'r', tool_calls: [] }];
    start(t, 'two');
    const restored = Transcript.restore(JSON.parse(JSON.stringify(t.toJSON())))!;
    assert.ok(restored);
    assert.equal(restored.id, t.id);
    assert.equal(restored.turns.length, 2);
    assert.equal(restored.turns[1].status, 'stopped');
    assert.ok(restored.turns[1].notice);
    assert.deepEqual(restored.turns[0], t.turns[0]);
    assert.equal(restored.workspaceContext?.text, 'ctx');
  });

  it('refuses persisted data that is not a transcript', () => {
    for (const raw of [undefined, null, 'x', {}, { version: 2, id: 'a', createdAt: 1, turns: [] }, { version: 1, id: 'a', createdAt: 1, turns: [{ id: 'x' }] }]) {
      assert.equal(Transcript.restore(raw), undefined);
    }
  });

  it('gives the webview views without wire messages or attachment text', () => {
    const t = Transcript.create();
    const turn = t.startTurn({
      userText: 'look',
      attachments: [{ id: 'att-1', kind: 'selection', path: 'src/a.ts', languageId: 'typescript', startLine: 1, endLine: 2, tokens: 3, text: 'SECRET-ISH BODY' }],
      thinking: true,
      userMessage: { role: 'user', content: 'look' },
    });
    const view = t.views()[0];
    assert.equal(view.id, turn.id);
    assert.ok(!JSON.stringify(view).includes('SECRET-ISH BODY'));
    assert.ok(!('userMessage' in view) && !('replies' in view));
  });
});
