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
