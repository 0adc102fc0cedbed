import type { RecordOutcome } from '../../core/outcomes.ts';

/** What a worker thread is started with. */
export interface WorkerConfig {
  readonly jobFile: string;
  readonly jobName: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly sqsEndpoint: string;
  readonly region: string;
  readonly memoryMB: number;
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
