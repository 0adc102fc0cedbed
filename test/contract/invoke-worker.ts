/**
 * One execution environment for the contract test: `Math.random` seeded (so
 * backoff jitter and the jobs' samples match between two runs), the outcome
 * observer installed, then the handler module imported, as the local worker does.
 * After each invocation it writes an end mark to stdout and stderr, so the
 * parent knows which log lines belong to it.
 */
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { RecordOutcome } from '../../core/outcomes.ts';
import { installOutcomeObserver } from '../../functions/outcome-observer.ts';
import { END_MARK, type Invocation } from './protocol.ts';

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const { moduleFile, seed } = workerData as { moduleFile: string; seed: number };
const port = parentPort;
if (!port) throw new Error('invoke-worker.ts runs only as a worker thread');

Math.random = mulberry32(seed);
let outcomes: RecordOutcome[] = [];
installOutcomeObserver((_record, outcome) => outcomes.push(outcome));
const { handler } = (await import(pathToFileURL(moduleFile).href)) as { handler: Handler };

port.on('message', async (invocation: Invocation) => {
  outcomes = [];
  const deadline = Date.now() + invocation.remainingMs;
  const response = await handler(invocation.event, context(invocation.requestId, deadline));
  await write(process.stdout, `${END_MARK}\n`);
  await write(process.stderr, `${END_MARK}\n`);
  port.postMessage({ response, outcomes });
});

function context(requestId: string, deadline: number): Context {
  const env = process.env;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? '',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${env.AWS_LAMBDA_FUNCTION_NAME}`,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '',
    awsRequestId: requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

/** A small seeded generator: the same sequence in every run. */
function mulberry32(start: number): () => number {
  let a = start >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
