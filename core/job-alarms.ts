import { physicalName } from './naming.ts';
import type { JobSettings } from './settings.ts';

/**
 * What each alarm of a job watches, one alarm per concern. The alarm name ends
 * with the concern; `infra/job-alarms.ts` maps a concern to its metrics, and
 * docs/monitoring.md says what each one catches and misses.
 */
export type AlarmConcern =
  | 'dead-letters'
  | 'oldest-message-age'
  | 'failure-rate'
  | 'function'
  | 'rules';

export interface AlarmPlan {
  readonly concern: AlarmConcern;
  /** `<stack>--<job>--<concern>`. */
  readonly name: string;
  readonly description: string;
  /** The alarm fires when its value is greater than this. */
  readonly threshold: number;
  /**
   * Periods looked at, and how many of them must breach. The dead-letter alarm
   * looks at two, so that a depth published late still counts its rise.
   */
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/** Retries are normal; a tenth of the attempts failing is a pattern worth a look. */
export const FAILURE_RATE_PERCENT = 10;
/** Below this many attempts in 5 minutes one failure is noise; the dead-letter alarm still covers it. */
export const FAILURE_RATE_MIN_ATTEMPTS = 10;

interface JobNames {
  readonly stackName: string;
  readonly jobName: string;
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  readonly functionName: string;
  readonly ruleNames: readonly string[];
  readonly ruleDeadLetterQueueName: string | undefined;
}

/** The alarms of one job: four, and a fifth for a job with a schedule or event rule. */
export function planJobAlarms(settings: JobSettings, names: JobNames): AlarmPlan[] {
  const alarm = (concern: AlarmConcern, threshold: number, description: string): AlarmPlan => ({
    concern,
    name: physicalName(names.stackName, names.jobName, concern),
    description: `bgjobs job "${names.jobName}": ${description}`,
    threshold,
    evaluationPeriods: concern === 'dead-letters' ? 2 : 1,
    datapointsToAlarm: 1,
  });
  const alarms = [
    alarm(
      'dead-letters',
      0,
      `new dead letters in ${names.deadLetterQueueName} (its depth rose, or the handler sent a permanent failure there): read their bgjobs.* attributes, fix the cause, then redrive or purge them.`,
    ),
    alarm(
      'oldest-message-age',
      settings.maxAgeSeconds,
      `the oldest message of ${names.queueName} has waited more than maxAgeSeconds (${settings.maxAgeSeconds} s): the function is behind or not consuming.`,
    ),
    alarm(
      'failure-rate',
      FAILURE_RATE_PERCENT,
      `more than ${FAILURE_RATE_PERCENT}% of the attempts in 5 minutes failed (at least ${FAILURE_RATE_MIN_ATTEMPTS} attempts): look at the handler's errors in its logs.`,
    ),
    alarm(
      'function',
      0,
      `${names.functionName} reported Errors or Throttles: a timeout, a crash or an init failure brings the whole batch back; a throttle means the account's or the function's concurrency is below maxConcurrency (${settings.maxConcurrency}).`,
    ),
  ];
  if (names.ruleNames.length > 0) {
    alarms.push(
      alarm(
        'rules',
        0,
        `${names.ruleNames.join(' or ')} could not deliver events to ${names.queueName} after its retries: they are in ${names.ruleDeadLetterQueueName}, or lost if that failed too.`,
      ),
    );
  }
  return alarms;
}
