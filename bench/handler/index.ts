import { rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JobDefinition } from '../../core/job.ts';
import { JOB_BUNDLING, jobBundleSpecifics } from '../../functions/bundling.ts';
import { crunchJob } from '../jobs/crunch.ts';
import { noopJob } from '../jobs/noop.ts';
import { waitJob } from '../jobs/wait.ts';
import { bundleLikeTheStack } from '../lib/bundle.ts';
import { startChild } from '../lib/child.ts';
import { BENCH_JOBS_DIR, BENCH_TMP_DIR } from '../lib/paths.ts';
import { type Benchmark, type BenchResult, type ResultRow, resultRow } from '../lib/result.ts';
import { median } from '../lib/stats.ts';
import { CRUNCH_MS, WAIT_MS } from '../lib/work.ts';
import type { MeasureSpec, RoundFigures } from './protocol.ts';

const LOCAL_NOWHERE = 'http://127.0.0.1:9';
const COST = { rounds: 20, batches: 1_000, warmUp: 5_000 };
/** Each I/O-bound round takes about 1 s per arm: 2 serial batches of 500 ms, 20 of 50 ms. */
const IO = { rounds: 16, serialBatches: 2, batches: 20, warmUp: 4 };
const CPU_BOUND = { rounds: 12, batches: 20, warmUp: 10 };

interface Arm {
  readonly name: string;
  readonly label: string;
  readonly entry: string;
  readonly job?: JobDefinition;
  readonly recordConcurrency?: number;
}

const ARMS: readonly Arm[] = [
  { name: 'bgjobs', label: 'createHandler', entry: JOB_BUNDLING.entry, job: noopJob },
  {
    name: 'powertools',
    label: 'Powertools BatchProcessor',
    entry: path.join(import.meta.dirname, 'powertools-entry.ts'),
  },
  { name: 'wait-1', label: 'recordConcurrency 1', entry: JOB_BUNDLING.entry, job: waitJob },
  {
    name: 'wait-10',
    label: 'recordConcurrency 10',
    entry: JOB_BUNDLING.entry,
    job: waitJob,
    recordConcurrency: 10,
  },
  {
    name: 'powertools-wait',
    label: 'Powertools processInParallel',
    entry: path.join(import.meta.dirname, 'powertools-wait-entry.ts'),
  },
  { name: 'crunch-1', label: 'recordConcurrency 1', entry: JOB_BUNDLING.entry, job: crunchJob },
  {
    name: 'crunch-10',
    label: 'recordConcurrency 10',
    entry: JOB_BUNDLING.entry,
    job: crunchJob,
    recordConcurrency: 10,
  },
];

/**
 * Our Lambda handler against Powertools' batch utility, every arm bundled as
 * the stack bundles a job and timed in alternation in one fresh process: the
 * cost per record of a no-op job, and an I/O-bound batch run one record after
 * another, side by side, and by Powertools in parallel.
 */
