/**
 * What `bgjobs run` hands a job's handler: one SQS record as the event source
 * mapping delivers it on a first attempt, and a Lambda context with the job's
 * timeout.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Context, SQSRecord } from 'aws-lambda';
import { type JobDefinition, jobResourceNames } from '../core/index.ts';
import { eventBridgeEvent, eventTime, onDemandBody, ruleTargetBody } from '../core/messages.ts';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

export function queueUrls(stackName: string, job: JobDefinition) {
  const names = jobResourceNames(stackName, job.name, job.settings.fifo !== undefined);
  const url = (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
  return {
    arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${names.queueName}`,
    queueUrl: url(names.queueName),
    deadLetterQueueUrl: url(names.deadLetterQueueName),
    functionName: names.functionName,
  };
}

/** The body a real trigger would deliver: the payload, or for a job with a rule the event around it. */
export function messageBody(job: JobDefinition, payload: unknown, now: Date): string {
  if (!job.schedule && !job.events) return onDemandBody(payload);
  const source = job.schedule ? 'aws.events' : (firstOf(job.events?.source) ?? 'bgjobs.app');
  const detailType = job.schedule
    ? 'Scheduled Event'
    : (firstOf(job.events?.['detail-type']) ?? 'bgjobs run');
  return ruleTargetBody(
    eventBridgeEvent({
      id: randomUUID(),
      'detail-type': detailType,
      source,
      account: ACCOUNT,
      time: eventTime(now),
      region: REGION,
      resources: [],
      detail: payload,
    }),
  );
}

export function sqsRecord(job: JobDefinition, body: string, arn: string, now: Date): SQSRecord {
  const messageId = randomUUID();
  const fifo = job.settings.fifo;
  return {
    messageId,
    receiptHandle: `AQEB${createHash('sha256').update(messageId).digest('base64')}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(now.getTime()),
      SenderId: 'bgjobs-run',
      ApproximateFirstReceiveTimestamp: String(now.getTime()),
      ...(fifo
        ? {
            MessageGroupId: fifo.defaultGroupId,
            MessageDeduplicationId: createHash('sha256').update(body).digest('hex'),
            SequenceNumber: '1',
          }
        : {}),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: REGION,
  };
}

export function lambdaContext(functionName: string, job: JobDefinition): Context {
  const deadline = Date.now() + job.settings.timeoutSeconds * 1000;
  const unsupported = () => {
    throw new Error('the callback-style Lambda API is not used by bgjobs');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: String(job.settings.memoryMB),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bgjobs-run',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

function firstOf(values: unknown): string | undefined {
  return Array.isArray(values) ? values.find((v): v is string => typeof v === 'string') : undefined;
}
