import * as assert from 'node:assert/strict';
import { formatUserMessage } from '../../../src/core/chat/chatPrompt';
import { Transcript } from '../../../src/core/chat/transcript';
import { parseStoredTranscript, TranscriptSerializer } from '../../../src/core/chat/transcriptStore';

function addTurn(t: Transcript, text: string, answer: string) {
  const turn = t.startTurn({ userText: text, attachments: [], thinking: false, userMessage: formatUserMessage(text, []) });
  turn.answer = answer;
  turn.replies = [{ role: 'assistant', content: answer }];
  turn.status = 'done';
  return turn;
}

describe('stored chat transcript', () => {
  it('keeps the newest turns within the byte limit, always the newest one, and counts the rest', () => {
    const t = Transcript.create(1);
    for (let i = 0; i < 10; i++) {
      addTurn(t, `q${i}`, String(i).repeat(1_000));
    }
    const oneTurn = JSON.stringify(t.turns[0]).length;
    const out = new TranscriptSerializer({ maxTurns: 100, maxBytes: Math.floor(3.5 * oneTurn) }).serialize(t);
    assert.ok(out.json.length < 4 * oneTurn, `${out.json.length} chars stored`);
    assert.equal(out.keptTurns, 3);
    assert.equal(out.droppedTurns, 7);
    const restored = Transcript.restore(parseStoredTranscript(out.json))!;
    assert.deepEqual(restored.turns.map((x) => x.userText), ['q7', 'q8', 'q9']);
    assert.equal(restored.droppedTurns, 7);
    // Dropped earlier and now: the counts add up.
    addTurn(restored, 'q10', 'y'.repeat(1_000));
    assert.equal(new TranscriptSerializer({ maxTurns: 2, maxBytes: 1e9 }).serialize(restored).droppedTurns, 9);
    // One turn over the limit on its own is still kept.
    assert.equal(new TranscriptSerializer({ maxTurns: 5, maxBytes: 10 }).serialize(t).keptTurns, 1);
  });

  it('reuses a settled turn\'s JSON until told it changed; a streaming turn is written afresh each time', () => {
    const t = Transcript.create(1);
    const settled = addTurn(t, 'a', 'first');
    const streaming = t.startTurn({ userText: 'b', attachments: [], thinking: false, userMessage: formatUserMessage('b', []) });
    const serializer = new TranscriptSerializer();
    serializer.serialize(t);
    settled.answer = 'changed behind its back';
    streaming.answer = 'more';
    const second = serializer.serialize(t).json;
    assert.ok(!second.includes('changed behind its back'), 'settled turn reused');
    assert.ok(second.includes('"more"'), 'streaming turn re-serialised');
    serializer.forget(settled);
    assert.ok(serializer.serialize(t).json.includes('changed behind its back'));
  });

  it('reads the object older versions stored, and nothing from a broken string', () => {
    const t = Transcript.create(1);
    addTurn(t, 'a', 'b');
    const obj = JSON.parse(JSON.stringify(t.toJSON())) as unknown;
    assert.equal(Transcript.restore(parseStoredTranscript(obj))?.turns.length, 1);
    assert.equal(Transcript.restore(parseStoredTranscript('{"version":1,')), undefined);
  });
});
