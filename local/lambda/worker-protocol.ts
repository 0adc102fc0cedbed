import type { RecordOutcome } from '../../core/outcomes.ts';

/** What a worker thread is started with; its `process.env` is the function's environment. */
export interface WorkerConfig {
  readonly jobName: string;
  /** The job's bundle (`index.mjs`), as `cdk deploy` ships it. */
  readonly bundleFile: string;
  readonly functionArn: string;
}

/**
 * One invocation: the SQS event and the function timeout, counted from the
 * handler's start on a worker's first invocation (init is not counted, as on
 * Lambda) and from the invocation on a loaded worker.
 */
export interface ToWorker {
  readonly invocationId: number;
  readonly event: unknown;
  readonly timeoutMs: number;
}

/** One record's outcome, as the handler's outcome observer saw it. */
export interface OutcomeReport {
  readonly messageId: string;
  readonly attempt: number;
  readonly outcome: RecordOutcome;
}

export type FromWorker =
  /** Once per worker: the job has loaded and the first invocation's handler starts. */
  | { readonly type: 'started'; readonly invocationId: number }
  | { readonly type: 'returned'; readonly invocationId: number; readonly response: unknown }
  | { readonly type: 'threw'; readonly invocationId: number; readonly error: string }
  /** The outcomes of records that ended since the last such message, in order. */
  | { readonly type: 'outcomes'; readonly outcomes: readonly OutcomeReport[] };
