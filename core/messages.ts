/**
 * The message contract: the exact bodies that reach a job's queue, for each way
 * a job can be started. The CDK rules and the local runtime both use this module,
 * so the bytes are the same on AWS and locally.
 *
 * - On demand (`enqueue`, `aws sqs send-message`): the body is the payload JSON.
 * - Scheduled and event-driven: the rule's SQS target delivers the whole
 *   EventBridge event, unchanged (no input transformer). The handler of a job
 *   that has a rule unwraps it: the payload is the event's `detail` (`{}` for a
 *   schedule) and the handler's `ctx.event` carries the rest.
 */

export const SCHEDULED_EVENT_SOURCE = 'aws.events';
export const SCHEDULED_EVENT_DETAIL_TYPE = 'Scheduled Event';

/** An EventBridge event as EventBridge serialises it, keys in its order. */
export interface EventBridgeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

/** What a handler learns of the event that started it. */
export interface EventMetadata {
  readonly id: string;
  readonly source: string;
  readonly detailType: string;
  readonly time: Date;
  readonly resources: readonly string[];
}

/** EventBridge's time format: ISO 8601 in UTC to the second. */
export function eventTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Builds an event with its keys in EventBridge's order, so JSON.stringify gives EventBridge's bytes. */
export function eventBridgeEvent(fields: Omit<EventBridgeEvent, 'version'>): EventBridgeEvent {
  return {
    version: '0',
    id: fields.id,
    'detail-type': fields['detail-type'],
    source: fields.source,
    account: fields.account,
    time: fields.time,
    region: fields.region,
    resources: fields.resources,
    detail: fields.detail,
  };
}

/** The event a schedule rule sends when it fires. */
export function scheduledEvent(fields: {
  id: string;
  time: Date;
  account: string;
  region: string;
  ruleArn: string;
}): EventBridgeEvent {
  return eventBridgeEvent({
    id: fields.id,
    'detail-type': SCHEDULED_EVENT_DETAIL_TYPE,
    source: SCHEDULED_EVENT_SOURCE,
    account: fields.account,
    time: eventTime(fields.time),
    region: fields.region,
    resources: [fields.ruleArn],
    detail: {},
  });
}

/** The source of the event an EventBridge Scheduler schedule of bgjobs sends. */
export const SCHEDULER_EVENT_SOURCE = 'aws.scheduler';

/**
 * EventBridge Scheduler's context attributes: in a target's input, Scheduler
 * replaces each with its value for the run it sends.
 */
export const SCHEDULER_CONTEXT = {
  executionId: '<aws.scheduler.execution-id>',
  scheduledTime: '<aws.scheduler.scheduled-time>',
  scheduleArn: '<aws.scheduler.schedule-arn>',
  attemptNumber: '<aws.scheduler.attempt-number>',
} as const;

/**
 * The input a recurring schedule's SQS target sends: an EventBridge event, as a
 * schedule rule's target delivers, so a handler cannot tell a rule from a
 * schedule except by `ctx.event.source`. Scheduler fills in the run's id, time
 * and schedule ARN; each run's body differs, so content-based deduplication on
 * a FIFO queue never drops a run.
 */
export function schedulerTargetInput(fields: {
  account: string;
  region: string;
  payload: unknown;
}): string {
  return ruleTargetBody(
    eventBridgeEvent({
      id: SCHEDULER_CONTEXT.executionId,
      'detail-type': SCHEDULED_EVENT_DETAIL_TYPE,
      source: SCHEDULER_EVENT_SOURCE,
      account: fields.account,
      time: SCHEDULER_CONTEXT.scheduledTime,
      region: fields.region,
      resources: [SCHEDULER_CONTEXT.scheduleArn],
      detail: fields.payload,
    }),
  );
}

/**
 * What Scheduler makes of a target input for one run: each context attribute
 * replaced by its value (the local scheduler does this as AWS does).
 */
export function fillSchedulerContext(
  input: string,
  run: { executionId: string; scheduledTime: Date; scheduleArn: string; attemptNumber: number },
): string {
  return input
    .replaceAll(SCHEDULER_CONTEXT.executionId, run.executionId)
    .replaceAll(SCHEDULER_CONTEXT.scheduledTime, eventTime(run.scheduledTime))
    .replaceAll(SCHEDULER_CONTEXT.scheduleArn, run.scheduleArn)
    .replaceAll(SCHEDULER_CONTEXT.attemptNumber, String(run.attemptNumber));
}

/** The SQS body a rule's target delivers for an event. */
export function ruleTargetBody(event: EventBridgeEvent): string {
  return JSON.stringify(event);
}

/** The SQS body of an on-demand job. */
export function onDemandBody(payload: unknown): string {
  return JSON.stringify(payload);
}

export function isEventBridgeEvent(value: unknown): value is EventBridgeEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    v.version === '0' &&
    typeof v.id === 'string' &&
    typeof v['detail-type'] === 'string' &&
    typeof v.source === 'string' &&
    typeof v.time === 'string' &&
    Array.isArray(v.resources) &&
    'detail' in v
  );
}

export type DecodedBody =
  | { readonly ok: true; readonly payload: unknown; readonly event: EventMetadata | undefined }
  | { readonly ok: false; readonly reason: string };

/**
 * Turns a message body into the payload to validate. Only a job that has a rule
 * unwraps an EventBridge event; on an on-demand job the event is the payload
 * (and will normally fail its schema, with that reason).
 */
export function decodeBody(body: string, unwrapEvents: boolean): DecodedBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    const preview = body.length > 64 ? `${body.slice(0, 64)}…` : body;
    return {
      ok: false,
      reason: `body is not JSON (${(error as Error).message}): ${JSON.stringify(preview)}`,
    };
  }
  if (unwrapEvents && isEventBridgeEvent(parsed)) {
    return {
      ok: true,
      payload: parsed.detail,
      event: {
        id: parsed.id,
        source: parsed.source,
        detailType: parsed['detail-type'],
        time: new Date(parsed.time),
        resources: parsed.resources,
      },
    };
  }
  return { ok: true, payload: parsed, event: undefined };
}
