/** Message attributes bgjobs puts on a dead letter; the client, CLI and dashboard read them back. */
export const DEAD_LETTER_ATTRIBUTES = {
  error: 'bgjobs.error',
  reason: 'bgjobs.reason',
  job: 'bgjobs.job',
  attempt: 'bgjobs.attempt',
  messageId: 'bgjobs.message-id',
  failedAt: 'bgjobs.failed-at',
} as const;
