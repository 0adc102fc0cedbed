import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import { PermanentError } from '../../core/errors.ts';
import type { JobHandler } from '../../core/job.ts';
import { JOB_METRICS } from '../../core/metric-names.ts';
import { failedIds, handlerUnderTest } from './handler-harness.ts';

const ledgerSchema = z.object({
  account: z.string(),
  entry: z.number().int(),
  end: z.enum(['succeed', 'throw', 'permanent']).default('succeed'),
});
type LedgerEntry = z.output<typeof ledgerSchema>;

const postEntry: JobHandler<LedgerEntry> = ({ account, entry, end }) => {
  if (end === 'throw') throw new Error(`ledger ${account} is locked`);
  if (end === 'permanent') throw new PermanentError(`entry ${entry} was already reversed`);
};

function ledgerJob(handler: JobHandler<LedgerEntry>) {
  return defineJob({ name: 'ledger', schema: ledgerSchema, handler, fifo: true });
}

describe('createHandler: FIFO queues', () => {
  it('stops a message group at its first failure and still runs the other groups', async () => {
    // Arrange
    const handler = vi.fn(postEntry);
    const h = handlerUnderTest(ledgerJob(handler), { random: () => 0.5 });
    const entry = (groupId: string, entry: number, end = 'succeed') =>
      h.record(JSON.stringify({ account: groupId, entry, end }), { groupId });
    const a1 = entry('A', 1, 'throw');
    const a2 = entry('A', 2);
    const b1 = entry('B', 1);
    const a3 = entry('A', 3);

    // Act
    const response = await h.invoke([a1, a2, b1, a3]);

    // Assert
    expect(failedIds(response)).toEqual([a1.messageId, a2.messageId, a3.messageId]);
    expect(handler.mock.calls.map(([payload]) => `${payload.account}${payload.entry}`)).toEqual([
      'A1',
      'B1',
    ]);
    expect(h.loggedOutcome(a2.messageId)).toMatchObject({
      status: 'not-started',
      reason: 'fifo-group-failed',
    });
    expect(h.loggedOutcome(a3.messageId)).toMatchObject({
      status: 'not-started',
      reason: 'fifo-group-failed',
    });
    expect(h.visibilityChanges()).toEqual([
      {
        QueueUrl: h.queue.url,
        Entries: [
          { Id: '0', ReceiptHandle: a1.receiptHandle, VisibilityTimeout: 5 },
          { Id: '1', ReceiptHandle: a2.receiptHandle, VisibilityTimeout: 0 },
          { Id: '2', ReceiptHandle: a3.receiptHandle, VisibilityTimeout: 0 },
        ],
      },
    ]);
    expect(h.metricCalls().filter(([name]) => name === JOB_METRICS.retried)).toEqual([
      [JOB_METRICS.retried, 'Count', 3],
    ]);
  });

  it('lets a group go on after a record that was dead-lettered, since that record is done', async () => {
    // Arrange
    const handler = vi.fn(postEntry);
    const h = handlerUnderTest(ledgerJob(handler));
    const a1 = h.record('{"account":"A","entry":1,"end":"permanent"}', { groupId: 'A' });
    const a2 = h.record('{"account":"A","entry":2}', { groupId: 'A' });

    // Act
    const response = await h.invoke([a1, a2]);

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('sends a dead letter with the message group and the message id as deduplication id', async () => {
    // Arrange
    const h = handlerUnderTest(ledgerJob(postEntry));
    const record = h.record('{"account":"A","entry":"seven"}', { groupId: 'A' });

    // Act
    await h.invoke([record]);

    // Assert
    expect(h.deadLetters()).toEqual([
      expect.objectContaining({
        QueueUrl: h.queue.deadLetterUrl,
        MessageBody: record.body,
        MessageGroupId: 'A',
        MessageDeduplicationId: record.messageId,
      }),
    ]);
    expect(h.queue.deadLetterUrl).toMatch(/\.fifo$/);
  });
});
