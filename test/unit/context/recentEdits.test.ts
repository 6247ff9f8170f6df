import * as assert from 'node:assert/strict';
import type { EditedRange } from '../../../src/core/context/contextTypes';
import { MAX_RECENT_EDITS, recordEdit } from '../../../src/core/context/recentEdits';

describe('recent edits', () => {
  it('extends the last range while typing on the same or adjacent lines, and adds one elsewhere', () => {
    const edits: EditedRange[] = [];
    recordEdit(edits, 'file:///a.ts', 10, 'x');
    recordEdit(edits, 'file:///a.ts', 11, 'y\nz');
    recordEdit(edits, 'file:///a.ts', 9, '');
    assert.deepEqual(edits, [{ uri: 'file:///a.ts', startLine: 9, endLine: 12 }]);
    recordEdit(edits, 'file:///a.ts', 40, 'far');
    recordEdit(edits, 'file:///b.ts', 40, 'other file');
    assert.deepEqual(edits, [
      { uri: 'file:///a.ts', startLine: 9, endLine: 12 },
      { uri: 'file:///a.ts', startLine: 40, endLine: 40 },
      { uri: 'file:///b.ts', startLine: 40, endLine: 40 },
    ]);
  });

  it(`keeps the ${MAX_RECENT_EDITS} most recent ranges`, () => {
    const edits: EditedRange[] = [];
    for (let i = 0; i < MAX_RECENT_EDITS + 5; i++) {
      recordEdit(edits, 'file:///a.ts', i * 10, 'x');
    }
    assert.equal(edits.length, MAX_RECENT_EDITS);
    assert.deepEqual(edits[0], { uri: 'file:///a.ts', startLine: 50, endLine: 50 });
    assert.deepEqual(edits[edits.length - 1], { uri: 'file:///a.ts', startLine: (MAX_RECENT_EDITS + 4) * 10, endLine: (MAX_RECENT_EDITS + 4) * 10 });
  });
});
