import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { SQS_MAX_BATCH_ENTRIES } from '../core/limits.ts';
import type { RecordOutcome } from '../core/outcomes.ts';

export interface VisibilityChange {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly visibilityTimeoutSeconds: number;
}

/**
 * The visibility each record to be delivered again should get: its backoff
 * delay when it failed, 0 when it was not started (it did not fail).
 */
export function visibilityChanges(
  records: readonly SQSRecord[],
  outcomes: readonly RecordOutcome[],
): VisibilityChange[] {
  // The common case, every record done, builds nothing.
  if (!outcomes.some((o) => o.status === 'retry' || o.status === 'not-started')) return [];
  const byId = new Map(records.map((r) => [r.messageId, r]));
  return outcomes.flatMap((outcome) => {
    const record = byId.get(outcome.messageId);
    if (!record) return [];
    if (outcome.status === 'retry') {
      return [change(record, outcome.delaySeconds)];
    }
    if (outcome.status === 'not-started') return [change(record, 0)];
    return [];
  });
}

function change(record: SQSRecord, seconds: number): VisibilityChange {
  return {
    messageId: record.messageId,
    receiptHandle: record.receiptHandle,
    visibilityTimeoutSeconds: seconds,
  };
}

/**
 * Applies the changes, ten per call. Returns the message ids whose change
 * failed: those messages are still retried, after the queue's visibility timeout.
 */
export async function applyVisibilityChanges(
  sqs: SQSClient,
  queueUrl: string,
  changes: readonly VisibilityChange[],
  abortSignal?: AbortSignal,
): Promise<{ messageId: string; reason: string }[]> {
  const failed: { messageId: string; reason: string }[] = [];
  for (let i = 0; i < changes.length; i += SQS_MAX_BATCH_ENTRIES) {
    const chunk = changes.slice(i, i + SQS_MAX_BATCH_ENTRIES);
    try {
      // Loaded on the first failure (then cached): a batch that all succeeded makes no call.
      const { ChangeMessageVisibilityBatchCommand } = await import('@aws-sdk/client-sqs');
      const response = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((c, index) => ({
            Id: String(index),
            ReceiptHandle: c.receiptHandle,
            VisibilityTimeout: c.visibilityTimeoutSeconds,
          })),
        }),
        { abortSignal },
      );
      for (const entry of response.Failed ?? []) {
        const messageId = chunk[Number(entry.Id)]?.messageId ?? `entry ${entry.Id}`;
        failed.push({ messageId, reason: `${entry.Code}: ${entry.Message ?? ''}` });
      }
    } catch (error) {
      const reason = (error as Error).message;
      failed.push(...chunk.map((c) => ({ messageId: c.messageId, reason })));
    }
  }
  return failed;
}
