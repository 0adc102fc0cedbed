/**
 * A worker thread is one warm Lambda execution environment for one job: its
 * `process.env` is the function's environment, it imports the job's bundle
 * (the very file `cdk deploy` ships) once, keeps module state between
 * invocations, and runs one invocation at a time. Node reads the
 * `NODE_OPTIONS=--enable-source-maps` the stack sets from the worker's
 * environment, so stack traces point at the TypeScript, as on Lambda.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { installOutcomeObserver } from '../../functions/outcome-observer.ts';
import { receiveCount } from '../../functions/run-record.ts';
import type { FromWorker, OutcomeReport, ToWorker, WorkerConfig } from './worker-protocol.ts';

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const config = workerData as WorkerConfig;
const port = parentPort;
if (!port) throw new Error('local/lambda/worker.ts runs only as a worker thread');
const post = (message: FromWorker) => port.postMessage(message);

// Outcomes go to the runtime in one message per turn of the event loop (a batch's records
// mostly end in the same turn), and always before the invocation's own answer.
let outcomes: OutcomeReport[] = [];
const flushOutcomes = () => {
  if (outcomes.length === 0) return;
  post({ type: 'outcomes', outcomes });
  outcomes = [];
};
// Before the import: the bundle's createHandler picks the observer up when it is built.
installOutcomeObserver((record, outcome) => {
  if (outcomes.length === 0) setImmediate(flushOutcomes);
  outcomes.push({ messageId: record.messageId, attempt: receiveCount(record), outcome });
});
const handlerPromise = import(pathToFileURL(config.bundleFile).href).then(
  (bundle: { handler?: unknown }) => {
    if (typeof bundle.handler !== 'function') {
      throw new Error(`${config.bundleFile} exports no handler function`);
    }
    return bundle.handler as Handler;
  },
);

// Only the first invocation waits for the job to load: the pool starts the others' timeouts itself.
let loaded = false;
port.on('message', async (message: ToWorker) => {
  try {
    const handler = await handlerPromise;
    if (!loaded) post({ type: 'started', invocationId: message.invocationId });
    loaded = true;
    const deadline = Date.now() + message.timeoutMs;
    const response = await handler(message.event as SQSEvent, lambdaContext(deadline));
    flushOutcomes();
    post({ type: 'returned', invocationId: message.invocationId, response });
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    flushOutcomes();
    post({ type: 'threw', invocationId: message.invocationId, error: text });
  }
});

/** The context Lambda's Node.js runtime builds, from the same environment variables. */
function lambdaContext(deadline: number): Context {
  const env = process.env;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? '',
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
    invokedFunctionArn: config.functionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '',
    awsRequestId: randomUUID(),
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
