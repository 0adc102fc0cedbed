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
  | 'isPaused'
  | 'nextScheduledRun'
>;

/** A job's current figures, each one read from SQS or the runtime (never estimated). */
export interface JobFigures {
  readonly job: string;
  readonly trigger: string;
  readonly maxConcurrency: number;
  readonly paused: boolean;
  readonly nextRun: string | null;
  readonly batchesInFlight: number;
  /** Counts of outcome events since the dashboard started. */
  readonly totals: { processed: number; failed: number; batchFailed: number };
  readonly durations: DurationPercentiles | null;
  readonly latest: Sample | null;
  readonly deadLetters: DeadLetterList;
  /** Why the last sample could not be taken, if it could not. */
  readonly problem: string | null;
}
