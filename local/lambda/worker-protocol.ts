import type { RecordOutcome } from '../../core/outcomes.ts';

/** What a worker thread is started with; its `process.env` is the function's environment. */
export interface WorkerConfig {
  readonly jobName: string;
  /** The job's bundle (`index.mjs`), as `cdk deploy` ships it. */
  readonly bundleFile: string;
  readonly functionArn: string;
}

/** One invocation: the SQS event and the function timeout, counted from when the handler starts (init is not counted, as on Lambda). */
export interface ToWorker {
  readonly invocationId: number;
  readonly event: unknown;
  readonly timeoutMs: number;
}

export type FromWorker =
  | { readonly type: 'started'; readonly invocationId: number }
  | { readonly type: 'returned'; readonly invocationId: number; readonly response: unknown }
  | { readonly type: 'threw'; readonly invocationId: number; readonly error: string }
  | {
      readonly type: 'outcome';
      readonly messageId: string;
      readonly attempt: number;
      readonly outcome: RecordOutcome;
    };
