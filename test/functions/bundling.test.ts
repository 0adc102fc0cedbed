import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  BUNDLED_JOB_CONSTANT,
  esbuildOptions,
  jobBundleSpecifics,
  jobEsbuildArgs,
  PROJECT_ROOT,
  WITHOUT_IDEMPOTENCY_CONSTANT,
} from '../../functions/bundling.ts';
import { reportJob, statisticsJob } from '../../jobs/index.ts';
import { notifyJob } from '../../jobs/notify.ts';
import { onceJob } from '../local/fixtures/jobs/once.ts';
import { lambdaContext, sqsRecord } from './sqs-event.ts';

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
    expect(text).toContain('maxReceiveCount:5');
  });

  it("has an idempotent job's resolved TTL and its own key function, without the settings schema", async () => {
    const jobFile = path.join(PROJECT_ROOT, 'test', 'local', 'fixtures', 'jobs', 'once.ts');
    const { define } = jobBundleSpecifics(jobFile, onceJob);
    expect(JSON.parse(define[BUNDLED_JOB_CONSTANT] ?? '')).toMatchObject({
      name: 'once',
      idempotency: { ttlSeconds: 18 },
    });
    const result = await build({
      ...esbuildOptions({
        outfile: path.join(PROJECT_ROOT, '.bgjobs', 'x.mjs'),
        ...jobBundleSpecifics(jobFile, onceJob),
      }),
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.values(result.metafile.outputs).flatMap((output) =>
      Object.entries(output.inputs)
        .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
        .map(([input]) => input),
    );
    expect(inputs).toContain('core/idempotency-key.ts');
    expect(inputs).not.toContain('core/idempotency.ts');
    const text = result.outputFiles.find((f) => f.path.endsWith('.mjs'))?.text ?? '';
    // Powertools and the DynamoDB client load with the first record, not at init.
    expect(text).not.toMatch(/^import[^;]*from\s*"@aws-sdk\/client-dynamodb"/m);
    expect(inputs).toContain('functions/idempotency.ts');
    expect(inputs.some((input) => input.includes('@aws-lambda-powertools/idempotency'))).toBe(true);
  });

  it('leaves idempotency out of the bundle of a job without it: no Powertools idempotency, no JMESPath, no store', async () => {
    for (const job of [statisticsJob, reportJob]) {
      const { inputs, text } = await bundleOf(job);
      expect(inputs).not.toContain('functions/idempotency.ts');
      expect(inputs).not.toContain('functions/idempotency-store.ts');
      expect(inputs.some((input) => /powertools\/(idempotency|jmespath)/.test(input))).toBe(false);
      expect(text).not.toContain('import("@aws-sdk/client-dynamodb")');
    }
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
      `--define:${WITHOUT_IDEMPOTENCY_CONSTANT}`,
    ]);
    expect(args[`--define:${WITHOUT_IDEMPOTENCY_CONSTANT}`]).toBe('true');
    expect(args['--alias:bgjobs-job-module']).toBe('/app/jobs/report.ts');
    expect(args['--alias:#job-definition']).toBe(
      path.join(PROJECT_ROOT, 'functions', 'bundled-definition.ts'),
    );
  });
});

describe('the valibot example job (jobs/notify.ts), bundled', () => {
  it('runs a batch side by side from its bundle, without zod', async () => {
    // Arrange
    const dir = mkdtempSync(path.join(PROJECT_ROOT, '.bgjobs', 'notify-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const jobFile = path.join(PROJECT_ROOT, 'jobs', 'notify.ts');
    const outfile = path.join(dir, 'index.mjs');
    const result = await build({
      ...esbuildOptions({ outfile, ...jobBundleSpecifics(jobFile, notifyJob) }),
      metafile: true,
      logLevel: 'silent',
    });
    const packages = Object.keys(result.metafile.inputs).filter((i) =>
      i.includes('node_modules/zod/'),
    );
    vi.stubEnv('BGJOBS_JOB_NAME', 'notify');
    vi.stubEnv('BGJOBS_QUEUE_URL', 'http://127.0.0.1:9/000000000000/notify');
    vi.stubEnv('BGJOBS_DEAD_LETTER_QUEUE_URL', 'http://127.0.0.1:9/000000000000/notify-dlq');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    const { handler } = (await import(pathToFileURL(outfile).href)) as {
      handler: (event: unknown, context: unknown) => Promise<{ batchItemFailures: unknown[] }>;
    };
    const records = Array.from({ length: 10 }, (_, i) =>
      sqsRecord({
        queueArn: 'arn:aws:sqs:eu-west-1:000000000000:notify',
        body: JSON.stringify({ userId: `u-${i}`, text: 'hi' }),
      }),
    );

    // Act
    const started = performance.now();
    const response = await handler(
      { Records: records },
      lambdaContext({ functionName: 'notify', remainingMs: 20_000 }),
    );
    const elapsedMs = performance.now() - started;

    // Assert: one after another, ten 50 ms sends take 500 ms at least; side by side, one send's
    // 50 ms at least (49: Node's timers may fire up to 1 ms early against performance.now()).
    expect(response).toEqual({ batchItemFailures: [] });
    expect(elapsedMs).toBeLessThan(500);
    expect(elapsedMs).toBeGreaterThanOrEqual(49);
    expect(packages).toEqual([]);
  });
});
