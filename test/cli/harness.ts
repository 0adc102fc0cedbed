import { spawn } from 'node:child_process';
import path from 'node:path';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { RecordOutcome } from '../../core/index.ts';
import { jobs } from '../../jobs/index.ts';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.ts';
import { ISOLATED, LOCAL_CREDENTIALS } from '../e2e/harness.ts';

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
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface CliRuntime {
  readonly runtime: LocalRuntime;
  /** What the runtime reported for each record it ran, in order. */
  readonly outcomes: { job: string; messageId: string; outcome: RecordOutcome }[];
  /** `bgjobs` pointed at this runtime through the standard AWS environment variables. */
  bgjobs(args: readonly string[], input?: string): Promise<CliResult>;
  /** Messages in a job's queue or dead-letter queue: visible, in flight and delayed. */
  count(job: string, which?: 'queue' | 'deadLetterQueue'): Promise<number>;
}

/** The registry's jobs on a local runtime on free ports, in memory, quiet. */
export async function startCliRuntime(): Promise<CliRuntime> {
  const runtime = await startLocalRuntime({
    jobs,
    ...ISOLATED,
    log: () => {},
  });
  const outcomes: CliRuntime['outcomes'] = [];
  runtime.events.on('outcome', ({ job, messageId, outcome }) =>
    outcomes.push({ job, messageId, outcome }),
  );
  const sqs = new SQSClient({
    endpoint: runtime.sqsEndpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  const env = {
    AWS_ENDPOINT_URL_SQS: runtime.sqsEndpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: runtime.eventsEndpoint,
    AWS_ENDPOINT_URL_LAMBDA: runtime.lambdaEndpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
  };
  return {
    runtime,
    outcomes,
    bgjobs: (args, input) => bgjobs(args, { env, input }),
    count: async (job, which = 'queue') => {
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
      return (
        Number(Attributes.ApproximateNumberOfMessages) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible) +
        Number(Attributes.ApproximateNumberOfMessagesDelayed)
      );
    },
  };
}

/** The test machine's own AWS settings must not leak into the CLI under test. */
function withoutAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('AWS_')));
}
