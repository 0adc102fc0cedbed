import {
  ChangeMessageVisibilityBatchCommand,
  type ChangeMessageVisibilityBatchCommandInput,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import { acceptAllEntries, failedIds, handlerUnderTest } from './handler-harness.ts';

/** Every record fails, so every record needs a visibility change. */
const flakyJob = defineJob({
  name: 'sync-crm',
  schema: z.object({ contactId: z.string() }),
  handler: ({ contactId }) => {
    throw new Error(`CRM returned 503 for contact ${contactId}`);
  },
  batchSize: 12,
  maxBatchingWindowSeconds: 1,
});

const COULD_NOT_DELAY = 'could not delay the retry; it comes back after the visibility timeout';

function contacts(h: ReturnType<typeof handlerUnderTest>, count: number) {
  return Array.from({ length: count }, (_, i) => h.record(JSON.stringify({ contactId: `c-${i}` })));
}

describe('createHandler: when changing visibility fails', () => {
  it('still reports every failed record when ChangeMessageVisibilityBatch rejects', async () => {
    // Arrange
    const h = handlerUnderTest(flakyJob);
    h.sqsMock.on(ChangeMessageVisibilityBatchCommand).rejects(new Error('Rate exceeded'));
    const records = contacts(h, 2);

    // Act
    const response = await h.invoke(records);

    // Assert
    expect(failedIds(response)).toEqual(records.map((r) => r.messageId));
    expect(h.warnings().filter(([message]) => message === COULD_NOT_DELAY)).toEqual(
      records.map((r) => [COULD_NOT_DELAY, { messageId: r.messageId, reason: 'Rate exceeded' }]),
    );
  });

  it('still reports a record whose entry comes back in Failed, and names it in the warning', async () => {
    // Arrange: the second call of a 12-record batch has entries "0" and "1"; "1" fails.
    const h = handlerUnderTest(flakyJob);
    h.sqsMock
      .on(ChangeMessageVisibilityBatchCommand)
      .callsFakeOnce(acceptAllEntries)
      .callsFakeOnce((input: ChangeMessageVisibilityBatchCommandInput) => ({
        Successful: [{ Id: '0' }],
        Failed: [
          {
            Id: '1',
            SenderFault: true,
            Code: 'ReceiptHandleIsInvalid',
            Message: `The input receipt handle "${input.Entries?.[1]?.ReceiptHandle}" is not a valid receipt handle.`,
          },
        ],
      }));
    const records = contacts(h, 12);
    const last = records[11];

    // Act
    const response = await h.invoke(records);

    // Assert
    expect(failedIds(response)).toEqual(records.map((r) => r.messageId));
    expect(h.visibilityChanges().map((input) => input.Entries?.length)).toEqual([10, 2]);
    expect(h.warnings().filter(([message]) => message === COULD_NOT_DELAY)).toEqual([
      [
        COULD_NOT_DELAY,
        {
          messageId: last?.messageId,
          reason: `ReceiptHandleIsInvalid: The input receipt handle "${last?.receiptHandle}" is not a valid receipt handle.`,
        },
      ],
    ]);
  });
});
