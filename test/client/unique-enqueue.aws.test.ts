/** Unique enqueues against AWS, with DynamoDB and SQS mocked: the calls made and what is made of the answers. */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../client/index.ts';
import { IdempotencyStoreError } from '../../core/errors.ts';
import { digestJob } from '../local/fixtures/jobs/digest.ts';

const sqs = new SQSClient({ region: 'eu-west-1' });
const dynamodb = new DynamoDBClient({ region: 'eu-west-1' });
const sqsMock = mockClient(sqs);
const dynamodbMock = mockClient(dynamodb);
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/shop--digest';
const options = { uniqueKey: 'digest/ann/2026-12-01', uniqueForSeconds: 86_400 };

beforeEach(() => {
  sqsMock.reset();
  dynamodbMock.reset();
  sqsMock.on(GetQueueUrlCommand).resolves({ QueueUrl: QUEUE_URL });
});

const client = () => createClient({ jobs: [digestJob], stackName: 'shop', sqs, dynamodb });

describe('unique enqueues on AWS (DynamoDB and SQS mocked)', () => {
  it('reserves the key under the job’s leading key, sends, then records the message id', async () => {
    dynamodbMock.on(PutItemCommand).resolves({});
    dynamodbMock.on(UpdateItemCommand).resolves({});
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const before = Date.now();

    const result = await client().enqueue('digest', { user: 'ann' }, options);

    expect(result).toEqual({ kind: 'sent', messageId: 'm-1' });
    const put = dynamodbMock.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(put?.TableName).toBe('shop--idempotency');
    expect(put?.Item?.id?.S).toMatch(/^shop--digest--unique#[0-9a-f]{64}$/);
    expect(put?.Item?.status?.S).toBe('SENDING');
    expect(Number(put?.Item?.expiration?.N)).toBeGreaterThanOrEqual(
      Math.floor(before / 1000) + 86_400,
    );
    expect(put?.ConditionExpression).toContain('attribute_not_exists(id)');
    expect(put?.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
    const update = dynamodbMock.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(update?.ExpressionAttributeValues).toMatchObject({
      ':sent': { S: 'SENT' },
      ':messageId': { S: 'm-1' },
      ':token': put?.Item?.token,
    });
  });

  it('returns the message sent with the key within the window, sending nothing', async () => {
    dynamodbMock.on(PutItemCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: {
          id: { S: 'shop--digest--unique#x' },
          status: { S: 'SENT' },
          message_id: { S: 'm-first' },
          expiration: { N: String(Math.floor(Date.now() / 1000) + 600) },
        },
      }),
    );

    const result = await client().enqueue('digest', { user: 'ann' }, options);

    expect(result).toEqual({ kind: 'duplicate', messageId: 'm-first' });
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('releases its own reservation (by token) when the send fails, and rethrows', async () => {
    dynamodbMock.on(PutItemCommand).resolves({});
    dynamodbMock.on(DeleteItemCommand).resolves({});
    sqsMock.on(SendMessageCommand).rejects(new Error('AccessDenied'));

    await expect(client().enqueue('digest', { user: 'ann' }, options)).rejects.toThrow(
      'AccessDenied',
    );

    const token = dynamodbMock.commandCalls(PutItemCommand)[0]?.args[0].input.Item?.token;
    const deleted = dynamodbMock.commandCalls(DeleteItemCommand)[0]?.args[0].input;
    expect(deleted?.ConditionExpression).toBe('#token = :token');
    expect(deleted?.ExpressionAttributeValues).toEqual({ ':token': token });
  });

  it('sends nothing when the table refuses the reservation (no permission, throttled)', async () => {
    dynamodbMock.on(PutItemCommand).rejects(new Error('AccessDeniedException: not authorized'));

    const refused = client().enqueue('digest', { user: 'ann' }, options);

    await expect(refused).rejects.toBeInstanceOf(IdempotencyStoreError);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('still reports the message sent when recording its id fails', async () => {
    dynamodbMock.on(PutItemCommand).resolves({});
    dynamodbMock.on(UpdateItemCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-2' });

    expect(await client().enqueue('digest', { user: 'ann' }, options)).toEqual({
      kind: 'sent',
      messageId: 'm-2',
    });
  });

  it('refuses a unique key with a run for later past what SQS can delay, reserving and sending nothing', async () => {
    const later = client().enqueue('digest', { user: 'ann' }, { ...options, delay: '3d' });

    await expect(later).rejects.toThrow(
      'job "digest": uniqueKey cannot travel with a run scheduled for later (the key is reserved when the message is sent, and a one-time schedule sends it later); allowed: a delay of at most 900 s',
    );
    expect(dynamodbMock.calls()).toHaveLength(0);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });
});
