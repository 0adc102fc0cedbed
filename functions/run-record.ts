import type { SQSRecord } from 'aws-lambda';
import { backoffDelaySeconds } from '../core/backoff.ts';
import {
  isPermanentError,
  JobTimeoutError,
  MalformedMessageError,
  PayloadValidationError,
  toError,
} from '../core/errors.ts';
import { hasRule, type JobContext, type JobDefinition } from '../core/job.ts';
import { decodeBody } from '../core/messages.ts';
import type { RecordOutcome } from '../core/outcomes.ts';
import { callHandler, type GuardLoader } from './guarded-handler.ts';

export interface RecordRun {
  readonly job: JobDefinition;
  readonly context: Omit<JobContext, 'attempt' | 'messageId' | 'enqueuedAt' | 'event'>;
  /** Sends a permanently failed record to the dead-letter queue; rejects when that fails. */
  readonly deadLetter: (record: SQSRecord, error: Error, attempt: number) => Promise<void>;
  readonly now: () => number;
  readonly random: () => number;
  /** The idempotency guard of a job with `idempotency`. */
  readonly guard?: GuardLoader;
}

/** Runs one record (parse, validate, handle) and returns what became of it. Never throws. */
export async function runRecord(record: SQSRecord, run: RecordRun): Promise<RecordOutcome> {
  const started = run.now();
  const attempt = receiveCount(record);
  const { job } = run;
  const elapsed = () => run.now() - started;

  const fail = async (error: Error): Promise<RecordOutcome> => {
    if (isPermanentError(error)) {
      try {
        await run.deadLetter(record, error, attempt);
        return {
          messageId: record.messageId,
          status: 'dead-lettered',
          reason: error.message,
          errorName: error.name,
          durationMs: elapsed(),
        };
      } catch (sendError) {
        const why = toError(sendError).message;
        return retry(
          `${error.name}: ${error.message}; sending it to the dead-letter queue failed: ${why}`,
        );
      }
    }
    return retry(`${error.name}: ${error.message}`);
  };
  const retry = (reason: string): RecordOutcome => ({
    messageId: record.messageId,
    status: 'retry',
    reason,
    // The last allowed receive gets no delay: SQS moves the message to the DLQ on the next receive.
    delaySeconds:
      attempt >= job.settings.maxReceiveCount
        ? 0
        : backoffDelaySeconds(attempt, job.settings.backoff, run.random),
    durationMs: elapsed(),
  });

  const decoded = decodeBody(record.body, hasRule(job));
  if (!decoded.ok) return fail(new MalformedMessageError(decoded.reason));
  const parsed = job.schema.safeParse(decoded.payload);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(payload)'}: ${issue.message}`,
    );
    return fail(new PayloadValidationError(job.name, issues));
  }

  const context: JobContext = {
    ...run.context,
    attempt,
    messageId: record.messageId,
    enqueuedAt: new Date(Number(record.attributes.SentTimestamp)),
    event: decoded.event,
  };
  try {
    // Past the stop point the guarded call goes on alone: a handler that still completes marks its key.
    const handled = await raceAbort(
      callHandler(job, parsed.data, context, run.guard),
      run.context.signal,
    );
    if (!handled.ran) {
      return {
        messageId: record.messageId,
        status: 'duplicate',
        key: handled.key,
        durationMs: elapsed(),
      };
    }
    return { messageId: record.messageId, status: 'succeeded', durationMs: elapsed() };
  } catch (thrown) {
    return fail(toError(thrown));
  }
}

export function receiveCount(record: SQSRecord): number {
  const count = Number(record.attributes.ApproximateReceiveCount);
  return Number.isInteger(count) && count > 0 ? count : 1;
}

/** Stops waiting for a handler once the signal aborts, so the batch response is still returned in time. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(stoppedError());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(stoppedError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function stoppedError(): JobTimeoutError {
  return new JobTimeoutError('handler was still running when the function was about to time out');
}
