import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import { PermanentError } from '../../core/errors.ts';
import { JOB_METRICS } from '../../core/metric-names.ts';
import { failedIds, handlerUnderTest, STARTED_AT } from './handler-harness.ts';

const thumbnailJob = defineJob({
  name: 'thumbnail',
  schema: z.object({ key: z.string() }),
  handler: async ({ key }) => {
    if (key.startsWith('missing/')) throw new PermanentError(`object ${key} does not exist`);
    if (key.startsWith('forbidden/')) throw permanentFromAnotherBundle(`access to ${key} denied`);
  },
  maxReceiveCount: 5,
  backoff: { baseSeconds: 10, capSeconds: 900, jitter: 'full' },
});

/** What `instanceof` cannot recognise: a PermanentError class from a second bundled copy. */
function permanentFromAnotherBundle(message: string): Error {
  return Object.assign(new Error(message), { name: 'PermanentError', permanent: true });
}

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

const text = (value: string) => ({ DataType: 'String', StringValue: value });

describe('createHandler: permanent failures go to the dead-letter queue', () => {
  it.each([
    [
      'a body that is not JSON',
      '{"key": "photos/cat.jpg"',
      'MalformedMessageError',
      'body is not JSON',
    ],
    [
      'a payload that fails the schema',
      '{"key": 42}',
      'PayloadValidationError',
      'payload does not match the schema of job "thumbnail": key: Invalid input: expected string, received number',
    ],
    [
      'a handler that throws PermanentError',
      '{"key": "missing/cat.jpg"}',
      'PermanentError',
      'object missing/cat.jpg does not exist',
    ],
    [
      'a PermanentError from another copy of bgjobs',
      '{"key": "forbidden/cat.jpg"}',
      'PermanentError',
      'access to forbidden/cat.jpg denied',
    ],
  ])(
    'sends %s to the dead-letter queue with its reason, and does not report it',
    async (_, body, errorName, reason) => {
      // Arrange
      const h = handlerUnderTest(thumbnailJob);
      const record = h.record(body, {
        receiveCount: 2,
        messageAttributes: { traceparent: { dataType: 'String', stringValue: TRACEPARENT } },
      });

      // Act
      const response = await h.invoke([record]);

      // Assert
      expect(response).toEqual({ batchItemFailures: [] });
      expect(h.deadLetters()).toEqual([
        {
          QueueUrl: h.queue.deadLetterUrl,
          MessageBody: body,
          MessageAttributes: {
            traceparent: text(TRACEPARENT),
            'bgjobs.error': text(errorName),
            'bgjobs.reason': text(expect.stringContaining(reason)),
            'bgjobs.job': text('thumbnail'),
            'bgjobs.attempt': { DataType: 'Number', StringValue: '2' },
            'bgjobs.message-id': text(record.messageId),
            'bgjobs.failed-at': text(new Date(STARTED_AT).toISOString()),
          },
        },
      ]);
      expect(h.visibilityChanges()).toEqual([]);
      expect(h.loggedOutcome(record.messageId)).toMatchObject({
        status: 'dead-lettered',
        errorName,
      });
    },
  );

  it('replaces bgjobs attributes of an earlier dead-lettering and keeps binary attributes as bytes', async () => {
    // Arrange: a message redriven from the dead-letter queue still carries the old reason.
    const h = handlerUnderTest(thumbnailJob);
    const record = h.record('{"key": "missing/dog.jpg"}', {
      messageAttributes: {
        'bgjobs.reason': { dataType: 'String', stringValue: 'an older reason' },
        checksum: { dataType: 'Binary', binaryValue: Buffer.from([1, 2, 3]).toString('base64') },
      },
    });

    // Act
    await h.invoke([record]);

    // Assert
    const attributes = h.deadLetters()[0]?.MessageAttributes ?? {};
    expect(attributes['bgjobs.reason']).toEqual(text('object missing/dog.jpg does not exist'));
    expect(attributes.checksum).toEqual({
      DataType: 'Binary',
      BinaryValue: Buffer.from([1, 2, 3]),
    });
  });

  it('keeps at most four of the message’s own attributes, so the dead letter stays within SQS’s ten', async () => {
    // Arrange
    const h = handlerUnderTest(thumbnailJob);
    const own = Object.fromEntries(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => [
        name,
        { dataType: 'String', stringValue: name },
      ]),
    );
    const record = h.record('not json', { messageAttributes: own });

    // Act
    await h.invoke([record]);

    // Assert
    const names = Object.keys(h.deadLetters()[0]?.MessageAttributes ?? {});
    expect(names).toHaveLength(10);
    expect(names.filter((name) => !name.startsWith('bgjobs.'))).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('createHandler: when the dead-letter queue cannot be reached', () => {
  it('reports the record for retry with a backoff delay instead of dropping it', async () => {
    // Arrange
    const h = handlerUnderTest(thumbnailJob, { random: () => 0.5 });
    h.sqsMock
      .on(SendMessageCommand)
      .rejects(new Error('User is not authorized to perform: sqs:SendMessage'));
    const invalid = h.record('{"key": 42}', { receiveCount: 2 });
    const fine = h.record('{"key": "photos/cat.jpg"}');

    // Act
    const response = await h.invoke([invalid, fine]);

    // Assert
    expect(failedIds(response)).toEqual([invalid.messageId]);
    expect(h.visibilityChanges()).toEqual([
      {
        QueueUrl: h.queue.url,
        Entries: [{ Id: '0', ReceiptHandle: invalid.receiptHandle, VisibilityTimeout: 10 }],
      },
    ]);
    const outcome = h.loggedOutcome(invalid.messageId);
    expect(outcome).toMatchObject({ status: 'retry' });
    expect(outcome && 'reason' in outcome ? outcome.reason : '').toMatch(
      /^PayloadValidationError: .*; sending it to the dead-letter queue failed: User is not authorized/,
    );
    expect(h.metricCalls()).toContainEqual([JOB_METRICS.retried, 'Count', 1]);
    expect(h.metricCalls()).not.toContainEqual([JOB_METRICS.deadLettered, 'Count', 1]);
  });
});
