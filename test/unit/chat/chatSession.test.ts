import * as assert from 'node:assert/strict';
import { ChatSession } from '../../../src/core/chat/chatSession';
import type { StoredSession } from '../../../src/core/chat/chatSessionPorts';
import type { HostToWebview } from '../../../src/core/chat/protocol';
import { parseSettings, type Settings } from '../../../src/core/config/settings';
import { untilAborted } from '../../../src/core/kimi/abortable';
import { KimiError } from '../../../src/core/kimi/kimiErrors';
import type { ChatRequest, StreamEvent } from '../../../src/core/kimi/kimiTypes';
import { silentLogger } from '../../../src/core/log/logger';

const settings = parseSettings({ get: () => undefined, userValue: () => undefined }, {});

/** The session's storage port: what was last written, and how often. */
class FakeStorage {
  value: StoredSession | undefined;
  writes = 0;
  get(): StoredSession | undefined {
    return this.value;
  }
  update(session: StoredSession): Promise<void> {
    this.writes++;
    this.value = session;
    return Promise.resolve();
  }
}

type Stream = (request: ChatRequest, signal: AbortSignal) => AsyncIterable<StreamEvent>;

async function* answer(text: string): AsyncGenerator<StreamEvent> {
  yield { kind: 'content', text };
  yield { kind: 'usage', usage: { promptTokens: 100, cachedTokens: 0, completionTokens: 10 } };
  yield { kind: 'finish', reason: 'stop' };
}

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

