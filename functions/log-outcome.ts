import type { SQSRecord } from 'aws-lambda';
import type { JobLogger } from '../core/job.ts';
import type { RecordOutcome } from '../core/outcomes.ts';
import { receiveCount } from './run-record.ts';

/** The message of each outcome's log line; the local runtime prints its own line for these. */
export const OUTCOME_LOG_MESSAGES = {
  succeeded: 'record succeeded',
  retry: 'record failed; will retry',
  deadLettered: 'record sent to the dead-letter queue',
  notStarted: 'record not started; will retry',
} as const;

/**
 * One structured log line per record, at a level that matches what became of
 * it. Successes are DEBUG: at volume, a line per succeeded record would cost
 * more in CloudWatch Logs than the work (POWERTOOLS_LOG_LEVEL=DEBUG shows them).
 */
export function logOutcome(logger: JobLogger, record: SQSRecord, outcome: RecordOutcome): void {
  const fields = { ...outcome, attempt: receiveCount(record) };
  switch (outcome.status) {
    case 'succeeded':
      // Powertools does work per call even for a filtered level; skip it when DEBUG is off.
      if (debugEnabled(logger)) logger.debug(OUTCOME_LOG_MESSAGES.succeeded, fields);
      return;
    case 'retry':
      logger.warn(OUTCOME_LOG_MESSAGES.retry, fields);
      return;
    case 'dead-lettered':
      logger.error(OUTCOME_LOG_MESSAGES.deadLettered, fields);
      return;
    case 'not-started':
      logger.warn(OUTCOME_LOG_MESSAGES.notStarted, fields);
      return;
  }
}

/** Powertools' logger exposes its numeric level (DEBUG is 8); any other logger is asked. */
export function debugEnabled(logger: JobLogger): boolean {
  const level = (logger as { level?: unknown }).level;
  return typeof level === 'number' ? level <= 8 : true;
}
