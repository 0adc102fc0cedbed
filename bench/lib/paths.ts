import path from 'node:path';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const BENCH_DIR = path.join(PROJECT_ROOT, 'bench');
/** Where the benchmark jobs live; job `x` is `bench/jobs/x.ts`, as the runtime expects. */
export const BENCH_JOBS_DIR = path.join(BENCH_DIR, 'jobs');
/** Scratch space inside the repository (git-ignored), so bundles resolve `node_modules`. */
export const BENCH_TMP_DIR = path.join(BENCH_DIR, '.tmp');
export const RESULTS_DIR = path.join(BENCH_DIR, 'results');
