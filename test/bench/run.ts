/**
 * `npm run bench`: runs every registered benchmark (or those named on the command line) and
 * prints their tables; also writes them to test-output/bench.md. Not part of the test suite:
 * speed and cost are measured here, never asserted with timers in tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatTable, type BenchTable } from './benchTable';
import { benchmarks } from './registry';

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const selected = benchmarks.filter((b) => wanted.length === 0 || wanted.includes(b.name));
  const printed: string[] = [];
  for (const bench of selected) {
    const started = Date.now();
    process.stderr.write(`running ${bench.name}…\n`);
    const tables: BenchTable[] = await bench.run();
    for (const table of tables) {
      const text = formatTable(table);
      printed.push(text);
      console.log(`${text}\n`);
    }
    process.stderr.write(`${bench.name} took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  const outDir = path.resolve(__dirname, '../../../test-output');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'bench.md'), `${printed.join('\n\n')}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
