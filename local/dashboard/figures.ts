import type { LocalRuntime } from '../runtime.ts';
import type { DeadLetterList } from './dead-letters.ts';
import type { DurationPercentiles } from './percentiles.ts';
import type { Sample } from './series.ts';

/** What the dashboard reads from the runtime it belongs to. */
export type DashboardSource = Pick<
  LocalRuntime,
  | 'sqsEndpoint'
  | 'eventsEndpoint'
  | 'lambdaEndpoint'
  | 'stackName'
  | 'queues'
  | 'events'
  | 'concurrency'
  | 'memory'
  | 'isPaused'
  | 'nextScheduledRun'
  | 'rules'
  | 'schedules'
  | 'pendingRuns'
>;

/** A job's current figures, each one read from SQS or the runtime (never estimated). */
export interface JobFigures {
  readonly job: string;
  readonly trigger: string;
  readonly maxConcurrency: number;
  readonly paused: boolean;
  /** The soonest next run among its schedules (ISO 8601); null without one or while all are disabled. */
  readonly nextRun: string | null;
  /**
   * The same as `bgjobs status` shows it, in the zone of its schedule: `14:05:00 UTC (in 4 min)`,
   * `2027-01-04 09:00:00 Europe/Berlin (08:00:00 UTC, in 3 h)`, `none: rule disabled`, `-`.
   */
  readonly nextRunText: string;
  /** Each schedule (rule or Scheduler schedule) with its state and next run. */
  readonly schedules: readonly {
    readonly name: string;
    readonly service: 'rule' | 'scheduler';
    readonly expression: string;
    readonly timeZone: string;
    readonly state: 'ENABLED' | 'DISABLED';
    readonly nextRun: string | null;
    readonly nextRunText: string;
  }[];
  /** One-time runs (enqueue with runAt past 15 minutes) not yet run. */
  readonly pendingRuns: number;
  readonly batchesInFlight: number;
  /** Counts of outcome events since the dashboard started; `duplicates`: records of an idempotent job acknowledged unrun. */
  readonly totals: { processed: number; failed: number; batchFailed: number; duplicates: number };
  readonly durations: DurationPercentiles | null;
  readonly latest: Sample | null;
  readonly deadLetters: DeadLetterList;
  /** Why the last sample could not be taken, if it could not. */
  readonly problem: string | null;
}
