/**
 * The AWS side of an idempotent job, with DynamoDB mocked: which calls the
 * handler makes and what it makes of DynamoDB's answers. The semantics against
 * a real endpoint are in test/e2e/idempotency.test.ts.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import { PermanentError } from '../../core/errors.ts';
import { HANDLER_ENV } from '../../core/handler-env.ts';
import { JOB_METRICS } from '../../core/metric-names.ts';
import { failedIds, handlerUnderTest } from './handler-harness.ts';

const TABLE = 'bgjobs--idempotency';
const PREFIX = 'bgjobs--charge';
const dynamodb = mockClient(DynamoDBClient);

beforeEach(() => {
  dynamodb.reset();
  vi.stubEnv(HANDLER_ENV.idempotencyTable, TABLE);
  vi.stubEnv(HANDLER_ENV.idempotencyKeyPrefix, PREFIX);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const schema = z.object({ orderId: z.string(), end: z.enum(['succeed', 'throw', 'permanent']) });

function chargeJob(handler = vi.fn(), key?: (payload: z.output<typeof schema>) => string) {
  const job = defineJob({
    name: 'charge',
    schema,
    handler: async (payload, ctx) => {
      handler(payload, ctx);
      if (payload.end === 'throw') throw new Error('payment provider timed out');
      if (payload.end === 'permanent') throw new PermanentError('card was declined');
    },
    timeoutSeconds: 10,
    idempotency: { key, ttlSeconds: 3600 },
  });
  return { job, handler };
}

function conditionFailed(item: Record<string, unknown>) {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    Item: item as never,
  });
}

const body = (end: string, orderId = 'o-1') => JSON.stringify({ orderId, end });

describe('createHandler with idempotency, on AWS (DynamoDB mocked)', () => {
  it('locks the key, runs the handler, then marks the key completed with the job prefix and TTL', async () => {
    // Arrange
    dynamodb.on(PutItemCommand).resolves({});
    dynamodb.on(UpdateItemCommand).resolves({});
    const { job, handler } = chargeJob(vi.fn(), (p) => p.orderId);
    const h = handlerUnderTest(job);
    const before = Date.now();

    // Act
    const response = await h.invoke([h.record(body('succeed'))]);

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(handler).toHaveBeenCalledTimes(1);
    const put = dynamodb.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(put?.TableName).toBe(TABLE);
    expect(put?.Item?.id?.S).toMatch(new RegExp(`^${PREFIX}#`));
    expect(put?.Item?.status?.S).toBe('INPROGRESS');
    const expiry = Number(put?.Item?.expiration?.N);
    expect(expiry).toBeGreaterThanOrEqual(Math.floor(before / 1000) + 3600);
    expect(expiry).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 3600);
    // Locked for what is left of the invocation (10 s here), so a crash frees the key.
    const lockedUntil = Number(put?.Item?.in_progress_expiration?.N);
    expect(lockedUntil - before).toBeGreaterThan(9_000);
    expect(lockedUntil - before).toBeLessThanOrEqual(10_500);
    expect(put?.ConditionExpression).toContain('attribute_not_exists(#id)');
    const update = dynamodb.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(update?.Key).toEqual({ id: { S: put?.Item?.id?.S } });
    expect(update?.ExpressionAttributeValues?.[':status']).toEqual({ S: 'COMPLETED' });
  });

  it('gives two records with the same key the same item, and records with other keys others', async () => {
    // Arrange
    dynamodb.on(PutItemCommand).resolves({});
    dynamodb.on(UpdateItemCommand).resolves({});
    const { job } = chargeJob(vi.fn(), (p) => p.orderId);
    const h = handlerUnderTest(job);

    // Act
    await h.invoke([h.record(body('succeed', 'o-1')), h.record(body('succeed', 'o-2'))]);
    await h.invoke([h.record(body('succeed', 'o-1'))]);

    // Assert
    const ids = dynamodb.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.id?.S);
    expect(ids[0]).toBe(ids[2]);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('keys by message id by default', async () => {
    // Arrange
    dynamodb.on(PutItemCommand).resolves({});
    dynamodb.on(UpdateItemCommand).resolves({});
    const { job } = chargeJob();
    const h = handlerUnderTest(job);
    const record = h.record(body('succeed'));

    // Act: the same message delivered twice, and another message with the same body
    await h.invoke([record]);
    await h.invoke([
      { ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '2' } },
    ]);
    await h.invoke([h.record(body('succeed'))]);

    // Assert
    const ids = dynamodb.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.id?.S);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('acknowledges a record whose key completed without running the handler, and counts it', async () => {
    // Arrange: DynamoDB refuses the lock and returns the completed item
    dynamodb.on(PutItemCommand).rejects(
      conditionFailed({
        id: { S: `${PREFIX}#abc` },
        status: { S: 'COMPLETED' },
        expiration: { N: String(Math.floor(Date.now() / 1000) + 600) },
      }),
    );
    const { job, handler } = chargeJob();
    const h = handlerUnderTest(job);
    const record = h.record(body('succeed'));

    // Act
    const response = await h.invoke([record]);

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(handler).not.toHaveBeenCalled();
    expect(h.loggedOutcome(record.messageId)).toMatchObject({
      status: 'duplicate',
      key: record.messageId,
    });
    expect(h.metricCalls()).toContainEqual([JOB_METRICS.duplicatesSuppressed, 'Count', 1]);
    expect(h.metricCalls().map(([name]) => name)).not.toContain(JOB_METRICS.succeeded);
    expect(dynamodb.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  it('retries later, with backoff, a record whose key another invocation holds', async () => {
    // Arrange
    dynamodb.on(PutItemCommand).rejects(
      conditionFailed({
        id: { S: `${PREFIX}#abc` },
        status: { S: 'INPROGRESS' },
        expiration: { N: String(Math.floor(Date.now() / 1000) + 600) },
        in_progress_expiration: { N: String(Date.now() + 5000) },
      }),
    );
    const { job, handler } = chargeJob();
    const h = handlerUnderTest(job, { random: () => 0.5 });
    const record = h.record(body('succeed'));

    // Act
    const response = await h.invoke([record]);

    // Assert
    expect(failedIds(response)).toEqual([record.messageId]);
    expect(handler).not.toHaveBeenCalled();
    expect(h.loggedOutcome(record.messageId)).toMatchObject({
      status: 'retry',
      reason: expect.stringMatching(/^IdempotencyKeyInProgressError: .*held by another invocation/),
      delaySeconds: 5,
    });
  });

  it('releases the key when the handler fails, so that the retry can run', async () => {
    // Arrange
    dynamodb.on(PutItemCommand).resolves({});
    dynamodb.on(DeleteItemCommand).resolves({});
    const { job, handler } = chargeJob();
    const h = handlerUnderTest(job);
    const record = h.record(body('throw'));

    // Act
    const response = await h.invoke([record]);

    // Assert
    expect(failedIds(response)).toEqual([record.messageId]);
    expect(handler).toHaveBeenCalledTimes(1);
    const lockedId = dynamodb.commandCalls(PutItemCommand)[0]?.args[0].input.Item?.id;
    const deleted = dynamodb.commandCalls(DeleteItemCommand)[0]?.args[0].input;
    expect(deleted?.Key).toEqual({ id: lockedId });
    // Only a key still in progress: never another attempt's completion.
    expect(deleted?.ConditionExpression).toBe('#status = :inprogress');
    expect(h.loggedOutcome(record.messageId)).toMatchObject({
      status: 'retry',
      reason: 'Error: payment provider timed out',
    });
  });

  it('dead-letters a permanent failure as without idempotency, releasing the key', async () => {
    // Arrange
    dynamodb.on(PutItemCommand).resolves({});
    dynamodb.on(DeleteItemCommand).resolves({});
    const { job } = chargeJob();
    const h = handlerUnderTest(job);
    const record = h.record(body('permanent'));

    // Act
    const response = await h.invoke([record]);

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(h.deadLetters()).toHaveLength(1);
    expect(dynamodb.commandCalls(DeleteItemCommand)).toHaveLength(1);
  });

  it('keeps the handler’s own error when the key cannot be released', async () => {
    // Arrange
    dynamodb.on(PutItemCommand).resolves({});
    dynamodb.on(DeleteItemCommand).rejects(new Error('connect ECONNREFUSED'));
    const { job } = chargeJob();
    const h = handlerUnderTest(job);
    const record = h.record(body('permanent'));

    // Act
    await h.invoke([record]);

    // Assert: still dead-lettered for what the handler said
    expect(h.loggedOutcome(record.messageId)).toMatchObject({
      status: 'dead-lettered',
      errorName: 'PermanentError',
    });
  });

  it('retries a record, never acknowledging it, when the table cannot be reached; the handler does not run', async () => {
    // Arrange
    dynamodb.on(PutItemCommand).rejects(new Error('connect ECONNREFUSED 127.0.0.1:9328'));
    const { job, handler } = chargeJob();
    const h = handlerUnderTest(job);
    const record = h.record(body('succeed'));

    // Act
    const response = await h.invoke([record]);

    // Assert
    expect(failedIds(response)).toEqual([record.messageId]);
    expect(handler).not.toHaveBeenCalled();
    expect(h.loggedOutcome(record.messageId)).toMatchObject({
      status: 'retry',
      reason: expect.stringMatching(
        /^IdempotencyStoreError: the idempotency table bgjobs--idempotency could not be used .*ECONNREFUSED/,
      ),
    });
  });

  it('acknowledges a record whose handler completed when only marking the key completed fails, with a warning', async () => {
    // Arrange
    dynamodb.on(PutItemCommand).resolves({});
    dynamodb.on(UpdateItemCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    const { job, handler } = chargeJob();
    const h = handlerUnderTest(job);
    const record = h.record(body('succeed'));

    // Act
    const response = await h.invoke([record]);

    // Assert: a retry would surely run it again; acknowledging only risks a rare duplicate delivery
    expect(response).toEqual({ batchItemFailures: [] });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(h.warnings().map(([message]) => message)).toContain(
      'the handler completed but its idempotency key could not be marked completed',
    );
  });

  it('dead-letters a record whose key function returns no key', async () => {
    // Arrange
    const { job, handler } = chargeJob(vi.fn(), () => '');
    const h = handlerUnderTest(job);
    const record = h.record(body('succeed'));

    // Act
    await h.invoke([record]);

    // Assert
    expect(handler).not.toHaveBeenCalled();
    expect(dynamodb.calls()).toHaveLength(0);
    expect(h.loggedOutcome(record.messageId)).toMatchObject({
      status: 'dead-lettered',
      errorName: 'InvalidIdempotencyKeyError',
      reason: 'the idempotency key function returned ""; allowed: a non-empty string',
    });
  });

  it('refuses to build the handler of an idempotent job whose function has no table', () => {
    vi.unstubAllEnvs();
    const { job } = chargeJob();
    expect(() => handlerUnderTest(job)).toThrow(
      /job "charge" has idempotency, but its function has no idempotency table/,
    );
  });
});
