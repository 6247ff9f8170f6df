// Entry point of the Restricted Mode suite (`npm run test:integration -- --restricted`): the same
// runner as the integration suite, in a window whose folder is not trusted.
import { runMochaSuite } from '../integration/mochaRunner';

/** Runs every `*.test.js` next to this file; rejects when a test fails. */
export function run(): Promise<void> {
  return runMochaSuite({ suite: 'restricted', testsRoot: __dirname });
}
