import * as assert from 'node:assert/strict';
import { KimiError } from '../../../src/core/kimi/kimiErrors';
import { RequestManager } from '../../../src/core/completion/requestManager';
import type { FetchResult, ManagerEvent, Suggestion } from '../../../src/core/completion/requestTypes';
import { withSelectedItem, type CursorSnapshot } from '../../../src/core/completion/completionTypes';
import { FakeClock, flush } from '../helpers/fakeClock';
import { snap } from './completionHelpers';

interface FakeCall {
  snapshot: CursorSnapshot;
  signal: AbortSignal;
  onText: (text: string, partial?: FetchResult) => void;
  resolve: (r: FetchResult) => void;
  reject: (e: unknown) => void;
}

/** A request manager whose requests are answered by the test. */
function setup(options: { mayRequest?: () => boolean } = {}) {
  const clock = new FakeClock();
  const calls: FakeCall[] = [];
  const events: ManagerEvent[] = [];
  let live = 0;
  let peak = 0;
  const manager = new RequestManager({
    clock,
    mayRequest: options.mayRequest,
    onEvent: (e) => events.push(e),
    fetch: (snapshot, signal, onText) =>
      new Promise<FetchResult>((resolve, reject) => {
        live++;
        peak = Math.max(peak, live);
        let done = false;
        const end = (): void => {
          if (!done) {
            done = true;
            live--;
          }
        };
        signal.addEventListener('abort', () => {
          end();
          reject(new KimiError('cancelled', 'aborted'));
        });
        calls.push({
          snapshot,
          signal,
          onText,
          resolve: (r) => {
            end();
            resolve(r);
          },
          reject: (e) => {
            end();
            reject(e);
          },
        });
      }),
  });
  const answer = (call: FakeCall, text: string | undefined): void => call.resolve({ completion: text === undefined ? undefined : { text, overwrite: 0 } });
  return { clock, calls, events, manager, answer, peak: () => peak, live: () => live };
}

/** Starts `complete` for a text with a cursor mark; returns its promise and a way to cancel it (as VS Code's token does). */
function ask(manager: RequestManager, file: string, extra: Partial<CursorSnapshot> = {}): { result: Promise<Suggestion | undefined>; cancel: () => void } {
  const controller = new AbortController();
  return { result: manager.complete(snap(file, extra), controller.signal), cancel: () => controller.abort() };
}

const P = 'const total = █;\n';
const pick = (s: Suggestion | undefined): unknown => s && { text: s.text, overwrite: s.overwrite, source: s.source };
const typed = (s: string): string => P.replace('█', `${s}█`);

