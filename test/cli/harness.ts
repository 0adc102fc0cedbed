import { spawn } from 'node:child_process';
import path from 'node:path';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { RecordOutcome } from '../../core/index.ts';
import { jobs } from '../../jobs/index.ts';
import type { LocalRuntime } from '../../local/runtime.ts';
import { LOCAL_CREDENTIALS, startIsolatedRuntime } from '../e2e/harness.ts';

const BIN = path.resolve(import.meta.dirname, '..', '..', 'cli', 'bgjobs.mjs');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `bgjobs` as a user would: a separate process, its environment, optional stdin. */
export function bgjobs(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<CliResult> {
  return startBgjobs(args, options).exited;
}

/** A running `bgjobs`: its output so far, a way to press Ctrl-C, and its end. */
export interface LiveCli {
  stdout(): string;
  stderr(): string;
  interrupt(): void;
  readonly exited: Promise<CliResult>;
}

/** Starts `bgjobs` as a separate process and returns at once, for commands that run on (--watch, flood). */
export function startBgjobs(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): LiveCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...withoutAws(process.env), ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(options.input ?? '');
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    interrupt: () => child.kill('SIGINT'),
    exited,
  };
}

export interface CliRuntime {
  readonly runtime: LocalRuntime;
  /** What the runtime reported for each record it ran, in order. */
  readonly outcomes: { job: string; messageId: string; outcome: RecordOutcome }[];
  /** `bgjobs` pointed at this runtime through the standard AWS environment variables. */
  bgjobs(args: readonly string[], input?: string): Promise<CliResult>;
  /** The same, returning while it runs. */
  startBgjobs(args: readonly string[]): LiveCli;
  /** Messages in a job's queue or dead-letter queue: visible, in flight and delayed. */
  count(job: string, which?: 'queue' | 'deadLetterQueue'): Promise<number>;
  /** The same, by state. */
  counts(
    job: string,
    which?: 'queue' | 'deadLetterQueue',
  ): Promise<{ visible: number; inFlight: number; delayed: number }>;
  /** Sends bodies straight to a job's queue, as another sender would. */
  send(job: string, bodies: readonly string[]): Promise<void>;
}

/**
 * The registry's jobs on a local runtime on free ports, quiet, persisted as
 * `npm start` is by default: in a temporary data folder that `stop()` removes,
 * unless `dataDir` names one (kept across restarts) or is false (in memory).
 */
export async function startCliRuntime(
  options: { dataDir?: string | false } = {},
): Promise<CliRuntime> {
  const runtime = await startIsolatedRuntime({ jobs, dataDir: options.dataDir, log: () => {} });
  const outcomes: CliRuntime['outcomes'] = [];
  runtime.events.on('outcome', ({ job, messageId, outcome }) =>
    outcomes.push({ job, messageId, outcome }),
  );
  const sqs = new SQSClient({
    endpoint: runtime.sqsEndpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  const counts: CliRuntime['counts'] = async (job, which = 'queue') => {
    const url = runtime.queues.get(job)?.[which].url;
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    return {
      visible: Number(Attributes.ApproximateNumberOfMessages),
      inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
      delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed),
    };
  };
  const env = {
    AWS_ENDPOINT_URL_SQS: runtime.sqsEndpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: runtime.eventsEndpoint,
    AWS_ENDPOINT_URL_LAMBDA: runtime.lambdaEndpoint,
    AWS_ENDPOINT_URL_SCHEDULER: runtime.schedulerEndpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
  };
  return {
    runtime,
    outcomes,
    bgjobs: (args, input) => bgjobs(args, { env, input }),
    startBgjobs: (args) => startBgjobs(args, { env }),
    count: async (job, which = 'queue') => {
      const { visible, inFlight, delayed } = await counts(job, which);
      return visible + inFlight + delayed;
    },
    counts,
    send: async (job, bodies) => {
      const url = runtime.queues.get(job)?.queue.url;
      await Promise.all(
        bodies.map((body) =>
          sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body })),
        ),
      );
    },
  };
}

/** The test machine's own AWS settings must not leak into the CLI under test. */
function withoutAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('AWS_')));
}
