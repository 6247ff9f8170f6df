import * as assert from 'node:assert/strict';
import { COMPACT_AFTER_CLOSED, COMPACT_WHEN_IDLE_MS, OpenOrder } from '../../../src/core/context/openOrder';

describe('openOrder', () => {
  it('appends new files and keeps sequence numbers while open', () => {
    const order = new OpenOrder();
    assert.equal(order.open('a'), 0);
    assert.equal(order.open('b'), 1);
    assert.equal(order.open('a'), 0);
    order.close('a');
    assert.equal(order.seqOf('b'), 1);
    assert.equal(order.open('a'), 2, 'a reopened file is appended');
  });

  it('compacts only when needed and idle', () => {
    const order = new OpenOrder();
    for (let i = 0; i < COMPACT_AFTER_CLOSED; i++) {
      order.open(`f${i}`);
      order.close(`f${i}`);
    }
    assert.equal(order.shouldCompact({ idleMs: 1_000, droppedForBudget: false }), false, 'never while typing');
    assert.equal(order.shouldCompact({ idleMs: COMPACT_WHEN_IDLE_MS, droppedForBudget: false }), true);
    const fresh = new OpenOrder();
    assert.equal(fresh.shouldCompact({ idleMs: COMPACT_WHEN_IDLE_MS, droppedForBudget: false }), false);
    assert.equal(fresh.shouldCompact({ idleMs: COMPACT_WHEN_IDLE_MS, droppedForBudget: true }), true);
  });

  it('compaction renumbers densely, keeping the order when everything fits', () => {
    const order = new OpenOrder();
    ['a', 'x', 'b', 'y', 'c'].forEach((u) => order.open(u));
    order.close('x');
    order.close('y');
    const parked = order.compact(['a', 'b', 'c'].map((uri) => ({ uri, tokens: 10 })), 100);
    assert.deepEqual(parked, []);
    assert.deepEqual(['a', 'b', 'c'].map((u) => order.seqOf(u)), [0, 1, 2]);
    assert.equal(order.closedSinceCompaction, 0);
    assert.equal(order.open('d'), 3);
  });

  it('compaction over budget parks the least recently used files; using one brings it back at the end', () => {
    const order = new OpenOrder();
    ['a', 'b', 'c', 'd'].forEach((u) => order.open(u));
    order.use('a');
    order.use('c');
    const parked = order.compact(['a', 'b', 'c', 'd'].map((uri) => ({ uri, tokens: 10 })), 30);
    assert.deepEqual(parked, ['b']);
    assert.ok(order.isParked('b'));
    assert.deepEqual(['a', 'c', 'd', 'b'].map((u) => order.seqOf(u)), [0, 1, 2, 3]);
    order.use('b');
    assert.equal(order.isParked('b'), false);
    assert.equal(order.seqOf('b'), 4);
  });
});