export const handlerBenchmark: Benchmark = {
  name: 'handler',
  title: 'Handler overhead and records in parallel',
  run: async (): Promise<BenchResult> => {
    const dir = path.join(BENCH_TMP_DIR, 'handler');
    try {
      const bundles = await Promise.all(ARMS.map((arm) => bundleArm(arm, dir)));
      const groups = await measure({
        arms: ARMS.map((arm, i) => ({
          name: arm.name,
          bundleUrl: pathToFileURL(bundles[i] as string).href,
          jobName: arm.job?.name ?? '',
        })),
        groups: [
          group('cost', ['bgjobs', 'powertools'], COST.rounds, COST.warmUp, {
            bgjobs: COST.batches,
            powertools: COST.batches,
          }),
          group('io', ['wait-1', 'wait-10', 'powertools-wait'], IO.rounds, IO.warmUp, {
            'wait-1': IO.serialBatches,
            'wait-10': IO.batches,
            'powertools-wait': IO.batches,
          }),
          group('cpu', ['crunch-1', 'crunch-10'], CPU_BOUND.rounds, CPU_BOUND.warmUp, {
            'crunch-1': CPU_BOUND.batches,
            'crunch-10': CPU_BOUND.batches,
          }),
        ],
      });
      return summarize(groups);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

function group(
  name: string,
  arms: string[],
  rounds: number,
  warmUpBatches: number,
  batchesPerRound: Record<string, number>,
): MeasureSpec['groups'][number] {
  return { name, arms, rounds, warmUpBatches, batchesPerRound };
}

/** A job arm is the job's bundle, its settings written in at bundle time as the stack writes them. */
async function bundleArm(arm: Arm, dir: string): Promise<string> {
  const outfile = path.join(dir, arm.name, 'index.mjs');
  const job = arm.job;
  const specifics = job
    ? jobBundleSpecifics(path.join(BENCH_JOBS_DIR, `${job.name}.ts`), {
        name: job.name,
        settings: { ...job.settings, recordConcurrency: arm.recordConcurrency ?? 1 },
      })
    : { alias: {}, define: {} };
  await bundleLikeTheStack({ entry: arm.entry, outfile, ...specifics });
  return outfile;
}

async function measure(spec: MeasureSpec): Promise<Record<string, RoundFigures[]>> {
  const { POWERTOOLS_DEV: _dev, POWERTOOLS_METRICS_DISABLED: _off, ...env } = process.env;
  const child = startChild<{ groups: Record<string, RoundFigures[]> }>(
    path.join(import.meta.dirname, 'measure.ts'),
    {
      args: [JSON.stringify(spec)],
      // The stack sets NODE_OPTIONS=--enable-source-maps on every function.
      execArgv: ['--expose-gc', '--enable-source-maps'],
      env: {
        ...env,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        // A success makes no SQS call; should one happen, it goes nowhere but 127.0.0.1.
        AWS_ENDPOINT_URL_SQS: LOCAL_NOWHERE,
        BGJOBS_QUEUE_URL: `${LOCAL_NOWHERE}/123456789012/bgjobs-bench`,
        BGJOBS_DEAD_LETTER_QUEUE_URL: `${LOCAL_NOWHERE}/123456789012/bgjobs-bench-dlq`,
      },
    },
  );
  try {
    return (await child.next()).groups;
  } finally {
    await child.exit();
  }
}

function summarize(groups: Record<string, RoundFigures[]>): BenchResult {
  const cost = groups.cost ?? [];
  const io = groups.io ?? [];
  const cpu = groups.cpu ?? [];
  const figure = (rounds: RoundFigures[], arm: string, of: 'wallNs' | 'cpuNs') =>
    median(rounds.map((r) => r[arm]?.[of] ?? Number.NaN));
  const ratio = (rounds: RoundFigures[], a: string, b: string, of: 'wallNs' | 'cpuNs') =>
    median(rounds.map((r) => (r[a]?.[of] ?? Number.NaN) / (r[b]?.[of] ?? Number.NaN)));
  const perSecond = (ns: number) => 1e9 / ns;
  const throughput = (rounds: RoundFigures[], arm: string, label: string) => ({
    label,
    value: perSecond(figure(rounds, arm, 'wallNs')),
    unit: 'msg/s' as const,
  });
  const rows: ResultRow[] = [
    resultRow({
      metric: 'cost per record (CPU time)',
      baseline: {
        label: 'Powertools BatchProcessor',
        value: figure(cost, 'powertools', 'cpuNs'),
        unit: 'ns/record',
      },
      candidate: {
        label: 'createHandler',
        value: figure(cost, 'bgjobs', 'cpuNs'),
        unit: 'ns/record',
      },
      ratio: ratio(cost, 'bgjobs', 'powertools', 'cpuNs'),
      target: { of: 'ratio', op: '<=', value: 1.2 },
    }),
    resultRow({
      metric: 'cost per record (wall time)',
      baseline: {
        label: 'Powertools BatchProcessor',
        value: figure(cost, 'powertools', 'wallNs'),
        unit: 'ns/record',
      },
      candidate: {
        label: 'createHandler',
        value: figure(cost, 'bgjobs', 'wallNs'),
        unit: 'ns/record',
      },
      ratio: ratio(cost, 'bgjobs', 'powertools', 'wallNs'),
      target: undefined,
    }),
    resultRow({
      metric: `I/O-bound batch of 10 (${WAIT_MS} ms each) vs serial`,
      baseline: throughput(io, 'wait-1', 'recordConcurrency 1'),
      candidate: throughput(io, 'wait-10', 'recordConcurrency 10'),
      // Throughput: serial time over concurrent time.
      ratio: ratio(io, 'wait-1', 'wait-10', 'wallNs'),
      target: { of: 'ratio', op: '>=', value: 8 },
    }),
    resultRow({
      metric: `I/O-bound batch of 10 (${WAIT_MS} ms each) vs Powertools`,
      baseline: throughput(io, 'powertools-wait', 'Powertools processInParallel'),
      candidate: throughput(io, 'wait-10', 'recordConcurrency 10'),
      ratio: ratio(io, 'powertools-wait', 'wait-10', 'wallNs'),
      target: { of: 'ratio', op: '>=', value: 1 },
    }),
    resultRow({
      metric: `CPU-bound batch of 10 (${CRUNCH_MS} ms each) vs serial`,
      baseline: throughput(cpu, 'crunch-1', 'recordConcurrency 1'),
      candidate: throughput(cpu, 'crunch-10', 'recordConcurrency 10'),
      ratio: ratio(cpu, 'crunch-1', 'crunch-10', 'wallNs'),
      target: undefined,
    }),
  ];
  return {
    rows,
    notes: [
      `Cost: ${COST.rounds} alternating rounds of ${COST.batches.toLocaleString('en-US')} batches of 10 after ${COST.warmUp.toLocaleString('en-US')} warm-up batches each, a gc before each round, in one process; the ratio is taken on the process's CPU time, which other processes on a shared machine disturb less than wall time (the wall-time row is shown too).`,
      'Ours writes its EMF metrics per invocation (Succeeded/Failed counters, and Duration and AgeAtStart for each record) and logs successes at DEBUG (off by default); the peer records no metrics and logs nothing. stdout is /dev/null: lines are written, not shown.',
      `I/O-bound: the wait job (${WAIT_MS} ms per record after the same validation) bundled with recordConcurrency 1 and 10, against Powertools' processPartialResponse with processInParallel; ${IO.rounds} rounds of ${IO.serialBatches} serial and ${IO.batches} concurrent batches per arm. CPU-bound (reference): ${CRUNCH_MS} ms of CPU per record, ${CPU_BOUND.rounds} rounds of ${CPU_BOUND.batches} batches: side by side cannot be faster on one thread.`,
    ],
    details: { groups, recordsPerBatch: 10 },
  };
}
