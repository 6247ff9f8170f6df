// The JSON the in-editor test runner writes to `MOONPILOT_TEST_RESULT` and the offline launcher reads.
// Plain types only: imported both inside the extension host and by the launcher in plain Node.

/** Outcome of one mocha test. */
export interface TestOutcome {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly durationMs?: number;
  readonly error?: string;
}

/** The whole run, as written by `runMochaSuite`. */
export interface TestRunResult {
  readonly suite: string;
  readonly vscodeVersion: string;
  readonly nodeVersion: string;
  readonly passes: number;
  readonly failures: number;
  readonly pending: number;
  readonly durationMs: number;
  readonly tests: readonly TestOutcome[];
  /** The report as printed (spec-style lines), for the launcher to show. */
  readonly lines: readonly string[];
  /** Set when the run could not start or crashed outside a test (e.g. a test file failed to load). */
  readonly fatal?: string;
}
