import { SQS_MAX_MESSAGE_BYTES, SQS_MAX_RETENTION_SECONDS } from './limits.ts';
import type { JobSettings } from './settings.ts';

/** What a queue is given, in one place: the CDK stack and the local runtime both create queues from it. */
export interface QueueSpec {
  readonly fifo: boolean;
  readonly contentBasedDeduplication: boolean;
  readonly visibilityTimeoutSeconds: number;
  readonly retentionSeconds: number;
  readonly maxMessageBytes: number;
}

export function jobQueueSpec(settings: JobSettings): QueueSpec {
  return {
    fifo: settings.fifo !== undefined,
    contentBasedDeduplication: settings.fifo?.contentBasedDeduplication ?? false,
    visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
    retentionSeconds: settings.retentionDays * 86_400,
    maxMessageBytes: SQS_MAX_MESSAGE_BYTES,
  };
}

/**
 * The dead-letter queue keeps messages 14 days: a message keeps its original
 * enqueue time when moved, so a shorter retention would lose it early (and
 * the job queue keeps at most 13, so every dead letter gets a day at least).
 */
export function deadLetterQueueSpec(settings: JobSettings): QueueSpec {
  return {
    ...jobQueueSpec(settings),
    // Redrive and inspection read dead letters one by one; no handler runs on them.
    visibilityTimeoutSeconds: 30,
    retentionSeconds: SQS_MAX_RETENTION_SECONDS,
  };
}

/** The queue where EventBridge puts events it could not deliver; EventBridge needs a standard queue. */
export function ruleDeadLetterQueueSpec(): QueueSpec {
  return {
    fifo: false,
    contentBasedDeduplication: false,
    visibilityTimeoutSeconds: 30,
    retentionSeconds: SQS_MAX_RETENTION_SECONDS,
    maxMessageBytes: SQS_MAX_MESSAGE_BYTES,
  };
}
