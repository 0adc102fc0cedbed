/**
 * What `bgjobs run` hands a job's handler: one SQS record as the event source
 * mapping delivers it on a first attempt, and a Lambda context with the job's
 * timeout.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Context, SQSRecord } from 'aws-lambda';
import { arns } from '../core/arns.ts';
import type { JobDefinition, JobPlan } from '../core/index.ts';
import { LOCAL_ENVIRONMENT } from '../core/local-environment.ts';
import { eventBridgeEvent, eventTime, onDemandBody, ruleTargetBody } from '../core/messages.ts';

/** `bgjobs run` sends nothing: it stands in the local account and region, with the stack's names. */
const { region: REGION, account: ACCOUNT } = LOCAL_ENVIRONMENT;

export function queueUrls(job: JobPlan) {
  const url = (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
  return {
    arn: arns.queue(LOCAL_ENVIRONMENT, job.queue.name),
    queueUrl: url(job.queue.name),
    deadLetterQueueUrl: url(job.deadLetterQueue.name),
    functionName: job.function.name,
  };
}

/** The body a real trigger would deliver: the payload, or for a job with a rule the event around it. */
export function messageBody(job: JobDefinition, payload: unknown, now: Date): string {
  const scheduled = job.schedules.length > 0;
  if (!scheduled && !job.events) return onDemandBody(payload);
  const source = scheduled ? 'aws.events' : (firstOf(job.events?.source) ?? 'bgjobs.app');
  const detailType = scheduled
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
    invokedFunctionArn: arns.function(LOCAL_ENVIRONMENT, functionName),
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
