import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { filesContaining } from '../../support/launchers/secretScan';

describe('secret scan used after integration runs', () => {
  it('finds the key in nested files, binary or text, and nothing else', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'moonpilot-scan-'));
    try {
      fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
      fs.writeFileSync(path.join(root, 'a', 'b', 'state.vscdb'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('xx sk-sim-test-key yy')]));
      fs.writeFileSync(path.join(root, 'a', 'clean.log'), '[connection] using http://127.0.0.1/v1');
      assert.deepEqual(filesContaining([root], 'sk-sim-test-key'), [path.join(root, 'a', 'b', 'state.vscdb')]);
      assert.deepEqual(filesContaining([path.join(root, 'a', 'clean.log')], 'sk-sim-test-key'), []);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