describe('chat session (core, behind its ports)', () => {
  function session(options: { storage?: FakeStorage; stream?: Stream; acquire?: () => Promise<unknown>; modelList?: (signal?: AbortSignal) => Promise<unknown>; pack?: () => Promise<undefined>; emit?: (m: HostToWebview) => void; confirm?: () => Promise<boolean>; settings?: Settings } = {}) {
    const storage = options.storage ?? new FakeStorage();
    const stream: Stream = options.stream ?? (() => answer('ok'));
    const client = { stream };
    const connection = {
      settingsNow: options.settings ?? settings,
      // As KimiConnection.client: resolves the client, or rejects as cancelled when the signal aborts the wait.
      client: (_feature: string, o?: { signal?: AbortSignal }) => untilAborted((options.acquire ?? (() => Promise.resolve(client)))(), o?.signal),
      modelList: (_client: unknown, signal?: AbortSignal) => (options.modelList ? options.modelList(signal) : Promise.resolve(undefined)),
      migration: { check: () => Promise.resolve(undefined) },
    };
    const s = new ChatSession({
      connection: connection as never,
      log: silentLogger,
      context: { packForChat: options.pack ?? (() => Promise.resolve(undefined)) },
      tools: { specs: [], label: () => '', run: () => Promise.reject(new Error('no tools')) },
      storage,
      emit: options.emit ?? (() => undefined),
      confirm: options.confirm ?? (() => Promise.resolve(false)),
    });
    return { s, storage };
  }

  it('stores a bounded transcript as one string, and a restored chat says older turns were dropped', async () => {
    const storage = new FakeStorage();
    const { s } = session({ storage, stream: () => answer('x'.repeat(1_000)) });
    for (let i = 0; i < 45; i++) {
      await s.send(`question ${i}`);
    }
    s.dispose();
    const stored = storage.get();
    assert.equal(typeof stored?.transcript, 'string', 'the transcript is stored as a string (no deep copy of a live object)');
    const restored = session({ storage }).s;
    const turns = restored.turns();
    assert.equal(turns.length, 40);
    assert.equal(turns[0].userText, 'question 5');
    assert.match(turns[0].notice ?? '', /^5 earlier turn\(s\) of this chat were not kept in storage/);
    restored.dispose();
  });

  it('does not write the transcript for every streamed delta, only when the turn starts and settles', async () => {
    const storage = new FakeStorage();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { s } = session({
      storage,
      stream: async function* () {
        for (let i = 0; i < 50; i++) {
          yield { kind: 'content', text: `part ${i} ` };
        }
        await gate;
        yield { kind: 'finish', reason: 'stop' };
      },
    });
    const done = s.send('stream a lot');
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // longer than the old 2 s write-behind
    const whileStreaming = storage.writes;
    release();
    await done;
    assert.equal(whileStreaming, 1, 'one write as the turn started, none while it streamed');
    assert.equal(storage.writes, 2, 'and one as it settled');
    s.dispose();
  });

  const hangs: { name: string; options: Parameters<typeof session>[0] }[] = [
    { name: 'the /models look-up', options: { modelList: (signal) => (signal ? new Promise((_, reject) => signal.addEventListener('abort', () => reject(new KimiError('cancelled', 'x')))) : never()) } },
    { name: 'the client (host prompt) wait', options: { acquire: () => never() } },
    { name: 'the workspace context capture', options: { pack: () => never() } },
  ];
  for (const hang of hangs) {
    it(`Stop ends a turn waiting on ${hang.name}`, async () => {
      const { s } = session(hang.options);
      const done = s.send('hello');
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(s.busy);
      s.stop();
      const view = await done;
      assert.equal(view?.status, 'stopped');
      assert.equal(s.busy, false);
      s.dispose();
    });
  }

  it('Stop and dispose call off a Retry waiting out a rate limit', async () => {
    for (const end of ['stop', 'dispose'] as const) {
      const { s } = session({ stream: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new KimiError('rateLimit', 'slow down', 429, 60_000)) }) }) });
      const failed = await s.send('hello');
      assert.equal(failed?.status, 'error');
      const started = Date.now();
      const retry = s.retry(failed!.id);
      await new Promise((resolve) => setTimeout(resolve, 20));
      s[end]();
      assert.equal(await retry, undefined);
      assert.ok(Date.now() - started < 5_000, `${end} ended the wait`);
      s.dispose();
    }
  });


  it('describes a turn to the emit port as it streams, and keeps the draft through the storage port', async () => {
    const messages: HostToWebview[] = [];
    const storage = new FakeStorage();
    const { s } = session({ storage, emit: (m) => messages.push(m), stream: () => answer('hello there') });
    await s.send('hi');
    const kinds = messages.map((m) => (m.type === 'turn' ? `turn:${m.turn.status}` : m.type === 'delta' ? `delta:${m.text}` : m.type));
    assert.deepEqual(kinds.filter((k) => k.startsWith('turn:') || k.startsWith('delta:')), ['turn:streaming', 'delta:hello there', 'turn:streaming', 'turn:done']);
    s.setDraft('half a thought');
    s.dispose();
    assert.equal(storage.get()?.draft, 'half a thought', 'dispose writes the idle draft at once');
    const restored = session({ storage }).s;
    assert.equal(restored.state().draft, 'half a thought');
    assert.equal(restored.turns()[0].answer, 'hello there');
    restored.dispose();
  });

  it('keeps a pinned chat\'s effort unless the confirm port agrees', async () => {
    const k3 = parseSettings({ get: (key: string) => (key === 'chat.model' ? 'kimi-k3' : key === 'chat.reasoningEffort' ? 'low' : undefined), userValue: () => undefined }, {});
    for (const agreed of [false, true]) {
      let asked = '';
      const { s } = session({ settings: k3, confirm: () => ((asked = 'yes'), Promise.resolve(agreed)) });
      await s.send('pin me');
      const before = s.sessionView().reasoning;
      assert.deepEqual(before.kind === 'effort' ? before.effort : undefined, 'low');
      await s.setEffort('high');
      const after = s.sessionView().reasoning;
      assert.equal(asked, 'yes', 'a pinned chat asks first');
      assert.equal(after.kind === 'effort' ? after.effort : undefined, agreed ? 'high' : 'low');
      s.dispose();
    }
  });
});
