/**
 * A worker thread is one warm Lambda execution environment for one job: it
 * loads the job's module once, builds the very handler Lambda runs, keeps
 * module state between invocations, and runs one invocation at a time.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { RecordOutcome } from '../../core/outcomes.ts';
import { createHandler } from '../../functions/create-handler.ts';
import { findJob } from '../../functions/find-job.ts';
import { receiveCount } from '../../functions/run-record.ts';
import type { FromWorker, ToWorker, WorkerConfig } from './worker-protocol.ts';

const config = workerData as WorkerConfig;
const port = parentPort;
if (!port) throw new Error('local/worker.ts runs only as a worker thread');
const post = (message: FromWorker) => port.postMessage(message);

const handlerPromise = (async () => {
  const job = findJob(await import(pathToFileURL(config.jobFile).href), config.jobName);
  return createHandler(job, {
    queueUrl: config.queueUrl,
    deadLetterQueueUrl: config.deadLetterQueueUrl,
    sqs: new SQSClient({
      endpoint: config.sqsEndpoint,
      region: config.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    logOutcomes: false,
    onOutcome: (record: SQSRecord, outcome: RecordOutcome) =>
      post({
        type: 'outcome',
        messageId: record.messageId,
        attempt: receiveCount(record),
        outcome,
      }),
  });
})();

port.on('message', async (message: ToWorker) => {
  try {
    const handler = await handlerPromise;
    post({ type: 'started', invocationId: message.invocationId });
    const deadline = Date.now() + message.timeoutMs;
    const response = await handler(message.event as SQSEvent, lambdaContext(deadline));
    post({ type: 'returned', invocationId: message.invocationId, response });
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    post({ type: 'threw', invocationId: message.invocationId, error: text });
  }
});

function lambdaContext(deadline: number): Context {
  const functionName = `local-${config.jobName}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${config.region}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(config.memoryMB),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
