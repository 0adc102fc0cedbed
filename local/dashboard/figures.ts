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
>;

/** A job's current figures, each one read from SQS or the runtime (never estimated). */
export interface JobFigures {
  readonly job: string;
  readonly trigger: string;
  readonly maxConcurrency: number;
  readonly paused: boolean;
  /** The scheduler's next fire time (ISO 8601); null without a schedule or while its rule is disabled. */
  readonly nextRun: string | null;
  /** The same as `bgjobs status` shows it: `14:05:00 UTC (in 4 min)`, `none: rule disabled`, `-`. */
  readonly nextRunText: string;
  readonly batchesInFlight: number;
  /** Counts of outcome events since the dashboard started. */
  readonly totals: { processed: number; failed: number; batchFailed: number };
  readonly durations: DurationPercentiles | null;
  readonly latest: Sample | null;
  readonly deadLetters: DeadLetterList;
  /** Why the last sample could not be taken, if it could not. */
  readonly problem: string | null;
}