describe('completion request manager', () => {
  it('waits for a pause before requesting, and a keystroke during the pause means no request', async () => {
    const t = setup();
    const first = ask(t.manager, typed('a'));
    await t.clock.advance(t.manager.currentDelayMs - 1);
    assert.equal(t.calls.length, 0, 'no request before the delay');
    first.cancel(); // the next keystroke cancels this one
    const second = ask(t.manager, typed('ad'));
    assert.equal(await first.result, undefined);
    await t.clock.advance(t.manager.currentDelayMs);
    assert.equal(t.calls.length, 1);
    assert.equal(t.calls[0].snapshot.prefix, 'const total = ad');
    t.answer(t.calls[0], 'd(1, 2)');
    assert.deepEqual(pick(await second.result), { text: 'd(1, 2)', overwrite: 0, source: 'network' });
  });

  it('an explicit request does not wait', async () => {
    const t = setup();
    ask(t.manager, typed('a'), { explicit: true });
    await flush();
    assert.equal(t.calls.length, 1);
  });

  it('reuses a request in flight when the user types what it is producing', async () => {
    const t = setup();
    const first = ask(t.manager, typed(''));
    await t.clock.advance(500);
    assert.equal(t.calls.length, 1);
    t.calls[0].onText('add(');
    first.cancel();
    const second = ask(t.manager, typed('a'));
    first.cancel();
    const third = ask(t.manager, typed('ad'));
    second.cancel();
    await t.clock.advance(500);
    assert.equal(t.calls.length, 1, 'no second request');
    assert.equal(t.calls[0].signal.aborted, false);
    t.answer(t.calls[0], 'add(40, 2)');
    assert.deepEqual(pick(await third.result), { text: 'd(40, 2)', overwrite: 0, source: 'inflight' });
    assert.equal(await second.result, undefined, 'the cancelled call gets nothing');
  });

  it('aborts a request the document has moved past, and requests anew', async () => {
    const t = setup();
    const first = ask(t.manager, typed(''));
    await t.clock.advance(500);
    t.calls[0].onText('add(');
    first.cancel();
    const second = ask(t.manager, typed('x'));
    await flush();
    assert.equal(t.calls[0].signal.aborted, true, 'stale request aborted at once');
    await t.clock.advance(500);
    assert.equal(t.calls.length, 2);
    assert.equal(t.calls[1].snapshot.prefix, 'const total = x');
    t.answer(t.calls[1], ' * 2');
    assert.equal((await second.result)?.text, ' * 2');
    assert.ok(t.events.some((e) => e.kind === 'ended' && e.outcome === 'aborted'));
  });

  it('aborts a request as soon as what it produces stops matching what was typed', async () => {
    const t = setup();
    const first = ask(t.manager, typed(''));
    await t.clock.advance(500);
    first.cancel();
    const second = ask(t.manager, typed('m'));
    await flush();
    assert.equal(t.calls.length, 1, 'nothing produced yet: still reusable');
    t.calls[0].onText('add(');
    await flush();
    assert.equal(t.calls[0].signal.aborted, true);
    await t.clock.advance(500);
    assert.equal(t.calls.length, 2, 'a fresh request for the waiting keystroke');
    t.answer(t.calls[1], 'ax(1, 2)');
    assert.equal((await second.result)?.text, 'ax(1, 2)');
  });

  it('answers from the cache on typing-as-suggested, backspace and retype, without requests', async () => {
    const t = setup();
    const first = ask(t.manager, typed(''));
    await t.clock.advance(500);
    t.answer(t.calls[0], 'add(40, 2)');
    assert.equal((await first.result)?.source, 'network');
    const states = ['a', 'ad', 'add(4', 'add(', 'a', '', 'ad'];
    for (const s of states) {
      const r = await ask(t.manager, typed(s)).result;
      assert.deepEqual(r && { text: r.text, source: r.source }, { text: 'add(40, 2)'.slice(s.length), source: 'cache' }, `after typing ${JSON.stringify(s)}`);
    }
    assert.equal(t.calls.length, 1);
    assert.equal(t.clock.pending, 0, 'cache hits set no timers');
  });

  it('remembers that a state had no completion', async () => {
    const t = setup();
    const first = ask(t.manager, typed('x'));
    await t.clock.advance(500);
    t.answer(t.calls[0], undefined);
    assert.equal(await first.result, undefined);
    assert.equal(await ask(t.manager, typed('x')).result, undefined);
    assert.equal(t.calls.length, 1);
  });

  it('never has more than two requests in flight under random typing', async () => {
    const t = setup();
    let text = '';
    let previous: { cancel: () => void } | undefined;
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 300; i++) {
      previous?.cancel();
      text = rnd() < 0.15 && text.length > 0 ? text.slice(0, -1) : text + 'abcxyz'[Math.floor(rnd() * 6)];
      previous = ask(t.manager, typed(text), { explicit: rnd() < 0.2 });
      await t.clock.advance(Math.floor(rnd() * 400));
      for (const call of t.calls) {
        if (!call.signal.aborted && rnd() < 0.3) {
          call.onText('abc'.slice(0, 1 + Math.floor(rnd() * 3)));
        }
        if (!call.signal.aborted && rnd() < 0.2) {
          t.answer(call, 'abcxyz');
        }
      }
      assert.ok(t.live() <= 2, `in flight ${t.live()}`);
    }
    assert.ok(t.peak() <= 2, `peak ${t.peak()}`);
    assert.ok(t.calls.length > 10, 'the scenario made requests');
  });

  it('aborts a request nobody waits for after a short grace', async () => {
    const t = setup();
    const first = ask(t.manager, typed('a'));
    await t.clock.advance(500);
    first.cancel();
    await t.clock.advance(100);
    assert.equal(t.calls[0].signal.aborted, false, 'kept briefly for the next keystroke');
    await t.clock.advance(400);
    assert.equal(t.calls[0].signal.aborted, true);
  });

  it('reports failures as events and resolves undefined, never throws', async () => {
    const t = setup();
    const first = ask(t.manager, typed('a'));
    await t.clock.advance(500);
    t.calls[0].reject(new KimiError('auth', 'bad key', 401));
    assert.equal(await first.result, undefined);
    const ended = t.events.find((e) => e.kind === 'ended');
    assert.equal(ended?.kind === 'ended' && ended.outcome, 'error');
    assert.equal(ended?.kind === 'ended' && ended.error?.kind, 'auth');
  });

  it('sends nothing while requests are paused, but still answers from the cache', async () => {
    let allowed = true;
    const t = setup({ mayRequest: () => allowed });
    const first = ask(t.manager, typed(''));
    await t.clock.advance(500);
    t.answer(t.calls[0], 'add(1)');
    await first.result;
    allowed = false;
    assert.equal((await ask(t.manager, typed('a')).result)?.text, 'dd(1)');
    const other = ask(t.manager, typed('zz'));
    await t.clock.advance(500);
    assert.equal(await other.result, undefined);
    assert.equal(t.calls.length, 1);
  });

  it('adapts the delay to the typing rhythm', async () => {
    const fast = setup();
    const slow = setup();
    for (let i = 0; i < 10; i++) {
      ask(fast.manager, typed('a'.repeat(i + 1))).cancel();
      ask(slow.manager, typed('a'.repeat(i + 1))).cancel();
      await fast.clock.advance(60);
      await slow.clock.advance(220);
    }
    assert.ok(fast.manager.currentDelayMs < slow.manager.currentDelayMs, `${fast.manager.currentDelayMs} < ${slow.manager.currentDelayMs}`);
    assert.ok(fast.manager.currentDelayMs >= 40 && slow.manager.currentDelayMs <= 450);
  });
});

