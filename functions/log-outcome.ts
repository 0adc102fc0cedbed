import type { SQSRecord } from 'aws-lambda';
import type { JobLogger } from '../core/job.ts';
import type { RecordOutcome } from '../core/outcomes.ts';
import { receiveCount } from './run-record.ts';

/** One structured log line per record, at a level that matches what became of it. */
export function logOutcome(logger: JobLogger, record: SQSRecord, outcome: RecordOutcome): void {
  const fields = { ...outcome, attempt: receiveCount(record) };
  switch (outcome.status) {
    case 'succeeded':
      logger.info('record succeeded', fields);
      return;
    case 'retry':
      logger.warn('record failed; will retry', fields);
      return;
    case 'dead-lettered':
      logger.error('record sent to the dead-letter queue', fields);
      return;
    case 'not-started':
      logger.warn('record not started; will retry', fields);
      return;
  }
}
