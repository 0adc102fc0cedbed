import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import type { JobContext, JobHandler } from '../../core/job.ts';
import { failedIds, handlerUnderTest, SENT_AT } from './handler-harness.ts';

const resizeSchema = z.object({
  key: z.string().min(1),
  /** What the test handler does with this record. */
  behaviour: z.enum(['succeed', 'fail']).default('succeed'),
});

/** maxReceiveCount 5 and backoff base 10 s, cap 900 s, full jitter. */
function resizeJob(handler: JobHandler<z.output<typeof resizeSchema>>) {
  return defineJob({
    name: 'resize',
    schema: resizeSchema,
    handler,
    maxReceiveCount: 5,
    backoff: { baseSeconds: 10, capSeconds: 900, jitter: 'full' },
  });
}

const failOnRequest: JobHandler<z.output<typeof resizeSchema>> = ({ key, behaviour }) => {
  if (behaviour === 'fail') throw new Error(`S3 GetObject ${key}: SlowDown`);
};

describe('createHandler: batch outcomes', () => {
  it('reports no item failures and calls SQS not at all when every record succeeds', async () => {
    // Arrange
    const handler = vi.fn(failOnRequest);
    const h = handlerUnderTest(resizeJob(handler));
    const records = ['a.jpg', 'b.jpg', 'c.jpg'].map((key) => h.record(JSON.stringify({ key })));

    // Act
    const response = await h.invoke(records);

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(handler).toHaveBeenCalledTimes(3);
    expect(h.sqsMock.calls()).toHaveLength(0);
  });

  it('reports only the failed records and delays each by its backoff, with no delay on the last allowed receive', async () => {
    // Arrange: random() = 0.5, so delay = round(0.5 x min(900, 10 x 2^(attempt-1)))
    const h = handlerUnderTest(resizeJob(failOnRequest), { random: () => 0.5 });
    const fail = (key: string, receiveCount: number) =>
      h.record(JSON.stringify({ key, behaviour: 'fail' }), { receiveCount });
    const ok = h.record(JSON.stringify({ key: 'ok.jpg' }));
    const firstAttempt = fail('first.jpg', 1);
    const thirdAttempt = fail('third.jpg', 3);
    const fourthAttempt = fail('fourth.jpg', 4);
    const lastAttempt = fail('last.jpg', 5);

    // Act
    const response = await h.invoke([firstAttempt, ok, thirdAttempt, fourthAttempt, lastAttempt]);

    // Assert
    expect(failedIds(response)).toEqual([
      firstAttempt.messageId,
      thirdAttempt.messageId,
      fourthAttempt.messageId,
      lastAttempt.messageId,
    ]);
    expect(h.visibilityChanges()).toEqual([
      {
        QueueUrl: h.queue.url,
        Entries: [
          { Id: '0', ReceiptHandle: firstAttempt.receiptHandle, VisibilityTimeout: 5 },
          { Id: '1', ReceiptHandle: thirdAttempt.receiptHandle, VisibilityTimeout: 20 },
          { Id: '2', ReceiptHandle: fourthAttempt.receiptHandle, VisibilityTimeout: 40 },
          { Id: '3', ReceiptHandle: lastAttempt.receiptHandle, VisibilityTimeout: 0 },
        ],
      },
    ]);
    expect(h.deadLetters()).toEqual([]);
  });

  it('returns every record as an item failure, without throwing, when the whole batch fails', async () => {
    // Arrange: throwing would make Lambda redeliver the batch with no per-record backoff.
    const h = handlerUnderTest(resizeJob(failOnRequest));
    const records = ['a.jpg', 'b.jpg'].map((key) =>
      h.record(JSON.stringify({ key, behaviour: 'fail' })),
    );

    // Act
    const response = h.invoke(records);

    // Assert
    await expect(response).resolves.toEqual({
      batchItemFailures: records.map((r) => ({ itemIdentifier: r.messageId })),
    });
    expect(h.visibilityChanges()).toHaveLength(1);
    expect(h.loggedOutcome(records[0]?.messageId ?? '')).toMatchObject({
      status: 'retry',
      reason: 'Error: S3 GetObject a.jpg: SlowDown',
    });
  });

  it.each([
    ['a string', 'rate limited by the image service', 'rate limited by the image service'],
    ['an object', { status: 429, retryAfter: 3 }, '{"status":429,"retryAfter":3}'],
    ['null', null, 'null'],
  ])(
    'retries a record whose handler throws %s, with the value in the reason',
    async (_, thrown, shown) => {
      // Arrange
      const h = handlerUnderTest(
        resizeJob(() => {
          throw thrown;
        }),
      );
      const record = h.record(JSON.stringify({ key: 'a.jpg' }));

      // Act
      const response = await h.invoke([record]);

      // Assert
      expect(failedIds(response)).toEqual([record.messageId]);
      expect(h.loggedOutcome(record.messageId)).toMatchObject({
        status: 'retry',
        reason: `BgjobsError: non-Error value thrown: ${shown}`,
      });
      expect(h.visibilityChanges()[0]?.Entries).toEqual([
        { Id: '0', ReceiptHandle: record.receiptHandle, VisibilityTimeout: 5 },
      ]);
    },
  );
});

describe('createHandler: the context a handler gets', () => {
  it('gives the attempt, message id, enqueue time, job name and an unaborted signal', async () => {
    // Arrange
    const seen: { ctx: JobContext; abortedDuringRun: boolean }[] = [];
    const h = handlerUnderTest(
      resizeJob((_, ctx) => {
        seen.push({ ctx, abortedDuringRun: ctx.signal.aborted });
      }),
    );
    const record = h.record(JSON.stringify({ key: 'a.jpg' }), { receiveCount: 3 });
    const lambda = h.context(20_000);

    // Act
    await h.invoke([record], lambda);

    // Assert
    expect(seen).toHaveLength(1);
    const { ctx, abortedDuringRun } = seen[0] ?? expect.unreachable('the handler did not run');
    expect(ctx).toMatchObject({
      jobName: 'resize',
      attempt: 3,
      messageId: record.messageId,
      enqueuedAt: new Date(SENT_AT),
      event: undefined,
    });
    expect(abortedDuringRun).toBe(false);
    expect(ctx.remainingTimeMs()).toBeGreaterThan(19_000);
    expect(ctx.remainingTimeMs()).toBeLessThanOrEqual(lambda.getRemainingTimeInMillis());
    expect(ctx.logger).toBe(h.logger);
    expect(ctx.metrics).toBe(h.metrics);
  });

  it('passes the payload after the schema applied its defaults', async () => {
    // Arrange
    const handler = vi.fn(failOnRequest);
    const h = handlerUnderTest(resizeJob(handler));

    // Act
    await h.invoke([h.record('{"key":"a.jpg"}')]);

    // Assert
    expect(handler).toHaveBeenCalledWith({ key: 'a.jpg', behaviour: 'succeed' }, expect.anything());
  });
});