describe('completion request manager: auto-closed brackets', () => {
  it('typing "(" that the editor auto-closes still hits the cache, writing over the inserted ")"', async () => {
    const t = setup();
    const first = ask(t.manager, 'const answer = a█;\n');
    await t.clock.advance(500);
    t.answer(t.calls[0], 'dd(40, 2)');
    await first.result;
    const inside = await ask(t.manager, 'const answer = add(█);\n').result;
    assert.deepEqual(pick(inside), { text: '40, 2)', overwrite: 1, source: 'cache' });
    const deeper = await ask(t.manager, 'const answer = add(40█);\n').result;
    assert.deepEqual(pick(deeper), { text: ', 2)', overwrite: 1, source: 'cache' });
    assert.equal(t.calls.length, 1);
    // The whole suggestion typed (the ")" typed over): the next completion needs a request.
    void ask(t.manager, 'const answer = add(40, 2)█;\n').result;
    await t.clock.advance(500);
    assert.equal(t.calls.length, 2);
  });

  it('a quote the editor auto-closed must appear in the rest', async () => {
    const t = setup();
    const first = ask(t.manager, 'log(█);\n');
    await t.clock.advance(500);
    t.answer(t.calls[0], 'x + 1');
    await first.result;
    // The user typed a quote the suggestion does not contain: no cache answer, a new request.
    const quoted = ask(t.manager, 'log(x + "█");\n');
    await t.clock.advance(500);
    assert.equal(t.calls.length, 2);
    t.answer(t.calls[1], 'done');
    assert.equal((await quoted.result)?.text, 'done');
  });
});

