import type { SQSRecord } from 'aws-lambda';
import type { JobMetrics } from '../core/job.ts';
import { JOB_METRICS } from '../core/metric-names.ts';
import type { RecordOutcome } from '../core/outcomes.ts';

type Counter = 'succeeded' | 'failed' | 'retried' | 'deadLettered' | 'duplicatesSuppressed';

/**
 * The job's EMF metrics for one batch: AgeAtStart and Duration per record
 * (their percentiles matter), the counters summed and added once per batch,
 * since each Powertools `addMetric` call has a cost of its own.
 */
export class BatchMetrics {
  readonly #metrics: JobMetrics;
  readonly #counts: Record<Counter, number> = {
    succeeded: 0,
    failed: 0,
    retried: 0,
    deadLettered: 0,
    duplicatesSuppressed: 0,
  };

  constructor(metrics: JobMetrics) {
    this.#metrics = metrics;
  }

  record(record: SQSRecord, outcome: RecordOutcome, startedAt: number): void {
    if (outcome.status === 'not-started') {
      this.#counts.retried += 1;
      return;
    }
    const sent = Number(record.attributes.SentTimestamp);
    if (Number.isFinite(sent)) {
      this.#metrics.addMetric(
        JOB_METRICS.ageAtStart,
        'Milliseconds',
        Math.max(0, startedAt - sent),
      );
    }
    if (outcome.status === 'duplicate') {
      this.#counts.duplicatesSuppressed += 1;
      return;
    }
    if (handlerRan(outcome)) {
      this.#metrics.addMetric(JOB_METRICS.duration, 'Milliseconds', outcome.durationMs);
    }
    if (outcome.status === 'succeeded') {
      this.#counts.succeeded += 1;
      return;
    }
    this.#counts.failed += 1;
    this.#counts[outcome.status === 'retry' ? 'retried' : 'deadLettered'] += 1;
  }

  /** Adds the counters that moved; a counter of 0 is left out, as if no record had touched it. */
  flush(): void {
    for (const [counter, count] of Object.entries(this.#counts) as [Counter, number][]) {
      if (count > 0) this.#metrics.addMetric(JOB_METRICS[counter], 'Count', count);
      this.#counts[counter] = 0;
    }
  }
}

/** Duration measures handlers; a body or payload rejected before the handler would skew it. */
function handlerRan(outcome: RecordOutcome): boolean {
  return !(
    outcome.status === 'dead-lettered' &&
    (outcome.errorName === 'MalformedMessageError' ||
      outcome.errorName === 'PayloadValidationError')
  );
}
