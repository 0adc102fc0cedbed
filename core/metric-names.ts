/**
 * CloudWatch namespace of the metrics a stack's jobs write (EMF), one per
 * stack so that two stacks in one account (staging and production) never mix;
 * the dimension `service` is the job name.
 */
export function metricsNamespace(stackName: string): string {
  return `bgjobs/${stackName}`;
}

/** The namespace of a handler run without a stack's environment (`bgjobs run`, unit tests). */
export const FALLBACK_METRICS_NAMESPACE = 'bgjobs';

/** The per-job metrics the Lambda handler writes; dashboards and alarms read the same names. */
export const JOB_METRICS = {
  /** Records whose handler completed. */
  succeeded: 'Succeeded',
  /** Attempts that failed: handler threw, or the body or payload was invalid. */
  failed: 'Failed',
  /** Records reported back in `batchItemFailures`, to be delivered again. */
  retried: 'Retried',
  /** Records bgjobs sent to the dead-letter queue as permanent failures. */
  deadLettered: 'DeadLettered',
  /** Records of an idempotent job whose key had completed: acknowledged, the handler not run. */
  duplicatesSuppressed: 'DuplicatesSuppressed',
  /** Handler run time per record, in milliseconds. */
  duration: 'Duration',
  /** Time from `SentTimestamp` to the start of the attempt, in milliseconds. */
  ageAtStart: 'AgeAtStart',
} as const;
