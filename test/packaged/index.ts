// Entry point of the packaging suite (`extensionTestsPath`): runs against the Moonpilot installed from
// moonpilot.vsix, with a do-nothing probe as the development extension.
import { runMochaSuite } from '../integration/mochaRunner';

/** Runs every `*.test.js` next to this file; rejects when a test fails. */
export function run(): Promise<void> {
  return runMochaSuite({ suite: 'vsix', testsRoot: __dirname });
}
