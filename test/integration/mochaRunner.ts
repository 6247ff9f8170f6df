// Runs a folder of compiled `*.test.js` files with mocha inside the extension host, prints a spec-style
// report, and writes it as JSON to `MOONPILOT_TEST_RESULT` when set (the offline launcher reads it).
import * as fs from 'fs';
import * as path from 'path';
import { format } from 'util';
import * as vscode from 'vscode';
import Mocha = require('mocha');
import type { TestOutcome, TestRunResult } from './testResult';

const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

/** What a run recorded; handed to the reporter through mocha's `reporterOptions`. */
interface RunRecord {
  readonly tests: TestOutcome[];
  readonly lines: string[];
}

/** Records outcomes and prints spec-style lines through `console.log` (visible in both launchers). */
class RecordingReporter extends Mocha.reporters.Base {
  private readonly record: RunRecord;

  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const record = (options?.reporterOptions as { record?: RunRecord } | undefined)?.record;
    if (!record) {
      throw new Error('RecordingReporter needs reporterOptions.record');
    }
    this.record = record;
    const failed: Array<{ title: string; error: string }> = [];
    const indent = (suite: Mocha.Suite | undefined): string => '  '.repeat(Math.max(0, depth(suite)));
    runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
      if (suite.title) {
        this.print(`${indent(suite.parent)}${suite.title}`);
      }
    });
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => {
      this.record.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
      this.print(`${indent(test.parent)}✔ ${test.title} (${test.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => {
      this.record.tests.push({ title: test.fullTitle(), state: 'pending' });
      this.print(`${indent(test.parent)}- ${test.title}`);
    });
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Test, err: unknown) => {
      const error = err instanceof Error ? (err.stack ?? err.message) : format(err);
      this.record.tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration, error });
      failed.push({ title: test.fullTitle(), error });
      this.print(`${indent(test.parent)}✘ ${failed.length}) ${test.title}`);
    });
    runner.once(EVENT_RUN_END, () => {
      const stats = this.stats;
      this.print('');
      this.print(`  ${stats.passes} passing (${stats.duration ?? 0} ms)`);
      if (stats.pending > 0) {
        this.print(`  ${stats.pending} pending`);
      }
      if (stats.failures > 0) {
        this.print(`  ${stats.failures} failing`);
      }
      failed.forEach((failure, index) => {
        this.print('');
        this.print(`  ${index + 1}) ${failure.title}:`);
        this.print(failure.error.replace(/^/gm, '     '));
      });
    });
  }

  private print(line: string): void {
    this.record.lines.push(line);
    console.log(line);
  }
}

function depth(suite: Mocha.Suite | undefined): number {
  let level = 0;
  for (let current = suite; current && !current.root; current = current.parent) {
    level++;
  }
  return level;
}

function findTestFiles(testsRoot: string): string[] {
  return fs
    .readdirSync(testsRoot, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort()
    .map((file) => path.join(testsRoot, file));
}

function writeResult(result: TestRunResult): void {
  const file = process.env.MOONPILOT_TEST_RESULT;
  if (!file) {
    return;
  }
  // Write then rename, so the launcher never reads a half-written file.
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(result, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

/** Options of one in-editor test run. */
export interface MochaSuiteOptions {
  /** Name shown in the report, e.g. `integration`. */
  readonly suite: string;
  /** Folder searched recursively for compiled `*.test.js` files. */
  readonly testsRoot: string;
}

/**
 * Runs the suite; resolves when every test passed and rejects otherwise — the contract of an
 * `extensionTestsPath` module's `run()` for `@vscode/test-electron` and the offline launcher alike.
 * `MOONPILOT_TEST_GREP` (a substring of the full test title) selects tests.
 */
export async function runMochaSuite(options: MochaSuiteOptions): Promise<void> {
  const started = Date.now();
  const header = {
    suite: options.suite,
    vscodeVersion: vscode.version,
    nodeVersion: process.version,
  };
  console.log(`[${options.suite}] vscode.version ${vscode.version}, process.version ${process.version}`);
  const record: RunRecord = { tests: [], lines: [] };
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: RecordingReporter, reporterOptions: { record } });
  const grep = process.env.MOONPILOT_TEST_GREP;
  if (grep) {
    console.log(`[${options.suite}] MOONPILOT_TEST_GREP=${grep}`);
    mocha.grep(grep);
  }

  let ran = false;
  try {
    const files = findTestFiles(options.testsRoot);
    if (files.length === 0) {
      throw new Error(`no *.test.js files under ${options.testsRoot}; run \`npm run compile-tests\``);
    }
    files.forEach((file) => mocha.addFile(file));
    await mocha.loadFilesAsync();
    ran = true;
    const failures = await new Promise<number>((resolve) => mocha.run(resolve));
    const { tests, lines } = record;
    writeResult({
      ...header,
      passes: tests.filter((test) => test.state === 'passed').length,
      failures,
      pending: tests.filter((test) => test.state === 'pending').length,
      durationMs: Date.now() - started,
      tests,
      lines,
    });
    if (failures > 0) {
      throw new Error(`${failures} test(s) failed`);
    }
  } catch (error) {
    if (!ran) {
      const fatal = error instanceof Error ? (error.stack ?? error.message) : format(error);
      console.error(`[${options.suite}] could not run: ${fatal}`);
      writeResult({ ...header, passes: 0, failures: 1, pending: 0, durationMs: Date.now() - started, tests: [], lines: [], fatal });
    }
    throw error;
  }
}
