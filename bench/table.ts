/**
 * Writes the results table of bench/README.md from the files in
 * bench/results/, in the order `npm run bench` runs the benchmarks, with the
 * runner's own cells: `npx tsx bench/table.ts` after a run, so the README
 * says what the committed results say.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchmarks } from './benchmarks.ts';
import { TABLE_HEADER, tableCells } from './lib/format.ts';
import type { ResultRow } from './lib/result.ts';

const README = path.join(import.meta.dirname, 'README.md');
const RESULTS = path.join(import.meta.dirname, 'results');

const rows = benchmarks.flatMap((benchmark) => {
  const file = path.join(RESULTS, `${benchmark.name}.json`);
  const result = JSON.parse(readFileSync(file, 'utf8')) as { rows: ResultRow[] };
  return result.rows.map((row) => tableCells(benchmark.name, row));
});

const markdown = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
const table = [
  markdown(TABLE_HEADER),
  markdown(TABLE_HEADER.map(() => '---')),
  ...rows.map(markdown),
];

const lines = readFileSync(README, 'utf8').split('\n');
const start = lines.findIndex((line) => line.startsWith('| benchmark'));
if (start < 0) throw new Error(`${README} has no results table (a line starting "| benchmark")`);
let end = start;
while (lines[end]?.startsWith('|')) end++;
lines.splice(start, end - start, ...table);
writeFileSync(README, lines.join('\n'));
// Aligned as the linter wants it.
execFileSync('npx', ['biome', 'format', '--write', README], { stdio: 'ignore' });
console.log(`${README}: ${rows.length} rows from ${RESULTS}`);
