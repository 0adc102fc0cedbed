/**
 * What became of each record of a batch, as values. The Lambda response and
 * the metrics are derived from these, never from side effects.
 */
export type RecordOutcome =
  | { readonly messageId: string; readonly status: 'succeeded'; readonly durationMs: number }
  | {
      readonly messageId: string;
      /** Will be delivered again after `delaySeconds` (its visibility was changed to that). */
      readonly status: 'retry';
      readonly reason: string;
      readonly delaySeconds: number;
      readonly durationMs: number;
    }
  | {
      readonly messageId: string;
      /** Sent to the dead-letter queue with its reason; counts as done. */
      readonly status: 'dead-lettered';
      readonly reason: string;
      readonly errorName: string;
      readonly durationMs: number;
    }
  | {
      readonly messageId: string;
      /** An idempotent job's key had already completed: acknowledged without running the handler. */
      readonly status: 'duplicate';
      readonly key: string;
      readonly durationMs: number;
    }
  | {
      readonly messageId: string;
      /** Never started: too close to the timeout, or an earlier record of its FIFO group failed. */
      readonly status: 'not-started';
      readonly reason: 'near-timeout' | 'fifo-group-failed';
    };

/** Records that SQS must deliver again: everything not succeeded and not dead-lettered. */
export function batchItemFailures(outcomes: readonly RecordOutcome[]): {
  batchItemFailures: { itemIdentifier: string }[];
} {
  return {
    batchItemFailures: outcomes
      .filter((o) => o.status === 'retry' || o.status === 'not-started')
      .map((o) => ({ itemIdentifier: o.messageId })),
  };
}
