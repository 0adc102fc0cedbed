import type { SQSRecord } from 'aws-lambda';
import { backoffDelaySeconds } from '../core/backoff.ts';
import {
  isPermanentError,
  MalformedMessageError,
  PayloadValidationError,
  toError,
} from '../core/errors.ts';
import type { JobContext, RunnableJob } from '../core/job.ts';
import { decodeBody } from '../core/messages.ts';
import type { RecordOutcome } from '../core/outcomes.ts';
import { checkPayload } from '../core/payload-schema.ts';

export interface RecordRun {
  readonly job: RunnableJob;
  readonly context: Omit<JobContext, 'attempt' | 'messageId' | 'enqueuedAt' | 'event'>;
  /**
   * Rejects with a `JobTimeoutError` once the batch's signal aborts: a handler
   * still running then is given up on, so the batch response is returned in time.
   */
  readonly stopped: Promise<never>;
  /** Sends a permanently failed record to the dead-letter queue; rejects when that fails. */
  readonly deadLetter: (record: SQSRecord, error: Error, attempt: number) => Promise<void>;
  readonly now: () => number;
  readonly random: () => number;
}

/**
 * Runs one record (parse, validate, handle) and returns what became of it.
 * Never throws. Called once per record, so it makes no closures.
 *
 * @param startedAt - when the attempt started, on `run.now`'s clock
 */
export async function runRecord(
  record: SQSRecord,
  run: RecordRun,
  startedAt: number,
): Promise<RecordOutcome> {
  const { job } = run;
  const decoded = decodeBody(record.body, job.hasRule);
  if (!decoded.ok) return failed(record, run, startedAt, new MalformedMessageError(decoded.reason));
  const pending = checkPayload(job.schema, decoded.payload);
  const checked = pending instanceof Promise ? await pending : pending;
  if (!checked.ok) {
    return failed(record, run, startedAt, new PayloadValidationError(job.name, checked.issues));
  }
  const { context } = run;
  const jobContext: JobContext = {
    jobName: context.jobName,
    logger: context.logger,
    metrics: context.metrics,
    remainingTimeMs: context.remainingTimeMs,
    signal: context.signal,
    attempt: receiveCount(record),
    messageId: record.messageId,
    enqueuedAt: new Date(Number(record.attributes.SentTimestamp)),
    event: decoded.event,
  };
  try {
    // The one place a job's handler is called.
    const done = job.handler(checked.value, jobContext);
    if (context.signal.aborted) await run.stopped;
    if (typeof (done as PromiseLike<void> | undefined)?.then === 'function') {
      await Promise.race([done, run.stopped]);
    }
    return { messageId: record.messageId, status: 'succeeded', durationMs: run.now() - startedAt };
  } catch (thrown) {
    return failed(record, run, startedAt, toError(thrown));
  }
}

/** A permanent error dead-letters the record (or retries it if that fails); any other retries it. */
async function failed(
  record: SQSRecord,
  run: RecordRun,
  startedAt: number,
  error: Error,
): Promise<RecordOutcome> {
  const attempt = receiveCount(record);
  if (!isPermanentError(error))
    return retry(record, run, startedAt, `${error.name}: ${error.message}`);
  try {
    await run.deadLetter(record, error, attempt);
    return {
      messageId: record.messageId,
      status: 'dead-lettered',
      reason: error.message,
      errorName: error.name,
      durationMs: run.now() - startedAt,
    };
  } catch (sendError) {
    const why = toError(sendError).message;
    return retry(
      record,
      run,
      startedAt,
      `${error.name}: ${error.message}; sending it to the dead-letter queue failed: ${why}`,
    );
  }
}

function retry(
  record: SQSRecord,
  run: RecordRun,
  startedAt: number,
  reason: string,
): RecordOutcome {
  const attempt = receiveCount(record);
  const { settings } = run.job;
  return {
    messageId: record.messageId,
    status: 'retry',
    reason,
    // The last allowed receive gets no delay: SQS moves the message to the DLQ on the next receive.
    delaySeconds:
      attempt >= settings.maxReceiveCount
        ? 0
        : backoffDelaySeconds(attempt, settings.backoff, run.random),
    durationMs: run.now() - startedAt,
  };
}

export function receiveCount(record: SQSRecord): number {
  const count = Number(record.attributes.ApproximateReceiveCount);
  return Number.isInteger(count) && count > 0 ? count : 1;
}
