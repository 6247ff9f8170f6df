import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { recordingsDir } from '../../support/simulator/sseRecordings';

/**
 * Skips the running test when a recording it compares with is absent from ../shared/data/sse (a
 * clone without ../shared beside it), and says so in the test's title: the run lists it as
 * skipped with the missing path, never as a pass. With no names, the whole folder must be there.
 */
export function skipWithoutRecordings(test: Mocha.Context, ...names: string[]): void {
  const dir = recordingsDir();
  const wanted = names.length === 0 ? [dir] : names.map((name) => path.join(dir, name));
  const missing = wanted.find((file) => !existsSync(file));
  if (missing === undefined) {
    return;
  }
  if (test.test) {
    test.test.title += ` (skipped: ${missing} is absent; ../shared is not beside this clone)`;
  }
  test.skip();
}
