import { rmSync } from 'node:fs';
import path from 'node:path';
import { JOB_BUNDLING, jobBundleSpecifics } from '../../functions/bundling.ts';
import { noopJob } from '../jobs/noop.ts';
import { bundleLikeTheStack } from '../lib/bundle.ts';
import { startChild } from '../lib/child.ts';
import { BENCH_JOBS_DIR, BENCH_TMP_DIR } from '../lib/paths.ts';
import { type Benchmark, type BenchResult, resultRow } from '../lib/result.ts';
import { median } from '../lib/stats.ts';

const ROUNDS = 20;
const BATCHES_PER_ROUND = 1_000;
const WARM_UP_BATCHES = 5_000;
const LOCAL_NOWHERE = 'http://127.0.0.1:9';

type Round = { bgjobs: number; powertools: number };

/**
 * Cost per record of our Lambda handler against Powertools' batch utility, both
 * bundled as the stack bundles a job, on the same pre-built batches of 10,
 * alternating in one fresh process.
 */
export const handlerBenchmark: Benchmark = {
  name: 'handler',
  title: 'Handler overhead',
  run: async (): Promise<BenchResult> => {
    const dir = path.join(BENCH_TMP_DIR, 'handler');
    try {
      const bgjobsBundle = path.join(dir, 'bgjobs', 'index.mjs');
      const powertoolsBundle = path.join(dir, 'powertools', 'index.mjs');
      await bundleLikeTheStack({
        entry: JOB_BUNDLING.entry,
        outfile: bgjobsBundle,
        ...jobBundleSpecifics(path.join(BENCH_JOBS_DIR, 'noop.ts'), noopJob),
      });
      await bundleLikeTheStack({
        entry: path.join(import.meta.dirname, 'powertools-entry.ts'),
        outfile: powertoolsBundle,
      });
      const rounds = await measure(bgjobsBundle, powertoolsBundle);
      return summarize(rounds);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

async function measure(bgjobsBundle: string, powertoolsBundle: string): Promise<Round[]> {
  const { POWERTOOLS_DEV: _dev, POWERTOOLS_METRICS_DISABLED: _off, ...env } = process.env;
  const child = startChild<{ rounds: Round[] }>(path.join(import.meta.dirname, 'measure.ts'), {
    args: [bgjobsBundle, powertoolsBundle, ROUNDS, BATCHES_PER_ROUND, WARM_UP_BATCHES].map(String),
    // The stack sets NODE_OPTIONS=--enable-source-maps on every function.
    execArgv: ['--expose-gc', '--enable-source-maps'],
    env: {
      ...env,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      // A no-op success makes no SQS call; should one happen, it goes nowhere but 127.0.0.1.
      AWS_ENDPOINT_URL_SQS: LOCAL_NOWHERE,
      BGJOBS_JOB_NAME: 'noop',
      BGJOBS_QUEUE_URL: `${LOCAL_NOWHERE}/123456789012/bgjobs-noop`,
      BGJOBS_DEAD_LETTER_QUEUE_URL: `${LOCAL_NOWHERE}/123456789012/bgjobs-noop-dlq`,
    },
  });
  try {
    return (await child.next()).rounds;
  } finally {
    await child.exit();
  }
}

function summarize(rounds: Round[]): BenchResult {
  const cost = (arm: keyof Round) => median(rounds.map((r) => r[arm]));
  return {
    rows: [
      resultRow({
        metric: 'cost per record',
        baseline: {
          label: 'Powertools BatchProcessor',
          value: cost('powertools'),
          unit: 'ns/record',
        },
        candidate: { label: 'createHandler', value: cost('bgjobs'), unit: 'ns/record' },
        ratio: median(rounds.map((r) => r.bgjobs / r.powertools)),
        target: { of: 'ratio', op: '<=', value: 1.2 },
      }),
    ],
    notes: [
      `${ROUNDS} alternating rounds of ${BATCHES_PER_ROUND.toLocaleString('en-US')} batches of 10 after ${WARM_UP_BATCHES.toLocaleString('en-US')} warm-up batches each, a gc before each round; both handlers bundled with the stack's esbuild settings.`,
      'Ours records EMF metrics per record (Succeeded/Failed counters, Duration, AgeAtStart) and flushes them once per invocation, as deployed, and logs successes at DEBUG (off by default); the peer records no metrics and logs nothing. stdout is /dev/null: lines are written, not shown.',
    ],
    details: { rounds, batchesPerRound: BATCHES_PER_ROUND, recordsPerBatch: 10 },
  };
}
