import { rmSync } from 'node:fs';
import path from 'node:path';
import { cdkSynth, functionBundles, resourceCount, type SynthRun } from '../lib/cdk.ts';
import { BENCH_TMP_DIR } from '../lib/paths.ts';
import { type Benchmark, type BenchResult, resultRow } from '../lib/result.ts';
import { median, rotate } from '../lib/stats.ts';
import { generateApp } from './generate.ts';

const JOB_COUNTS = [1, 10, 50] as const;
const ROUNDS = 2;
/** CloudFormation's limit of resources per stack, which the CDK checks at synth. */
const STACK_RESOURCE_LIMIT = 500;

type JobCount = (typeof JOB_COUNTS)[number];
type Round = Record<JobCount, SynthRun>;

/**
 * `cdk synth` of apps of 1, 10 and 50 generated jobs, each bundled from the
 * real entry into a fresh output folder, in rotating order.
 */
export const synthScaleBenchmark: Benchmark = {
  name: 'synth-scale',
  title: 'Synth scale',
  run: async (): Promise<BenchResult> => {
    const dir = path.join(BENCH_TMP_DIR, 'synth-scale');
    rmSync(dir, { recursive: true, force: true });
    try {
      const apps = JOB_COUNTS.map((count) => ({
        count,
        app: generateApp(path.join(dir, `jobs-${count}`), count),
      }));
      const rounds: Round[] = [];
      const resources: Partial<Record<JobCount, number>> = {};
      for (let round = 0; round < ROUNDS; round++) {
        const figures = {} as Round;
        for (const { count, app } of rotate(apps, round)) {
          const outdir = path.join(dir, `jobs-${count}`, 'cdk.out');
          rmSync(outdir, { recursive: true, force: true });
          figures[count] = await cdkSynth({
            outdir,
            app: `"${process.execPath}" --import tsx ${app}`,
          });
          if (!figures[count].failure) {
            const functions = functionBundles(outdir).length;
            if (functions !== count)
              throw new Error(`synth of ${count} jobs made ${functions} functions`);
            resources[count] = resourceCount(outdir);
          }
          rmSync(outdir, { recursive: true, force: true });
        }
        rounds.push(figures);
      }
      return summarize(rounds, resources);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

function summarize(rounds: Round[], resources: Partial<Record<JobCount, number>>): BenchResult {
  const ms = (count: JobCount) => median(rounds.map((r) => r[count].ms));
  const failure = (count: JobCount) => rounds.find((r) => r[count].failure)?.[count].failure;
  if (failure(1)) throw new Error(`cdk synth of a 1-job app failed: ${failure(1)}`);
  const row = (count: 10 | 50, target: boolean) =>
    resultRow({
      metric: `synth time, ${count} jobs vs 1`,
      baseline: { label: '1 job', value: ms(1), unit: 'ms' },
      candidate: { label: `${count} jobs`, value: ms(count), unit: 'ms' },
      ratio: median(rounds.map((r) => r[count].ms / r[1].ms)),
      target: target ? { of: 'ratio', op: '<=', value: 3 } : undefined,
      failure: failure(count),
    });
  const notes = [
    `\`cdk synth -q\` wall time, CLI included, each into a fresh output folder (every function bundled by esbuild); ${ROUNDS} rounds in rotating order. Jobs cycle on demand / scheduled / event-driven; cdk-nag runs as in infra/app.ts.`,
    `Per extra job: ${((ms(10) - ms(1)) / 9).toFixed(0)} ms (from 1 to 10 jobs).`,
  ];
  const perJob = resources[10] && resources[1] ? (resources[10] - resources[1]) / 9 : undefined;
  if (perJob && resources[1]) {
    const fixed = resources[1] - perJob;
    const maxJobs = Math.floor((STACK_RESOURCE_LIMIT - fixed) / perJob);
    notes.push(
      `The stack has ${fixed.toFixed(0)} resources plus ${perJob.toFixed(1)} per job: at most ${maxJobs} jobs fit CloudFormation's ${STACK_RESOURCE_LIMIT} resources per stack.`,
    );
  }
  for (const count of JOB_COUNTS) {
    const why = failure(count);
    if (why)
      notes.push(
        `synth of ${count} jobs failed (its figure is the time until the CLI exited): ${why}`,
      );
  }
  return { rows: [row(10, false), row(50, true)], notes, details: { rounds, resources } };
}
