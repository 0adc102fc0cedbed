/**
 * `npm run bench [-- <name>...]`: runs the benchmarks (all, or those named),
 * prints one table, and writes `bench/results/<name>.json` for each.
 * Exit codes: 0 all ran (missed targets are findings, shown as MISSED),
 * 1 a benchmark could not run, 2 bad arguments.
 */
import path from 'node:path';
import { benchmarks } from './benchmarks.ts';
import { TABLE_HEADER, tableCells, textTable } from './lib/format.ts';
import { PROJECT_ROOT } from './lib/paths.ts';
import { loadAverage, machineInfo, writeResult } from './lib/report.ts';
import type { Benchmark, BenchResult } from './lib/result.ts';

const USAGE = `Usage: npm run bench [-- <name>...]

Benchmarks (default: all, in this order):
${benchmarks.map((b) => `  ${b.name.padEnd(14)}${b.title}`).join('\n')}

Examples:
  npm run bench
  npm run bench -- consumer handler`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const unknown = args.filter((name) => !benchmarks.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.map((n) => `"${n}"`).join(', ')}\n\n${USAGE}`);
  process.exit(2);
}
const selected = args.length > 0 ? benchmarks.filter((b) => args.includes(b.name)) : benchmarks;

const machine = machineInfo();
console.log(`bgjobs benchmarks on ${machine.cpus} x ${machine.cpuModel}, Node.js ${machine.node}`);
const done: { benchmark: Benchmark; result: BenchResult }[] = [];
const failed: string[] = [];
for (const benchmark of selected) {
  const loadAtStart = loadAverage();
  console.log(`\n${benchmark.name}: ${benchmark.title} (load average ${loadAtStart})...`);
  const started = performance.now();
  try {
    const result = await benchmark.run();
    const durationMs = performance.now() - started;
    const file = writeResult(benchmark, result, { durationMs, loadAtStart });
    console.log(
      `  done in ${(durationMs / 1000).toFixed(0)} s (load average ${loadAverage()}); ${path.relative(PROJECT_ROOT, file)}`,
    );
    done.push({ benchmark, result });
  } catch (error) {
    console.error(`  could not run: ${(error as Error).stack ?? error}`);
    failed.push(benchmark.name);
  }
}

const rows = done.flatMap(({ benchmark, result }) =>
  result.rows.map((row) => tableCells(benchmark.name, row)),
);
console.log(`\n${textTable(TABLE_HEADER, rows)}`);
for (const { benchmark, result } of done) {
  console.log(`\n${benchmark.name}:`);
  for (const note of result.notes) console.log(`  - ${note}`);
}
const missed = done.flatMap(({ result }) => result.rows).filter((row) => row.met === false).length;
console.log(
  `\nThe claim is the ratio; absolute figures depend on this machine. ${missed} target(s) missed.`,
);
if (failed.length > 0) {
  console.error(`Could not run: ${failed.join(', ')}`);
  process.exit(1);
}
