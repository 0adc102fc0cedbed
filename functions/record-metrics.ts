import type { SQSRecord } from 'aws-lambda';
import { JOB_METRICS } from '../core/metric-names.ts';
import type { RecordOutcome } from '../core/outcomes.ts';
import type { EmfMetrics } from './emf-metrics.ts';

type Counter = 'succeeded' | 'failed' | 'retried' | 'deadLettered';

/**
 * The job's EMF metrics for one batch: AgeAtStart and Duration of each record
 * (their percentiles matter) gathered here and handed over once per metric,
 * the counters summed and added once per batch.
 */
export class BatchMetrics {
  readonly #metrics: EmfMetrics;
  readonly #agesMs: number[] = [];
  readonly #durationsMs: number[] = [];
  readonly #counts: Record<Counter, number> = {
    succeeded: 0,
    failed: 0,
    retried: 0,
    deadLettered: 0,
  };

  constructor(metrics: EmfMetrics) {
    this.#metrics = metrics;
  }

  record(record: SQSRecord, outcome: RecordOutcome, startedAt: number): void {
    if (outcome.status === 'not-started') {
      this.#counts.retried += 1;
      return;
    }
    const sent = Number(record.attributes.SentTimestamp);
    if (Number.isFinite(sent)) this.#agesMs.push(Math.max(0, startedAt - sent));
    if (handlerRan(outcome)) this.#durationsMs.push(outcome.durationMs);
    if (outcome.status === 'succeeded') {
      this.#counts.succeeded += 1;
      return;
    }
    this.#counts.failed += 1;
    this.#counts[outcome.status === 'retry' ? 'retried' : 'deadLettered'] += 1;
  }

  /** Adds what the batch gathered; a counter of 0 is left out, as if no record had touched it. */
  flush(): void {
    if (this.#agesMs.length > 0) {
      this.#metrics.addMetricValues(JOB_METRICS.ageAtStart, 'Milliseconds', this.#agesMs);
    }
    if (this.#durationsMs.length > 0) {
      this.#metrics.addMetricValues(JOB_METRICS.duration, 'Milliseconds', this.#durationsMs);
    }
    this.#agesMs.length = 0;
    this.#durationsMs.length = 0;
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
