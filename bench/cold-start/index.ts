import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { JobDefinition } from '../../core/job.ts';
import { JOB_BUNDLING, jobBundleSpecifics } from '../../functions/bundling.ts';
import { jobs } from '../../jobs/index.ts';
import { notifyJob } from '../../jobs/notify.ts';
import { bundleLikeTheStack } from '../lib/bundle.ts';
import { cdkSynth, type FunctionBundle, functionBundles } from '../lib/cdk.ts';
import { BENCH_TMP_DIR, PROJECT_ROOT } from '../lib/paths.ts';
import { type Benchmark, type BenchResult, type ResultRow, resultRow } from '../lib/result.ts';
import { median, rotate } from '../lib/stats.ts';
import { type InitTime, initTime } from './init-time.ts';

const ROUNDS = 15;
const KB = 1024;
/** bgjobs' own code in a bundle (core/, functions/ and the settings written in): at most 30 KB. */
const OWN_SHARE_LIMIT_BYTES = 30 * KB;
/** The example job with a small validator: its whole index.mjs at most 60 KB. */
const SMALL_VALIDATOR_LIMIT_BYTES = 60 * KB;
/** Module init of a job function: at most 1.3 x the Powertools peer's. */
const INIT_LIMIT = 1.3;
const LOCAL_NOWHERE = 'http://127.0.0.1:9';
const BARE = 'bare handler';
const SDK_ONLY = 'bare + SQSClient';
const PEER = 'Powertools batch + logger + metrics';
const EXAMPLE = 'notify (valibot example)';

interface Arm {
  readonly name: string;
  readonly file: string;
  readonly env: Record<string, string>;
  /** For a job function: its bytes by origin, from the same bundle rebuilt with a metafile. */
  readonly bytesByOrigin?: Record<string, number>;
}

/**
 * Each job function's bundle from a real `cdk synth` (and the valibot example
 * job, bundled the same way), against a bare handler and a Powertools batch
 * handler with logger and metrics, bundled with the same settings: bytes of
 * `index.mjs`, bgjobs' own share of them, and module init time in fresh
 * processes, alternating.
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
      const bundle = async (name: string, entry: string, job?: JobDefinition) => {
        const file = path.join(dir, name, 'index.mjs');
        const specifics = job
          ? jobBundleSpecifics(path.join(PROJECT_ROOT, 'jobs', `${job.name}.ts`), job)
          : undefined;
        return {
          file,
          bytesByOrigin: await bundleLikeTheStack({ entry, outfile: file, ...specifics }),
        };
      };
      const bare = await bundle('bare', path.join(import.meta.dirname, 'bare-entry.ts'));
      const sdk = await bundle('sdk', path.join(import.meta.dirname, 'sdk-entry.ts'));
      const peer = await bundle('peer', path.join(import.meta.dirname, 'powertools-entry.ts'));
      const example = await bundle('notify', JOB_BUNDLING.entry, notifyJob);
      const jobArms: Arm[] = [];
      for (const fn of functions) {
        // The same bundle again, with a metafile: where its bytes come from, and proof that ours is the stack's.
        const mirror = await bundle(`mirror-${jobNameOf(fn)}`, JOB_BUNDLING.entry, jobOf(fn));
        if (!readFileSync(mirror.file).equals(readFileSync(fn.file))) {
          throw new Error(`${fn.functionName}: the bundle rebuilt here differs from cdk synth's`);
        }
        jobArms.push({
          name: fn.functionName,
          file: fn.file,
          env: lambdaEnv(jobNameOf(fn)),
          bytesByOrigin: mirror.bytesByOrigin,
        });
      }
      const arms: Arm[] = [
        { name: BARE, file: bare.file, env: lambdaEnv('') },
        { name: SDK_ONLY, file: sdk.file, env: lambdaEnv('') },
        { name: PEER, file: peer.file, env: lambdaEnv('') },
        ...jobArms,
        { name: EXAMPLE, ...example, env: lambdaEnv(notifyJob.name) },
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
      return summarize(arms, rounds, synth.ms);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

function jobNameOf(bundle: FunctionBundle): string {
  return String(bundle.environment.BGJOBS_JOB_NAME ?? '');
}

function jobOf(bundle: FunctionBundle): JobDefinition {
  const job = jobs.find((j) => j.name === jobNameOf(bundle));
  if (!job) throw new Error(`${bundle.functionName}: no registered job ${jobNameOf(bundle)}`);
  return job;
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

/** bgjobs' own code: core/, functions/ and the settings constant; the job's own file is the application's. */
function ownShare(bytesByOrigin: Record<string, number>): number {
  return Object.entries(bytesByOrigin)
    .filter(
      ([origin]) => origin === 'core/' || origin === 'functions/' || origin.startsWith('<define:'),
    )
    .reduce((sum, [, bytes]) => sum + bytes, 0);
}