describe('completion request manager: multi-line blocks', () => {
  it('shows the first complete lines while the block streams, and caches the whole block', async () => {
    const t = setup();
    const file = 'function f() {\n  █\n}\n';
    const first = ask(t.manager, file);
    await t.clock.advance(500);
    t.calls[0].onText('const a = 1;\n  co', { completion: { text: 'const a = 1;', overwrite: 0 } });
    assert.deepEqual(pick(await first.result), { text: 'const a = 1;', overwrite: 0, source: 'network' });
    assert.equal(t.calls[0].signal.aborted, false, 'the request goes on');
    t.answer(t.calls[0], 'const a = 1;\n  const b = 2;');
    await flush();
    const typed = await ask(t.manager, 'function f() {\n  const█\n}\n').result;
    assert.deepEqual(pick(typed), { text: ' a = 1;\n  const b = 2;', overwrite: 0, source: 'cache' });
    assert.equal(t.calls.length, 1);
  });

  it('asks the editor to query again when a block whose first lines were shown arrives whole', async () => {
    const t = setup();
    const first = ask(t.manager, 'function f() {\n  █\n}\n');
    await t.clock.advance(500);
    t.calls[0].onText('const a = 1;\n  co', { completion: { text: 'const a = 1;', overwrite: 0 } });
    await first.result;
    assert.equal(t.events.some((e) => e.kind === 'resultReady'), false, 'not while it streams');
    t.answer(t.calls[0], 'const a = 1;\n  const b = 2;');
    await flush();
    const ready = t.events.filter((e) => e.kind === 'resultReady');
    assert.equal(ready.length, 1);
    assert.equal(ready[0].kind === 'resultReady' && ready[0].snapshot.prefix, 'function f() {\n  ');
  });

  it('sends nothing at the end of a line that opens a block already written', async () => {
    const t = setup();
    const done = ask(t.manager, 'function f() {█\n  return 1;\n}\n');
    await t.clock.advance(2_000);
    assert.equal(await done.result, undefined);
    assert.equal(t.calls.length, 0);
  });

  it('says whether the cache would serve a cursor state, without counting it as a keystroke', async () => {
    const t = setup();
    const first = ask(t.manager, 'function f() {\n  █\n}\n');
    await t.clock.advance(500);
    t.calls[0].onText('const a = 1;\n  co', { completion: { text: 'const a = 1;', overwrite: 0 } });
    await first.result;
    // The user types on into the shown first line while the rest of the block streams.
    const ahead = snap('function f() {\n  const a█\n}\n');
    assert.equal(t.manager.wouldServe(ahead), false, 'nothing cached before the block is whole');
    t.answer(t.calls[0], 'const a = 1;\n  const b = 2;');
    await flush();
    const delay = t.manager.currentDelayMs;
    assert.equal(t.manager.wouldServe(ahead), true, 'typed into the block: the rest is cached');
    assert.equal(t.manager.wouldServe(snap('function f() {\n  let█\n}\n')), false, 'typed something else');
    assert.equal(t.manager.wouldServe(snap('function g() {\n  █\n}\n')), false, 'another place');
    assert.equal(t.manager.currentDelayMs, delay, 'a look is not a keystroke');
    assert.deepEqual(pick(await ask(t.manager, 'function f() {\n  const a█\n}\n').result), { text: ' = 1;\n  const b = 2;', overwrite: 0, source: 'cache' });
  });

  it('would not serve a remembered empty answer', async () => {
    const t = setup();
    const first = ask(t.manager, typed('a'));
    await t.clock.advance(500);
    t.answer(t.calls[0], undefined);
    assert.equal(await first.result, undefined);
    assert.equal(t.manager.wouldServe(snap(typed('a'))), false);
  });

  it('asks the editor to query again when a result arrives after the editor stopped waiting for it', async () => {
    const t = setup();
    const first = ask(t.manager, typed('a'));
    await t.clock.advance(500);
    first.cancel(); // VS Code cancels the provider call (an auto-indent edit, a redraw) but the cursor stays
    assert.equal(await first.result, undefined);
    t.answer(t.calls[0], 'dd(1, 2)');
    await flush();
    assert.equal(t.events.filter((e) => e.kind === 'resultReady').length, 1);
    const again = await ask(t.manager, typed('a')).result;
    assert.deepEqual(pick(again), { text: 'dd(1, 2)', overwrite: 0, source: 'cache' });
  });

  it('raises nothing when the result was shown whole', async () => {
    const t = setup();
    const first = ask(t.manager, typed('a'));
    await t.clock.advance(500);
    t.answer(t.calls[0], 'dd(1, 2)');
    assert.equal((await first.result)?.text, 'dd(1, 2)');
    await flush();
    assert.equal(t.events.some((e) => e.kind === 'resultReady'), false);
  });

  it('does not serve first lines that lack a closer the editor inserted; waits for the whole block', async () => {
    const t = setup();
    const first = ask(t.manager, 'function f() {\n  █\n}\n');
    await t.clock.advance(500);
    // The user types "foo(" and the editor adds ")" while the block streams.
    const typed = ask(t.manager, 'function f() {\n  foo(█)\n}\n');
    t.calls[0].onText('foo({\n    a: 1,\n', { completion: { text: 'foo({\n    a: 1,', overwrite: 0 } });
    await flush();
    let settled = false;
    void typed.result.then(() => (settled = true));
    await flush();
    assert.equal(settled, false, 'the partial lines hold no ")" for the inserted one: keep waiting');
    t.answer(t.calls[0], 'foo({\n    a: 1,\n  });');
    assert.deepEqual(pick(await typed.result), { text: '{\n    a: 1,\n  });', overwrite: 1, source: 'inflight' });
    void first.result;
  });

  it('with the suggest widget open after `item.`, asks as if its selected item were accepted; accepting it is then a cache hit', async () => {
    const t = setup();
    // `item.le█` with `length` selected: it replaces `le` (its range) and the request continues `item.length`.
    const widgetOpen = withSelectedItem(snap('if (item.le█) {}\n', { explicit: true }), { text: 'length', replacesBefore: 2, replacesAfter: 0 });
    const shown = t.manager.complete(widgetOpen, new AbortController().signal);
    await flush();
    assert.equal(t.calls.length, 1);
    assert.equal(t.calls[0].snapshot.prefix, 'if (item.length', 'the prefix holds the selected item');
    assert.equal(t.calls[0].snapshot.suffix, ') {}\n');
    t.answer(t.calls[0], ' > 0');
    assert.deepEqual(pick(await shown), { text: ' > 0', overwrite: 0, source: 'network' });
    // The user accepts the item (Tab/Enter): the document is now `item.length█`, served from the cache.
    const accepted = ask(t.manager, 'if (item.length█) {}\n');
    assert.deepEqual(pick(await accepted.result), { text: ' > 0', overwrite: 0, source: 'cache' });
    assert.equal(t.calls.length, 1, 'no second request');
  });
});
