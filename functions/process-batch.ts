import type { SQSRecord } from 'aws-lambda';
import type { JobDefinition, JobLogger, JobMetrics } from '../core/job.ts';
import type { RecordOutcome } from '../core/outcomes.ts';
import { type RecordRun, runRecord } from './run-record.ts';

export interface BatchRun {
  readonly job: JobDefinition;
  readonly logger: JobLogger;
  readonly metrics: JobMetrics;
  readonly remainingTimeMs: () => number;
  /** Stop taking records when less than this is left. */
  readonly stopMarginMs: number;
  readonly signal: AbortSignal;
  readonly deadLetter: RecordRun['deadLetter'];
  readonly now: () => number;
  readonly random: () => number;
  readonly guard?: RecordRun['guard'];
  /** Called once a record has an outcome (logging, metrics). */
  readonly onOutcome: (record: SQSRecord, outcome: RecordOutcome) => void;
}

/**
 * Runs the records of a batch one after another and returns an outcome for each.
 * Standard queue: a failure does not stop the batch. FIFO: a group stops at its
 * first failure and its later records are not started. Near the timeout no
 * record is started.
 */
export async function processBatch(
  records: readonly SQSRecord[],
  run: BatchRun,
): Promise<RecordOutcome[]> {
  const fifo = run.job.settings.fifo !== undefined;
  const failedGroups = new Set<string>();
  const outcomes: RecordOutcome[] = [];
  for (const record of records) {
    const group = record.attributes.MessageGroupId ?? '';
    let outcome: RecordOutcome;
    if (fifo && failedGroups.has(group)) {
      outcome = { messageId: record.messageId, status: 'not-started', reason: 'fifo-group-failed' };
    } else if (run.signal.aborted || run.remainingTimeMs() < run.stopMarginMs) {
      outcome = { messageId: record.messageId, status: 'not-started', reason: 'near-timeout' };
    } else {
      outcome = await runRecord(record, {
        job: run.job,
        context: {
          jobName: run.job.name,
          logger: run.logger,
          metrics: run.metrics,
          remainingTimeMs: run.remainingTimeMs,
          signal: run.signal,
        },
        deadLetter: run.deadLetter,
        now: run.now,
        random: run.random,
        guard: run.guard,
      });
    }
    if (outcome.status === 'retry' || outcome.status === 'not-started') failedGroups.add(group);
    run.onOutcome(record, outcome);
    outcomes.push(outcome);
  }
  return outcomes;
}
