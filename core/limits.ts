/**
 * AWS limits that bgjobs encodes, each in one place.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
 */

/** SQS's maximum message size: 1 MiB since August 2025 (256 KiB before). Queues are created with it. */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;

/** Entries per SendMessageBatch / DeleteMessageBatch / ChangeMessageVisibilityBatch / PutEvents call. */
export const SQS_MAX_BATCH_ENTRIES = 10;

/** SQS's longest per-message delay (standard queues): 15 minutes. Later runs are one-time schedules. */
export const SQS_MAX_DELAY_SECONDS = 900;

/** Upper bound of a queue's visibility timeout and of ChangeMessageVisibility (12 hours). */
export const SQS_MAX_VISIBILITY_SECONDS = 43_200;

/** SQS queue names: at most 80 characters, FIFO suffix included. */
export const SQS_MAX_QUEUE_NAME_LENGTH = 80;

/** Retention of a dead-letter queue: SQS's maximum, 14 days, so a redriven message is never lost early. */
export const SQS_MAX_RETENTION_SECONDS = 1_209_600;

/** Lambda function names and EventBridge rule names: at most 64 characters. */
export const LAMBDA_MAX_FUNCTION_NAME_LENGTH = 64;
export const EVENTBRIDGE_MAX_RULE_NAME_LENGTH = 64;

/** AWS advises a queue visibility timeout of at least six times the function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * The largest PutEvents entry, sized as EventBridge sizes it (`eventEntrySizeBytes`): 1 MiB since
 * 29 January 2026, when EventBridge, SQS and Lambda moved from 256 KiB to 1 MiB payloads.
 * @see https://aws.amazon.com/blogs/compute/more-room-to-build-serverless-services-now-support-payloads-up-to-1-mb
 */
export const EVENTBRIDGE_MAX_ENTRY_BYTES = 1_048_576;

/** PutEventsRequestEntry.DetailType: "free-form string, with a maximum of 128 characters". */
export const EVENTBRIDGE_MAX_DETAIL_TYPE_LENGTH = 128;

/** "PutEvents will only process nested JSON up to 1000 levels deep." */
export const EVENTBRIDGE_MAX_DETAIL_DEPTH = 1000;
