import type { RecordOutcome } from '../../core/outcomes.ts';
import type { BatchSettlement, InvocationResult } from './batch-result.ts';

/** One readable line per record: time, job, message id, attempt, outcome, duration, reason. */
export function outcomeLine(
  at: Date,
  job: string,
  report: { messageId: string; attempt: number; outcome: RecordOutcome },
): string {
  const { outcome } = report;
  const duration = 'durationMs' in outcome ? `${outcome.durationMs} ms` : '';
  const detail =
    outcome.status === 'retry'
      ? `retry in ${outcome.delaySeconds} s: ${outcome.reason}`
      : outcome.status === 'dead-lettered'
        ? `${outcome.errorName}: ${outcome.reason}`
        : outcome.status === 'not-started'
          ? outcome.reason
          : outcome.status === 'duplicate'
            ? `idempotency key ${JSON.stringify(outcome.key)} already completed; handler not run`
            : '';
  return [
    clock(at),
    job.padEnd(12),
    report.messageId.slice(0, 8),
    `attempt ${report.attempt}`,
    outcome.status.padEnd(13),
    duration.padStart(8),
    detail,
  ]
    .join('  ')
    .trimEnd();
}

/** A line for a batch that failed as a whole (thrown, timed out, bad response). */
export function wholeBatchLine(
  at: Date,
  job: string,
  batch: { records: readonly unknown[]; result: InvocationResult; settlement: BatchSettlement },
  visibilityTimeoutSeconds: number,
): string | undefined {
  if (!batch.settlement.wholeBatchReason) return undefined;
  return `${clock(at)}  ${job.padEnd(12)}  batch of ${batch.records.length} failed: ${batch.settlement.wholeBatchReason}; every record comes back after the visibility timeout (${visibilityTimeoutSeconds} s)`;
}

/** `HH:MM:SS.mmm` in UTC, the first column of every line the runtime prints. */
export function clock(at: Date): string {
  return at.toISOString().slice(11, 23);
}
