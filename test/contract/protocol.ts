import type { SQSEvent } from 'aws-lambda';

/** Written to stdout and stderr after each invocation: the lines before it belong to it. */
export const END_MARK = '@@contract-invocation-end';

export interface Invocation {
  readonly event: SQSEvent;
  readonly requestId: string;
  readonly remainingMs: number;
}
