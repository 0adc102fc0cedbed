import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { stopMarginMs } from '../../core/deadline.ts';
import { defineJob } from '../../core/define-job.ts';
import type { JobContext, JobHandler } from '../../core/job.ts';
import { failedIds, handlerUnderTest } from './handler-harness.ts';
import type { TestLambdaContext } from './sqs-event.ts';

const exportSchema = z.object({ exportId: z.string() });

/** A 1 s timeout: bgjobs stops 500 ms before it. */
function exportJob(handler: JobHandler<z.output<typeof exportSchema>>) {
  return defineJob({
    name: 'export',
    schema: exportSchema,
    handler,
    timeoutSeconds: 1,
    backoff: { baseSeconds: 10, capSeconds: 900, jitter: 'full' },
  });
}

const hangForever = () => new Promise<void>(() => {});
const waitForAbort = (_: unknown, ctx: JobContext) =>
  new Promise<void>((_resolve, reject) => {
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
  });

describe('createHandler: near the function timeout', () => {
  it('starts no record once less than the stop margin is left, and makes those records visible again at once', async () => {
    // Arrange: the first record uses up 600 ms of the 1000 ms left, leaving 400 ms < 500 ms.
    expect(stopMarginMs(1)).toBe(500);
    let lambda: TestLambdaContext | undefined;
    const handler = vi.fn(() => lambda?.useUp(600));
    const h = handlerUnderTest(exportJob(handler));
    lambda = h.context(1000);
    const first = h.record('{"exportId":"e-1"}');
    const second = h.record('{"exportId":"e-2"}');
    const third = h.record('{"exportId":"e-3"}');

    // Act
    const response = await h.invoke([first, second, third], lambda);

    // Assert
    expect(handler).toHaveBeenCalledTimes(1);
    expect(failedIds(response)).toEqual([second.messageId, third.messageId]);
    expect(h.loggedOutcome(second.messageId)).toMatchObject({
      status: 'not-started',
      reason: 'near-timeout',
    });
    expect(h.visibilityChanges()).toEqual([
      {
        QueueUrl: h.queue.url,
        Entries: [
          { Id: '0', ReceiptHandle: second.receiptHandle, VisibilityTimeout: 0 },
          { Id: '1', ReceiptHandle: third.receiptHandle, VisibilityTimeout: 0 },
        ],
      },
    ]);
  });

  it.each([
    ['ignores its abort signal', hangForever],
    ['rejects on its abort signal', waitForAbort],
  ])(
    'stops a handler that %s at the stop margin, retries it and still returns the response',
    async (_, run) => {
      // Arrange: 800 ms left and a 500 ms margin, so bgjobs aborts after about 300 ms.
      const signals: AbortSignal[] = [];
      const h = handlerUnderTest(
        exportJob((payload, ctx) => {
          signals.push(ctx.signal);
          return run(payload, ctx);
        }),
        { random: () => 0.5 },
      );
      const stuck = h.record('{"exportId":"e-1"}');
      const waiting = h.record('{"exportId":"e-2"}');
      const startedAt = performance.now();

      // Act
      const response = await h.invoke([stuck, waiting], h.context(800));

      // Assert
      const elapsedMs = performance.now() - startedAt;
      expect(elapsedMs).toBeGreaterThanOrEqual(250);
      expect(elapsedMs).toBeLessThan(750);
      expect(failedIds(response)).toEqual([stuck.messageId, waiting.messageId]);
      expect(signals).toHaveLength(1);
      expect(signals[0]?.aborted).toBe(true);
      expect(h.loggedOutcome(stuck.messageId)).toMatchObject({
        status: 'retry',
        reason:
          'JobTimeoutError: handler was still running when the function was about to time out',
      });
      expect(h.loggedOutcome(waiting.messageId)).toMatchObject({
        status: 'not-started',
        reason: 'near-timeout',
      });
      expect(h.visibilityChanges()[0]?.Entries).toEqual([
        { Id: '0', ReceiptHandle: stuck.receiptHandle, VisibilityTimeout: 5 },
        { Id: '1', ReceiptHandle: waiting.receiptHandle, VisibilityTimeout: 0 },
      ]);
    },
  );
});
