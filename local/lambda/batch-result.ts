import type { SQSRecord } from 'aws-lambda';

/** How an invocation of a job's function ended, as Lambda's event source mapping sees it. */
export type InvocationResult =
  | { readonly kind: 'returned'; readonly response: unknown }
  | { readonly kind: 'threw'; readonly error: string }
  | { readonly kind: 'timed-out'; readonly timeoutMs: number };

export interface BatchSettlement {
  /** Records to delete: the ones Lambda counts as processed. */
  readonly succeeded: readonly SQSRecord[];
  /** Records left on the queue, to come back after their visibility timeout. */
  readonly failed: readonly SQSRecord[];
  /** Set when the whole batch failed: why. */
  readonly wholeBatchReason: string | undefined;
}

/**
 * Lambda's partial batch response semantics (`ReportBatchItemFailures`): an
 * empty or absent `batchItemFailures` means all succeeded; a listed id fails
 * that record; an empty or unknown `itemIdentifier`, a thrown error or a
 * timeout fails the whole batch.
 */
export function settleBatch(
  records: readonly SQSRecord[],
  result: InvocationResult,
): BatchSettlement {
  const wholeBatch = (reason: string): BatchSettlement => ({
    succeeded: [],
    failed: records,
    wholeBatchReason: reason,
  });
  if (result.kind === 'threw') return wholeBatch(`the function threw: ${result.error}`);
  if (result.kind === 'timed-out') {
    return wholeBatch(`the function timed out after ${result.timeoutMs} ms`);
  }
  const failures = (result.response as { batchItemFailures?: unknown } | null | undefined)
    ?.batchItemFailures;
  if (failures === undefined || failures === null) {
    return { succeeded: records, failed: [], wholeBatchReason: undefined };
  }
  if (!Array.isArray(failures)) return wholeBatch('batchItemFailures is not a list');
  const ids = new Set(records.map((r) => r.messageId));
  const failedIds = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !ids.has(id)) {
      return wholeBatch(
        `batchItemFailures has an itemIdentifier that is not in the batch: ${JSON.stringify(id)}`,
      );
    }
    failedIds.add(id);
  }
  return {
    succeeded: records.filter((r) => !failedIds.has(r.messageId)),
    failed: records.filter((r) => failedIds.has(r.messageId)),
    wholeBatchReason: undefined,
  };
}
