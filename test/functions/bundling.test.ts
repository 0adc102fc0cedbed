import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  BUNDLED_JOB_CONSTANT,
  esbuildOptions,
  jobBundleSpecifics,
  jobEsbuildArgs,
  PROJECT_ROOT,
} from '../../functions/bundling.ts';
import { reportJob, statisticsJob } from '../../jobs/index.ts';

/** A job's bundle as the stack builds it, in memory: its text and the files it was made from. */
async function bundleOf(job: typeof statisticsJob | typeof reportJob) {
  const jobFile = path.join(PROJECT_ROOT, 'jobs', `${job.name}.ts`);
  const result = await build({
    ...esbuildOptions({
      outfile: path.join(PROJECT_ROOT, '.bgjobs', 'x.mjs'),
      ...jobBundleSpecifics(jobFile, job),
    }),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const text = result.outputFiles.find((f) => f.path.endsWith('.mjs'))?.text ?? '';
  // Files esbuild read but left out entirely (bytesInOutput 0) are not in the bundle.
  const inputs = Object.values(result.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([input]) => input),
  );
  return { text, inputs };
}

describe("a job's Lambda bundle", () => {
  it('carries none of what defineJob checks at synth: settings schema, schedules, cron parser, event patterns', async () => {
    for (const job of [statisticsJob, reportJob]) {
      const { inputs } = await bundleOf(job);
      expect(inputs).toContain('functions/bundled-definition.ts');
      for (const left of [
        'core/define-job.ts',
        'core/settings.ts',
        'core/job-schedule.ts',
        'core/schedule.ts',
        'core/event-pattern.ts',
        'core/event-pattern-operators.ts',
        'core/plan.ts',
      ]) {
        expect(inputs).not.toContain(left);
      }
      expect(inputs.some((input) => input.includes('aws-cron-parser'))).toBe(false);
    }
  });

  it('has the resolved settings the full definition gave, written in at bundle time', async () => {
    const { text } = await bundleOf(statisticsJob);
    const { define } = jobBundleSpecifics('jobs/statistics.ts', statisticsJob);
    expect(JSON.parse(define[BUNDLED_JOB_CONSTANT] ?? '')).toEqual(
      JSON.parse(JSON.stringify({ name: 'statistics', settings: statisticsJob.settings })),
    );
    expect(text).toContain('name:"statistics",settings:{');
    expect(text).toContain('maxReceiveCount:3');
  });

  it('imports the SQS SDK only when a record needs an SQS call, not at init', async () => {
    const { text } = await bundleOf(reportJob);
    expect(text).not.toMatch(/^import[^;]*from\s*"@aws-sdk\/client-sqs"/m);
    expect(text).toContain('import("@aws-sdk/client-sqs")');
  });

  it('is described to the stack as the same aliases and constant (NodejsFunction esbuildArgs)', () => {
    const args = jobEsbuildArgs('/app/jobs/report.ts', reportJob);
    expect(Object.keys(args)).toEqual([
      '--alias:bgjobs-job-module',
      '--alias:#job-definition',
      `--define:${BUNDLED_JOB_CONSTANT}`,
    ]);
    expect(args['--alias:bgjobs-job-module']).toBe('/app/jobs/report.ts');
    expect(args['--alias:#job-definition']).toBe(
      path.join(PROJECT_ROOT, 'functions', 'bundled-definition.ts'),
    );
  });
});