function summarize(arms: Arm[], rounds: Record<string, InitTime>[], synthMs: number): BenchResult {
  const bytes = (file: string) => statSync(file).size;
  const byName = (name: string) => arms.find((a) => a.name === name) as Arm;
  const importMs = (name: string) => median(rounds.map((r) => r[name]?.importMs ?? Number.NaN));
  const initRow = (arm: Arm, against: string, target: number | undefined): ResultRow =>
    resultRow({
      metric: `${arm.name} module init`,
      baseline: { label: against, value: importMs(against), unit: 'ms' },
      candidate: { label: arm.name, value: importMs(arm.name), unit: 'ms' },
      ratio: median(
        rounds.map((r) => (r[arm.name]?.importMs ?? 0) / (r[against]?.importMs ?? Number.NaN)),
      ),
      target: target === undefined ? undefined : { of: 'ratio', op: '<=', value: target },
    });
  const bare = byName(BARE);
  const peer = byName(PEER);
  const rows: ResultRow[] = [];
  const notes: string[] = [];
  for (const arm of arms.filter((a) => a.bytesByOrigin)) {
    const origins = arm.bytesByOrigin ?? {};
    const own = ownShare(origins);
    const example = arm.name === EXAMPLE;
    rows.push(
      resultRow({
        metric: `${arm.name} index.mjs size`,
        baseline: { label: PEER, value: bytes(peer.file), unit: 'bytes' },
        candidate: { label: arm.name, value: bytes(arm.file), unit: 'bytes' },
        ratio: bytes(arm.file) / bytes(peer.file),
        target: example
          ? { of: 'candidate', op: '<=', value: SMALL_VALIDATOR_LIMIT_BYTES }
          : undefined,
      }),
      resultRow({
        metric: `${arm.name} bgjobs' own share`,
        baseline: { label: 'whole index.mjs', value: bytes(arm.file), unit: 'bytes' },
        candidate: { label: 'core/ + functions/', value: own, unit: 'bytes' },
        ratio: own / bytes(arm.file),
        target: { of: 'candidate', op: '<=', value: OWN_SHARE_LIMIT_BYTES },
      }),
      initRow(arm, PEER, INIT_LIMIT),
    );
    const largest = Object.entries(origins)
      .sort(([, a], [, b]) => b - a)
      .slice(0, 6)
      .map(([origin, n]) => `${origin} ${(n / KB).toFixed(1)} KB`)
      .join(', ');
    notes.push(`Where the bytes of ${arm.name} come from: ${largest}.`);
  }
  rows.push(initRow(peer, BARE, undefined), initRow(byName(SDK_ONLY), BARE, undefined));
  return {
    rows,
    notes: [
      `Bundles from one \`cdk synth\` (${(synthMs / 1000).toFixed(1)} s), each rebuilt here with a metafile and checked to be the same bytes; the valibot example (jobs/notify.ts, not registered) and the peers bundled with the same esbuild settings. Size is index.mjs alone; the deployed zip also holds index.mjs.map (see details).`,
      ...notes,
      `Init: ${ROUNDS} rounds of fresh \`node --enable-source-maps\` processes in rotating order, timing \`await import(bundle)\`. @aws-sdk/* is external, as on Lambda, and loads from the repository's node_modules; "${SDK_ONLY}" shows what the SDK client alone costs (job functions load it on the first failure that needs it). The peer is Powertools' batch processor with its logger, metrics and middy middlewares, validating the same zod order schema as the benchmarks' noop job.`,
    ],
    details: {
      synthMs,
      bareBytes: bytes(bare.file),
      bundles: arms.map((a) => ({
        name: a.name,
        indexBytes: bytes(a.file),
        sourceMapBytes: bytes(`${a.file}.map`),
        ownShareBytes: a.bytesByOrigin ? ownShare(a.bytesByOrigin) : undefined,
        bytesByOrigin: a.bytesByOrigin,
        medianImportMs: importMs(a.name),
        medianReadyMs: median(rounds.map((r) => r[a.name]?.readyMs ?? Number.NaN)),
      })),
      rounds,
    },
  };
}
