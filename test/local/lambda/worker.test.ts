import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { functionEnvironment } from '../../../core/plan.ts';
import { queueUrlOnEndpoint } from '../../../local/lambda/lambda-environment.ts';
import { startLocalRuntime } from '../../../local/runtime.ts';
import { FIXTURE_JOBS_DIR, ISOLATED, LOCAL_CREDENTIALS } from '../../e2e/harness.ts';
import { probeJob } from '../fixtures/jobs/probe.ts';

type Entry = Record<string, unknown> & { message?: string };

/** What Lambda's Node.js runtime sets, among its documented variables, that a local worker has too. */
const LAMBDA_DEFINED = [
  '_HANDLER',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'LAMBDA_TASK_ROOT',
  'TZ',
  'LANG',
  'PATH',
];

/**
 * The probe job on a runtime in the default, persisted mode, with the jobs'
 * raw JSON log lines; `entry(message, n)` resolves with the n-th log entry
 * carrying that message, when the worker writes it.
 */
async function startProbe() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bgjobs-worker-'));
  const entries: Entry[] = [];
  const waiters: (() => void)[] = [];
  const runtime = await startLocalRuntime({
    jobs: [probeJob],
    jobsDir: FIXTURE_JOBS_DIR,
    ...ISOLATED,
    dataDir,
    jsonLogs: true,
    log: (line) => {
      if (!line.startsWith('{')) return;
      entries.push(JSON.parse(line) as Entry);
      for (const wake of waiters.splice(0)) wake();
    },
  });
  onTestFinished(async () => {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const queueUrl = runtime.queues.get('probe')?.queue.url ?? '';
  const sqs = new SQSClient({
    endpoint: runtime.sqsEndpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  const entry = async (message: string, n = 1): Promise<Entry> => {
    for (;;) {
      const found = entries.filter((e) => e.message === message);
      if (found.length >= n) return found[n - 1] as Entry;
      await new Promise<void>((wake) => waiters.push(wake));
    }
  };
  return {
    runtime,
    entry,
    send: (action: string) =>
      sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ action }) }),
      ),
  };
}

describe('a local worker runs the job as Lambda does', () => {
  it("reports cold_start on its first invocation only, with the stack's function name in the context", async () => {
    const probe = await startProbe();
    // The second message is sent once the first batch is over: it goes to the same, warm worker.
    const firstBatch = new Promise((done) => probe.runtime.events.once('batch', done));
    await probe.send('hello');
    const first = await probe.entry('hello', 1);
    await firstBatch;
    await probe.send('hello');
    const second = await probe.entry('hello', 2);
    expect(first).toMatchObject({
      cold_start: true,
      function_name: 'bgjobs--probe',
      function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:bgjobs--probe',
      function_memory_size: String(probeJob.settings.memoryMB),
    });
    expect(second.cold_start).toBe(false);
  });

  it("has exactly Lambda's variables and the stack's, none of the runtime's own", async () => {
    process.env.BGJOBS_LEAK_CHECK = 'set in the runtime process';
    onTestFinished(() => {
      delete process.env.BGJOBS_LEAK_CHECK;
    });
    const probe = await startProbe();
    await probe.send('environment');
    const { variables } = (await probe.entry('environment')) as {
      variables: Record<string, string>;
    };
    const set = probe.runtime.queues.get('probe');
    const endpoint = probe.runtime.sqsEndpoint;
    expect(variables).toMatchObject(
      functionEnvironment(probe.runtime.plan, probe.runtime.plan.job('probe'), {
        queueUrl: queueUrlOnEndpoint(set?.queue.url ?? '', endpoint),
        deadLetterQueueUrl: queueUrlOnEndpoint(set?.deadLetterQueue.url ?? '', endpoint),
      }),
    );
    expect(variables).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'bgjobs--probe',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_ENDPOINT_URL_SQS: endpoint,
      TZ: ':UTC',
    });
    expect(variables.BGJOBS_LEAK_CHECK).toBeUndefined();
    expect(Object.keys(variables).sort()).toEqual(
      [
        ...Object.keys(
          functionEnvironment(probe.runtime.plan, probe.runtime.plan.job('probe'), {
            queueUrl: '',
            deadLetterQueueUrl: '',
          }),
        ),
        ...LAMBDA_DEFINED,
        'AWS_ENDPOINT_URL_SQS',
        // Set by Powertools itself when the bundle loads (on Lambda too), for the SDK's user agent.
        'AWS_SDK_UA_APP_ID',
      ].sort(),
    );
    expect(variables.LAMBDA_TASK_ROOT).toMatch(
      /\.bgjobs\/bundles\/test\/local\/fixtures\/jobs\/probe$/,
    );
  });

  it("runs the bundle, yet an error's stack names the job's TypeScript file and line", async () => {
    const source = path.join(FIXTURE_JOBS_DIR, 'probe.ts');
    const line =
      readFileSync(source, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('// probe: thrown here')) + 1;
    const probe = await startProbe();
    await probe.send('throw');
    const { error } = (await probe.entry('probe failed')) as {
      error: { name: string; location: string; stack: string };
    };
    expect(error.name).toBe('PermanentError');
    expect(error.location).toBe(`${source}:${line}`);
    expect(error.stack).toContain(`${source}:${line}:`);
    expect(error.stack).not.toContain('index.mjs');
  });
});
