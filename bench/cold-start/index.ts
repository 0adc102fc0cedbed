import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { JOB_BUNDLING, jobBundleSpecifics } from '../../functions/bundling.ts';
import { jobs } from '../../jobs/index.ts';
import { bundleLikeTheStack } from '../lib/bundle.ts';
import { cdkSynth, type FunctionBundle, functionBundles } from '../lib/cdk.ts';
import { BENCH_TMP_DIR, PROJECT_ROOT } from '../lib/paths.ts';
import { type Benchmark, type BenchResult, type ResultRow, resultRow } from '../lib/result.ts';
import { median, rotate } from '../lib/stats.ts';
import { type InitTime, initTime } from './init-time.ts';

const ROUNDS = 15;
/** 100 KB, in KiB as bundlers and the Lambda console count. */
const SIZE_LIMIT_BYTES = 100 * 1024;
const LOCAL_NOWHERE = 'http://127.0.0.1:9';
const BARE = 'bare handler';
const SDK_ONLY = 'bare + SQSClient';

interface Arm {
  readonly name: string;
  readonly file: string;
  readonly env: Record<string, string>;
}

/**
 * Each job function's bundle from a real `cdk synth`, against a bare handler
 * bundled with the same settings: bytes of `index.mjs`, and module init time
 * in fresh processes, alternating.
 */
export const coldStartBenchmark: Benchmark = {
  name: 'cold-start',
  title: 'Cold start',
  run: async (): Promise<BenchResult> => {
    const dir = path.join(BENCH_TMP_DIR, 'cold-start');
    rmSync(dir, { recursive: true, force: true });
    try {
      const synth = await cdkSynth({ outdir: path.join(dir, 'cdk.out') });
      if (synth.failure) throw new Error(`cdk synth of the project failed: ${synth.failure}`);
      const functions = functionBundles(path.join(dir, 'cdk.out'));
      if (functions.length === 0) throw new Error('cdk synth produced no function');
      const bundle = async (
        name: string,
        entry: string,
        specifics?: { alias: Record<string, string>; define: Record<string, string> },
      ) => {
        const file = path.join(dir, name, 'index.mjs');
        return {
          file,
          bytesByOrigin: await bundleLikeTheStack({ entry, outfile: file, ...specifics }),
        };
      };
      const bare = await bundle('bare', path.join(import.meta.dirname, 'bare-entry.ts'));
      const sdk = await bundle('sdk', path.join(import.meta.dirname, 'sdk-entry.ts'));
      // The first function again, to see where its bytes come from (and that our settings match the stack's).
      const firstJob = jobNameOf(functions[0] as FunctionBundle);
      const mirror = await bundle(
        'mirror',
        JOB_BUNDLING.entry,
        jobBundleSpecifics(
          path.join(PROJECT_ROOT, 'jobs', `${firstJob}.ts`),
          jobs.find((job) => job.name === firstJob) ?? jobs[0],
        ),
      );
      const arms: Arm[] = [
        { name: BARE, file: bare.file, env: lambdaEnv('') },
        { name: SDK_ONLY, file: sdk.file, env: lambdaEnv('') },
        ...functions.map((f) => ({
          name: f.functionName,
          file: f.file,
          env: lambdaEnv(jobNameOf(f)),
        })),
      ];
      // Untimed first imports: every round then reads the files from the page cache.
      for (const arm of arms) await initTime(arm.file, arm.env);
      const rounds: Record<string, InitTime>[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const figures: Record<string, InitTime> = {};
        for (const arm of rotate(arms, round))
          figures[arm.name] = await initTime(arm.file, arm.env);
        rounds.push(figures);
      }
      return summarize(arms, rounds, {
        synthMs: synth.ms,
        mirror: {
          job: firstJob,
          bytes: statSync(mirror.file).size,
          byOrigin: mirror.bytesByOrigin,
        },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

function jobNameOf(bundle: FunctionBundle): string {
  return String(bundle.environment.BGJOBS_JOB_NAME ?? '');
}

/** What Lambda and the stack set, with the queue URLs pointing at a closed local port. */
function lambdaEnv(jobName: string): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_SQS: LOCAL_NOWHERE,
    BGJOBS_JOB_NAME: jobName,
    BGJOBS_QUEUE_URL: `${LOCAL_NOWHERE}/123456789012/bgjobs-${jobName}`,
    BGJOBS_DEAD_LETTER_QUEUE_URL: `${LOCAL_NOWHERE}/123456789012/bgjobs-${jobName}-dlq`,
  };
}

function summarize(
  arms: Arm[],
  rounds: Record<string, InitTime>[],
  extra: {
    synthMs: number;
    mirror: { job: string; bytes: number; byOrigin: Record<string, number> };
  },
): BenchResult {
  const bytes = (file: string) => statSync(file).size;
  const [bare, sdk, ...functions] = arms as [Arm, Arm, ...Arm[]];
  const importMs = (name: string) => median(rounds.map((r) => r[name]?.importMs ?? Number.NaN));
  const initRow = (arm: Arm): ResultRow =>
    resultRow({
      metric: `${arm.name} module init`,
      baseline: { label: BARE, value: importMs(bare.name), unit: 'ms' },
      candidate: { label: arm.name, value: importMs(arm.name), unit: 'ms' },
      ratio: median(
        rounds.map((r) => (r[arm.name]?.importMs ?? 0) / (r[bare.name]?.importMs ?? 1)),
      ),
      target: undefined,
    });
  const rows: ResultRow[] = [];
  for (const fn of functions) {
    rows.push(
      resultRow({
        metric: `${fn.name} index.mjs size`,
        baseline: { label: BARE, value: bytes(bare.file), unit: 'bytes' },
        candidate: { label: fn.name, value: bytes(fn.file), unit: 'bytes' },
        ratio: bytes(fn.file) / bytes(bare.file),
        target: { of: 'candidate', op: '<=', value: SIZE_LIMIT_BYTES },
      }),
      initRow(fn),
    );
  }
  rows.push(initRow(sdk));
  const largest = Object.entries(extra.mirror.byOrigin)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 6)
    .map(([origin, n]) => `${origin} ${(n / 1024).toFixed(1)} KB`)
    .join(', ');
  return {
    rows,
    notes: [
      `Bundles from one \`cdk synth\` (${(extra.synthMs / 1000).toFixed(1)} s); the bare handler bundled with the same esbuild settings. Size is index.mjs alone; the deployed zip also holds index.mjs.map (see details).`,
      `Where the bytes of ${extra.mirror.job}'s bundle come from (rebuilt with the same settings: ${(extra.mirror.bytes / 1024).toFixed(1)} KB): ${largest}.`,
      `Init: ${ROUNDS} rounds of fresh \`node --enable-source-maps\` processes in rotating order, timing \`await import(bundle)\`. @aws-sdk/* is external, as on Lambda, and loads from the repository's node_modules; "${SDK_ONLY}" shows what the SDK client alone costs.`,
    ],
    details: {
      synthMs: extra.synthMs,
      bundles: arms.map((a) => ({
        name: a.name,
        indexBytes: bytes(a.file),
        sourceMapBytes: bytes(`${a.file}.map`),
        medianImportMs: importMs(a.name),
        medianReadyMs: median(rounds.map((r) => r[a.name]?.readyMs ?? Number.NaN)),
      })),
      bytesByOrigin: extra.mirror,
      rounds,
    },
  };
}
