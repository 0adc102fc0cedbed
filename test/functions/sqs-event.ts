/**
 * Builders for what Lambda hands a job's function: SQS records with every field
 * the event source mapping fills in, and a Lambda context whose remaining time
 * a test can use up.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Context, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';

/** The queue and dead-letter queue of a job, named as the stack names them. */
export function queueOf(jobName: string, fifo = false) {
  const suffix = fifo ? '.fifo' : '';
  const url = (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
  const name = `bgjobs-${jobName}${suffix}`;
  return {
    arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
    url: url(name),
    deadLetterUrl: url(`bgjobs-${jobName}-dlq${suffix}`),
  };
}

export interface RecordOptions {
  readonly body: string;
  /** The queue's ARN (`eventSourceARN`); see `queueOf`. */
  readonly queueArn: string;
  readonly messageId?: string;
  /** `ApproximateReceiveCount`: 1 on the first delivery. */
  readonly receiveCount?: number;
  /** `SentTimestamp`, in epoch milliseconds. */
  readonly sentAt?: number;
  /** Makes a FIFO record: sets `MessageGroupId`, `MessageDeduplicationId` and `SequenceNumber`. */
  readonly groupId?: string;
  readonly messageAttributes?: SQSMessageAttributes;
}

let sequence = 18_849_496_460_467_696_128n;

/** One record as the SQS event source mapping delivers it. */
export function sqsRecord(options: RecordOptions): SQSRecord {
  const messageId = options.messageId ?? randomUUID();
  const receiveCount = options.receiveCount ?? 1;
  const sentAt = options.sentAt ?? Date.now();
  const messageAttributes = options.messageAttributes ?? {};
  sequence += 1n;
  const fifo =
    options.groupId === undefined
      ? {}
      : {
          SequenceNumber: String(sequence),
          MessageGroupId: options.groupId,
          MessageDeduplicationId: createHash('sha256').update(options.body).digest('hex'),
        };
  return {
    messageId,
    receiptHandle: receiptHandle(messageId, receiveCount),
    body: options.body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(sentAt),
      SenderId: 'AROAEXAMPLEROLEID123:bgjobs-client',
      ApproximateFirstReceiveTimestamp: String(sentAt + 35),
      ...fifo,
    },
    messageAttributes,
    md5OfBody: createHash('md5').update(options.body).digest('hex'),
    ...(Object.keys(messageAttributes).length > 0
      ? { md5OfMessageAttributes: md5OfMessageAttributes(messageAttributes) }
      : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn,
    awsRegion: REGION,
  };
}

export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/** A receipt handle differs on every receive of the same message. */
function receiptHandle(messageId: string, receiveCount: number): string {
  const opaque = createHash('sha512').update(`${messageId}#${receiveCount}`).digest('base64');
  return `AQEB${opaque}`;
}

/** SQS's digest of message attributes: names sorted, each field length-prefixed. */
function md5OfMessageAttributes(attributes: SQSMessageAttributes): string {
  const hash = createHash('md5');
  const lengthPrefixed = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const attribute = attributes[name];
    if (!attribute) continue;
    lengthPrefixed(Buffer.from(name));
    lengthPrefixed(Buffer.from(attribute.dataType));
    if (attribute.binaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      lengthPrefixed(Buffer.from(attribute.binaryValue, 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      lengthPrefixed(Buffer.from(attribute.stringValue ?? ''));
    }
  }
  return hash.digest('hex');
}

/** A Lambda context whose clock runs in real time; `useUp` takes time off what is left. */
export interface TestLambdaContext extends Context {
  useUp(ms: number): void;
}

export function lambdaContext(options: {
  functionName: string;
  remainingMs: number;
}): TestLambdaContext {
  let deadline = Date.now() + options.remainingMs;
  const { functionName } = options;
  const unsupported = () => {
    throw new Error('the callback-style Lambda API is not used by bgjobs');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2025/01/01/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    useUp: (ms) => {
      deadline -= ms;
    },
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
