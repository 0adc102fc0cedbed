import { createHash, randomUUID } from 'node:crypto';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { orderBody } from '../lib/payload.ts';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:bgjobs-noop';

/** `count` batches of 10 records shaped as Lambda's event source mapping delivers them. */
export function sqsBatches(count: number): SQSEvent[] {
  return Array.from({ length: count }, (_, b) => ({
    Records: Array.from({ length: 10 }, (_, r) => sqsRecord(b * 10 + r)),
  }));
}

function sqsRecord(n: number): SQSRecord {
  const body = orderBody(n);
  const sent = String(1_760_000_000_000 + n);
  return {
    messageId: randomUUID(),
    // Real receipt handles are opaque strings of a few hundred characters.
    receiptHandle: `AQEB${Buffer.from(randomUUID().repeat(6)).toString('base64')}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: sent,
      SenderId: 'AROAEXAMPLEROLEID:bgjobs-client',
      ApproximateFirstReceiveTimestamp: sent,
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: 'us-east-1',
  };
}

/** A fresh invocation context with Lambda's 30 s default timeout ahead. */
export function lambdaContext(): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'bgjobs-noop',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bgjobs-noop',
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/bgjobs-noop',
    logStreamName: '2025/10/09/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
