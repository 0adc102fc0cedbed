import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RESULTS_DIR } from './paths.ts';
import type { Benchmark, BenchResult } from './result.ts';

/** Where a run happened: enough to tell whether two result files are comparable. */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryMB: Math.round(os.totalmem() / 1024 / 1024),
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    node: process.version,
  };
}

/** The 1-minute load average: on a shared machine, what else ran shapes the absolute figures. */
export function loadAverage(): number {
  return Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
}

/** Writes `results/<name>.json` (via a `.tmp` file and a rename, so a file is never half written). */
export function writeResult(
  benchmark: Benchmark,
  result: BenchResult,
  run: { durationMs: number; loadAtStart: number },
): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${benchmark.name}.json`);
  const content = {
    name: benchmark.name,
    title: benchmark.title,
    date: new Date().toISOString(),
    durationSeconds: Math.round(run.durationMs / 1000),
    machine: machineInfo(),
    loadAverage: { atStart: run.loadAtStart, atEnd: loadAverage() },
    rows: result.rows,
    notes: result.notes,
    details: result.details,
  };
  writeFileSync(`${file}.tmp`, `${JSON.stringify(content, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return file;
}
