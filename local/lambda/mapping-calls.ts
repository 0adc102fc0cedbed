import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { SQS_MAX_BATCH_ENTRIES } from '../../core/limits.ts';

type OnError = ((error: Error) => void) | undefined;

/**
 * Makes received messages visible again at once (visibility 0), as a paused or
 * stopping mapping does with what a long poll still brought. A failure is
 * reported: those messages come back after their visibility timeout instead.
 */
export async function handBack(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly Message[],
  onError: OnError,
): Promise<void> {
  for (let i = 0; i < messages.length; i += SQS_MAX_BATCH_ENTRIES) {
    const chunk = messages.slice(i, i + SQS_MAX_BATCH_ENTRIES);
    try {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((m, index) => ({
            Id: String(index),
            ReceiptHandle: m.ReceiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
    } catch (error) {
      // Still not lost: they come back after the visibility timeout.
      onError?.(
        new Error(`could not hand back ${chunk.length} messages: ${(error as Error).message}`, {
          cause: error,
        }),
      );
    }
  }
}

/**
 * Deletes the records a batch processed, as Lambda does after a partial batch
 * response. A failure is reported: those records are delivered again.
 */
export async function deleteRecords(
  sqs: SQSClient,
  queueUrl: string,
  records: readonly SQSRecord[],
  onError: OnError,
): Promise<void> {
  for (let i = 0; i < records.length; i += SQS_MAX_BATCH_ENTRIES) {
    const chunk = records.slice(i, i + SQS_MAX_BATCH_ENTRIES);
    try {
      const response = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((r, index) => ({ Id: String(index), ReceiptHandle: r.receiptHandle })),
        }),
      );
      for (const failed of response.Failed ?? []) {
        onError?.(
          new Error(
            `delete of ${chunk[Number(failed.Id)]?.messageId} failed: ${failed.Message}; it will be delivered again`,
          ),
        );
      }
    } catch (error) {
      // Not deleted means delivered again after the visibility timeout: a duplicate, never a loss.
      onError?.(
        new Error(
          `delete of ${chunk.length} messages failed: ${(error as Error).message}; they will be delivered again`,
          { cause: error },
        ),
      );
    }
  }
}
