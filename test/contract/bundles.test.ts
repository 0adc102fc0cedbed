/**
 * The contract between what ships and what the tests exercise: `cdk synth`
 * once, then every function's `index.mjs` from that cloud assembly runs the
 * same records as the TypeScript source (functions/job-entry.ts unbundled),
 * against the embedded SQS, in the same Lambda environment. Outcomes, the
 * batch response, the dead letters and every log line must be the same, up to
 * message ids, times and durations.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_LETTER_ATTRIBUTES } from '../../core/dead-letter-attributes.ts';
import { stopMarginMs } from '../../core/deadline.ts';
import { HANDLER_ENV } from '../../core/handler-env.ts';
import type { JobDefinition } from '../../core/job.ts';
import { eventBridgeEvent, ruleTargetBody } from '../../core/messages.ts';
import { planApp } from '../../core/plan.ts';
import { PROJECT_ROOT } from '../../functions/bundling.ts';
import { jobs } from '../../jobs/index.ts';
import { bundleDir, jobBundle } from '../../local/lambda/job-bundle.ts';
import { lambdaEnvironment, queueUrlOnEndpoint } from '../../local/lambda/lambda-environment.ts';
import { toLambdaRecord } from '../../local/lambda/sqs-record.ts';
import { ensureJobQueues, type LocalQueue } from '../../local/sqs/queues.ts';
import { type SqsServer, startSqsServer } from '../../local/sqs/server.ts';
import { cdkSynth, type SynthesizedFunction, synthesizedFunctions } from './cloud-assembly.ts';
import { ExecutionEnvironment, type InvocationResult } from './execution-environment.ts';
import { normalise, parseLines } from './normalise.ts';

const SOURCE_ENTRY = path.join(import.meta.dirname, 'source-entry.ts');
const ID = DEAD_LETTER_ATTRIBUTES.messageId;

interface Batch {
  readonly bodies: readonly string[];
  /** What the context says is left of the function's time. */
  readonly remainingMs: number;
}

const event = (detail: unknown, source = 'bgjobs.example', detailType = 'ReportRequested') =>
  ruleTargetBody(
    eventBridgeEvent({
      id: 'e7d3a6a4-0000-4000-8000-000000000001',
      'detail-type': detailType,
      source,
      account: '000000000000',
      time: '2026-12-01T12:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail,
    }),
  );

/** Per job: records that succeed, fail transiently or permanently, are not JSON, fail the schema, time out. */
const BATCHES: Record<string, (job: JobDefinition) => Batch[]> = {
  process: (job) => [
    {
      bodies: [
        '{"samples":10}',
        '{"samples":10,"fail":"transient"}',
        '{"fail":"permanent"}',
        '{not json',
        '{"samples":"many"}',
      ],
      remainingMs: job.settings.timeoutSeconds * 1000,
    },
    {
      // Past the stop margin while the first record waits: it times out, the second never starts.
      bodies: ['{"samples":10,"waitMs":5000}', '{"samples":10}'],
      remainingMs: stopMarginMs(job.settings.timeoutSeconds) + 700,
    },
  ],
  statistics: (job) => [
    {
      bodies: [
        event({ samples: 10 }, 'aws.events', 'Scheduled Event'),
        '{not json',
        event({ samples: -1 }, 'aws.events', 'Scheduled Event'),
      ],
      remainingMs: job.settings.timeoutSeconds * 1000,
    },
  ],
  report: (job) => [
    {
      bodies: [
        event({ reportId: 'r-1', period: 'day' }),
        '{not json',
        event({ reportId: '', period: 'year' }),
      ],
      remainingMs: job.settings.timeoutSeconds * 1000,
    },
  ],
};

let outdir: string;
let functions: SynthesizedFunction[];
let server: SqsServer;
let sqs: SQSClient;

beforeAll(async () => {
  mkdirSync(path.join(PROJECT_ROOT, '.bgjobs'), { recursive: true });
  // Below the project root: the bundles' externals (@aws-sdk/*) resolve from its node_modules.
  outdir = mkdtempSync(path.join(PROJECT_ROOT, '.bgjobs', 'contract-'));
  await cdkSynth(outdir);
  functions = synthesizedFunctions(outdir);
  server = await startSqsServer({ port: 0, dataDir: undefined });
  sqs = new SQSClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}, 120_000);
