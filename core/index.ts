// Through core/package.json's `imports`: a job's Lambda bundle swaps this module for the light
// one (functions/bundled-definition.ts), which does not carry or re-run the definition's checks.
export { defineJob } from '#job-definition';
export { backoffDelaySeconds } from './backoff.ts';
export {
  BacklogFullError,
  BgjobsError,
  EventDetailValidationError,
  InvalidAppError,
  InvalidEnqueueOptionsError,
  InvalidEventError,
  InvalidJobDefinitionError,
  JobTimeoutError,
  MalformedMessageError,
  MessageTooLargeError,
  PayloadValidationError,
  PermanentError,
  ScheduledRunNotFoundError,
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
export { DEFAULT_STACK_NAME } from './naming.ts';
export type { RecordOutcome } from './outcomes.ts';
export type { AppPlan, JobPlan, PlanOptions, QueuePlan, RulePlan } from './plan.ts';
export { functionEnvironment, planApp } from './plan.ts';
export { nextFireTime, parseSchedule } from './schedule.ts';
export type { JobSettings } from './settings.ts';
