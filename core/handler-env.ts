/** Environment variables the stack (or the local runtime) sets on a job's function; `core/plan.ts` fills them in. */
export const HANDLER_ENV = {
  /** The job a bundled entry runs. */
  jobName: 'BGJOBS_JOB_NAME',
  queueUrl: 'BGJOBS_QUEUE_URL',
  deadLetterQueueUrl: 'BGJOBS_DEAD_LETTER_QUEUE_URL',
  /** Set only on an idempotent job's function: the app's idempotency table. */
  idempotencyTable: 'BGJOBS_IDEMPOTENCY_TABLE',
  /** Set only on an idempotent job's function: the leading part of its keys, all its permissions allow. */
  idempotencyKeyPrefix: 'BGJOBS_IDEMPOTENCY_KEY_PREFIX',
} as const;

/**
 * Every variable a job's function gets besides Lambda's own: the stack sets
 * these (with CDK tokens for the URLs) and the local runtime gives its workers
 * the same (with its queues' URLs), so neither can drift from the other.
 *
 * @example
 * functionEnvironment('process', { queueUrl, deadLetterQueueUrl })
 */
export function functionEnvironment(
  jobName: string,
  queues: { readonly queueUrl: string; readonly deadLetterQueueUrl: string },
): Record<string, string> {
  return {
    [HANDLER_ENV.jobName]: jobName,
    [HANDLER_ENV.queueUrl]: queues.queueUrl,
    [HANDLER_ENV.deadLetterQueueUrl]: queues.deadLetterQueueUrl,
    // Stack traces point at the TypeScript through the bundle's source map.
    NODE_OPTIONS: '--enable-source-maps',
  };
}