afterAll(async () => {
  sqs?.destroy();
  await server?.stop();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const jobOf = (fn: SynthesizedFunction): JobDefinition => {
  const job = jobs.find((j) => j.name === fn.variables[HANDLER_ENV.jobName]);
  if (!job) throw new Error(`${fn.functionName}: no registered job for its ${HANDLER_ENV.jobName}`);
  return job;
};
const functionOf = (jobName: string): SynthesizedFunction => {
  const fn = functions.find((f) => f.variables[HANDLER_ENV.jobName] === jobName);
  if (!fn) throw new Error(`cdk synth made no function for job ${jobName}`);
  return fn;
};

describe('the bundles cdk synth writes', () => {
  it('are one per registered job, and this test has records for each', () => {
    const names = jobs.map((j) => j.name).sort();
    expect(functions.map((fn) => jobOf(fn).name).sort()).toEqual(names);
    // A new job needs its records in BATCHES: every bundle is run.
    expect(Object.keys(BATCHES).sort()).toEqual(names);
  });

  it('are byte for byte the bundles the local runtime builds and its workers run', async () => {
    for (const fn of functions) {
      const jobFile = path.join(PROJECT_ROOT, 'jobs', `${jobOf(fn).name}.ts`);
      const local = await jobBundle({ job: jobOf(fn), jobFile, dir: bundleDir(jobFile) });
      expect(readFileSync(local.file).equals(readFileSync(fn.bundleFile))).toBe(true);
    }
  });

  for (const jobName of Object.keys(BATCHES)) {
    it(`${jobName}: give the outcomes, batch response, dead letters and log lines the source gives`, async () => {
      const fn = functionOf(jobName);
      const job = jobOf(fn);
      const batches = (BATCHES[jobName] as (job: JobDefinition) => Batch[])(job);
      // Each on queues and in a worker of its own, so the two run side by side.
      const [bundled, source] = await Promise.all([
        runAll('bundle', fn.bundleFile, fn, job, batches),
        runAll('source', SOURCE_ENTRY, fn, job, batches),
      ]);
      expect(bundled).toEqual(source);
      expectClassNames(jobName, bundled);
    });
  }
});

type Run = ReturnType<typeof comparable>;

/** What the bundle gives, checked on its own: the error classes keep their names. */
function expectClassNames(jobName: string, runs: Run[]): void {
  const first = runs[0] as Run;
  const errorNames = first.outcomes.flatMap((o) => ('errorName' in o ? [o.errorName] : []));
  const deadLetterErrors = first.deadLetters.map((d) => d[DEAD_LETTER_ATTRIBUTES.error]);
  const logged = [...first.stdout, ...first.stderr] as Record<string, unknown>[];
  expect(logged.find((line) => typeof line === 'object')).toMatchObject({ cold_start: true });
  expect(logged).toContainEqual(
    expect.objectContaining({
      message: 'record sent to the dead-letter queue',
      errorName: 'MalformedMessageError',
    }),
  );
  if (jobName === 'process') {
    expect(first.outcomes.map((o) => o.status)).toEqual([
      'succeeded',
      'retry',
      'dead-lettered',
      'dead-lettered',
      'dead-lettered',
    ]);
    expect(first.response).toEqual({ batchItemFailures: [{ itemIdentifier: '#1' }] });
    expect(errorNames).toEqual([
      'PermanentError',
      'MalformedMessageError',
      'PayloadValidationError',
    ]);
    expect(deadLetterErrors).toEqual(errorNames);
    const timedOut = runs[1] as Run;
    expect(timedOut.outcomes).toMatchObject([
      { status: 'retry', reason: expect.stringMatching(/^JobTimeoutError: /) },
      { status: 'not-started', reason: 'near-timeout' },
    ]);
    expect(timedOut.response.batchItemFailures).toHaveLength(2);
  } else {
    expect(first.outcomes.map((o) => o.status)).toEqual([
      'succeeded',
      'dead-lettered',
      'dead-lettered',
    ]);
    expect(errorNames).toEqual(['MalformedMessageError', 'PayloadValidationError']);
    expect(deadLetterErrors).toEqual(errorNames);
  }
}

/**
 * Runs the batches, in order, in one execution environment that imports
 * `moduleFile`, on queues of its own (stack name `contract-<arm>`).
 */
async function runAll(
  arm: string,
  moduleFile: string,
  fn: SynthesizedFunction,
  job: JobDefinition,
  batches: readonly Batch[],
): Promise<Run[]> {
  const queues = await ensureJobQueues(
    sqs,
    planApp([job], { stackName: `contract-${arm}` }).job(job.name),
  );
  const urls: Record<string, string> = {
    [HANDLER_ENV.queueUrl]: queueUrlOnEndpoint(queues.queue.url, server.endpoint),
    [HANDLER_ENV.deadLetterQueueUrl]: queueUrlOnEndpoint(
      queues.deadLetterQueue.url,
      server.endpoint,
    ),
  };
  // The template's variables, its queue references resolved to the local queues.
  const variables = Object.fromEntries(
    Object.entries(fn.variables).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : (urls[name] ?? JSON.stringify(value)),
    ]),
  );
  const environment = new ExecutionEnvironment(
    moduleFile,
    lambdaEnvironment(
      {
        functionName: fn.functionName,
        memoryMB: fn.memoryMB,
        region: 'us-east-1',
        codeDir: path.dirname(fn.bundleFile),
        variables,
        sqsEndpoint: server.endpoint,
      },
      '2026/12/01/[$LATEST]00000000000000000000000000000000',
    ),
  );
  const runs: Run[] = [];
  try {
    for (const [n, batch] of batches.entries()) {
      const { records, ids } = await sendAndReceive(queues.queue, batch.bodies);
      const result = await environment.invoke({
        event: { Records: records },
        requestId: `contract-${job.name}-${n}`,
        remainingMs: batch.remainingMs,
      });
      const dead = result.outcomes.filter((o) => o.status === 'dead-lettered').length;
      const deadLetters = await receiveAll(queues.deadLetterQueue, dead);
      runs.push(comparable(result, deadLetters, ids));
    }
  } finally {
    await environment.close();
  }
  return runs;
}

