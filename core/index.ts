export { backoffDelaySeconds } from './backoff.ts';
export { defineJob } from './define-job.ts';
export {
  BacklogFullError,
  BgjobsError,
  EventDetailValidationError,
  InvalidEnqueueOptionsError,
  InvalidEventError,
  InvalidJobDefinitionError,
  JobTimeoutError,
  MalformedMessageError,
  MessageTooLargeError,
  PayloadValidationError,
  PermanentError,
  UnknownJobError,
} from './errors.ts';
export type { EventPattern } from './event-pattern.ts';
export { matchesEventPattern, validateEventPattern } from './event-pattern.ts';
export type {
  JobContext,
  JobDefinition,
  JobHandler,
  JobLogger,
  JobMetrics,
  JobSpec,
  PayloadOf,
} from './job.ts';
export { SQS_MAX_MESSAGE_BYTES } from './limits.ts';
export type { EventBridgeEvent, EventMetadata } from './messages.ts';
export { eventBusName, jobResourceNames } from './naming.ts';
export type { RecordOutcome } from './outcomes.ts';
export { nextFireTime, parseSchedule } from './schedule.ts';
export type { JobSettings } from './settings.ts';
