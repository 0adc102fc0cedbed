import type { JobSettings } from './settings.ts';

/**
 * The thresholds of a job's alarms, from its settings. Every alarm fires when
 * its metric is greater than the threshold in one 5-minute period; see
 * docs/monitoring.md for why each one is where it is.
 */
export interface JobAlarmThresholds {
  /** Dead-letter queue `ApproximateNumberOfMessagesVisible`: any dead letter needs a person. */
  readonly deadLetters: number;
  /** Queue `ApproximateAgeOfOldestMessage`, in seconds: the job's backlog objective. */
  readonly oldestMessageAgeSeconds: number;
  /** `Failed / (Succeeded + Failed)`, in percent. */
  readonly failureRatePercent: number;
  /** Attempts a period needs before its failure rate counts. */
  readonly failureRateMinAttempts: number;
  /** Lambda `Errors`: the handler never throws for a record, so any error is a timeout or a crash. */
  readonly functionErrors: number;
  /** Lambda `Throttles`: maximum concurrency should keep the function under its limit. */
  readonly functionThrottles: number;
  /** EventBridge `FailedInvocations` of each rule: an event that never reached the queue. */
  readonly ruleFailedInvocations: number;
  /** The rule target's dead-letter queue `ApproximateNumberOfMessagesVisible`. */
  readonly ruleDeadLetters: number;
}

/** Retries are normal; a tenth of the attempts failing is a pattern worth a look. */
export const FAILURE_RATE_PERCENT = 10;
/** Below this many attempts in 5 minutes one failure is noise; the dead-letter alarm still covers it. */
export const FAILURE_RATE_MIN_ATTEMPTS = 10;

export function jobAlarmThresholds(settings: JobSettings): JobAlarmThresholds {
  return {
    deadLetters: 0,
    oldestMessageAgeSeconds: settings.maxAgeSeconds,
    failureRatePercent: FAILURE_RATE_PERCENT,
    failureRateMinAttempts: FAILURE_RATE_MIN_ATTEMPTS,
    functionErrors: 0,
    functionThrottles: 0,
    ruleFailedInvocations: 0,
    ruleDeadLetters: 0,
  };
}
