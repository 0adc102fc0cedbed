import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { JobDefinition } from '../../core/job.ts';
import type { Clock } from '../../local/clock.ts';
import {
  type LocalRuntime,
  type LocalRuntimeOptions,
  startLocalRuntime,
} from '../../local/runtime.ts';

export const FIXTURE_JOBS_DIR = path.resolve(
  import.meta.dirname,
  '..',
  'local',
  'fixtures',
  'jobs',
);

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Environment for the AWS CLI against the local endpoints. */
export const CLI_ENV = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_DEFAULT_REGION: 'us-east-1',
};

export const run = promisify(execFile);

/** Every endpoint on a free port of 127.0.0.1: runtimes in tests never collide. */
const FREE_PORTS = {
  sqsPort: 0,
  eventsPort: 0,
  lambdaPort: 0,
  dashboardPort: 0,
  schedulerPort: 0,
  shutdownGraceMs: 2000,
} as const;

/**
 * Free ports and nothing on disk (`--in-memory`). The harnesses run the default
 * mode instead, persisted (`startIsolatedRuntime`); use this only where memory is the point.
 */
export const ISOLATED = { ...FREE_PORTS, dataDir: false } as const;

/** A fresh data folder under the system's temporary folder; the caller removes it. */
export function temporaryDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'bgjobs-data-'));
}

/**
 * A local runtime on free ports, persisted as `npm start` is by default (fauxqs's
 * SQLite state): in a fresh temporary data folder that `stop()` removes, unless
 * `dataDir` names one (kept, so a test can restart on it) or is false (in memory).
 */
export async function startIsolatedRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const temporary = options.dataDir === undefined ? temporaryDataDir() : undefined;
  const remove = () => {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  };
  let runtime: LocalRuntime;
  try {
    runtime = await startLocalRuntime({
      ...FREE_PORTS,
      ...options,
      dataDir: temporary ?? options.dataDir,
    });
  } catch (error) {
    remove();
    throw error;
  }
  return {
    ...runtime,
    stop: async () => {
      await runtime.stop();
      remove();
    },
  };
}

/**
 * `npm start` and `bgjobs dev` arguments for free ports, persisted in `dataDir`
 * (the default mode), or `--in-memory` when it is false.
 */
export function isolatedArgs(dataDir: string | false): string[] {
  return [
    ...(dataDir === false ? ['--in-memory'] : ['--data-dir', dataDir]),
    ...[
      '--sqs-port',
      '--events-port',
      '--lambda-port',
      '--dashboard-port',
      '--scheduler-port',
    ].flatMap((flag) => [flag, '0']),
  ];
}

export interface TestRuntime {
  readonly runtime: LocalRuntime;
  readonly sqs: SQSClient;
  readonly lines: string[];
  queueUrl(job: string): string;
  deadLetterQueueUrl(job: string): string;
}

/**
 * A runtime on free ports with the fixture jobs, persisted in a temporary data
 * folder (the default mode; `dataDir` as in `startIsolatedRuntime`); its log lines are collected.
 */
export async function startTestRuntime(
  jobs: readonly JobDefinition[],
  options: { clock?: Clock; dataDir?: string | false } = {},
): Promise<TestRuntime> {
  const lines: string[] = [];
  const runtime = await startIsolatedRuntime({
    jobs,
    jobsDir: FIXTURE_JOBS_DIR,
    dataDir: options.dataDir,
    clock: options.clock,
    log: (line) => lines.push(line),
  });
  const sqs = new SQSClient({
    endpoint: runtime.sqsEndpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  const urls = (job: string) => {
    const set = runtime.queues.get(job);
    if (!set) throw new Error(`no job ${job}`);
    return set;
  };
  return {
    runtime,
    sqs,
    lines,
    queueUrl: (job) => urls(job).queue.url,
    deadLetterQueueUrl: (job) => urls(job).deadLetterQueue.url,
  };
}

/** Polls until the check returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Receives and deletes every message of a queue until it stays empty for one long poll. */
export async function drain(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}
