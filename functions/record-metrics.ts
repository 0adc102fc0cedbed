import type { SQSRecord } from 'aws-lambda';
import type { JobMetrics } from '../core/job.ts';
import { JOB_METRICS } from '../core/metric-names.ts';
import type { RecordOutcome } from '../core/outcomes.ts';

/** Adds the job's EMF metrics for one record's outcome. */
export function recordOutcomeMetrics(
  metrics: JobMetrics,
  record: SQSRecord,
  outcome: RecordOutcome,
  startedAt: number,
): void {
  if (outcome.status === 'not-started') {
    metrics.addMetric(JOB_METRICS.retried, 'Count', 1);
    return;
  }
  const sent = Number(record.attributes.SentTimestamp);
  if (Number.isFinite(sent)) {
    metrics.addMetric(JOB_METRICS.ageAtStart, 'Milliseconds', Math.max(0, startedAt - sent));
  }
  if (handlerRan(outcome))
    metrics.addMetric(JOB_METRICS.duration, 'Milliseconds', outcome.durationMs);
  if (outcome.status === 'succeeded') {
    metrics.addMetric(JOB_METRICS.succeeded, 'Count', 1);
    return;
  }
  metrics.addMetric(JOB_METRICS.failed, 'Count', 1);
  const counter = outcome.status === 'retry' ? JOB_METRICS.retried : JOB_METRICS.deadLettered;
  metrics.addMetric(counter, 'Count', 1);
}

/** Duration measures handlers; a body or payload rejected before the handler would skew it. */
function handlerRan(outcome: RecordOutcome): boolean {
  return !(
    outcome.status === 'dead-lettered' &&
    (outcome.errorName === 'MalformedMessageError' ||
      outcome.errorName === 'PayloadValidationError')
  );
}