function comparable(result: InvocationResult, deadLetters: Message[], ids: Map<string, string>) {
  const attributes = deadLetters
    .map((message) =>
      Object.fromEntries(
        Object.entries(message.MessageAttributes ?? {}).map(([name, v]) => [name, v.StringValue]),
      ),
    )
    .sort((a, b) =>
      (ids.get(a[ID] ?? '') ?? '').localeCompare(ids.get(b[ID] ?? '') ?? ''),
    ) as Record<string, string | undefined>[];
  const byMessageId = ids;
  return {
    response: normalise(result.response, { byMessageId }),
    outcomes: normalise(result.outcomes, { byMessageId }),
    deadLetters: normalise(attributes, { byMessageId }),
    stdout: normalise(parseLines(result.stdout), { byMessageId }),
    stderr: normalise(parseLines(result.stderr), { byMessageId }),
  };
}

/** Sends the bodies and receives them back as the event source mapping would deliver them, in order. */
async function sendAndReceive(
  queue: LocalQueue,
  bodies: readonly string[],
): Promise<{ records: SQSRecord[]; ids: Map<string, string> }> {
  const sent = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queue.url,
      Entries: bodies.map((body, n) => ({ Id: String(n), MessageBody: body })),
    }),
  );
  const ids = new Map(
    (sent.Successful ?? []).map((entry) => [entry.MessageId ?? '', `#${entry.Id}`]),
  );
  const messages = await receiveAll(queue, bodies.length);
  const records = messages
    .map((message) => toLambdaRecord(message, queue.arn))
    .sort((a, b) => (ids.get(a.messageId) ?? '').localeCompare(ids.get(b.messageId) ?? ''));
  return { records, ids };
}

async function receiveAll(queue: LocalQueue, count: number): Promise<Message[]> {
  const all: Message[] = [];
  while (all.length < count) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 5,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0)
      throw new Error(`${queue.name}: ${all.length} of ${count} messages arrived`);
    all.push(...Messages);
  }
  return all;
}
