import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EventDetailValidationError, InvalidEventError, toError } from '../core/errors.ts';
import { busNameOf, checkEventEntry } from '../core/event-entry.ts';
import { detailSchemaFailures, jobsMatchingEvent } from '../core/event-routing.ts';
import type { ClientContext } from './context.ts';

export interface EmitOptions {
  /** @default - the client's `eventSource` */
  readonly source?: string;
  /** @default - the stack's bus */
  readonly eventBusName?: string;
  readonly resources?: string[];
  readonly time?: Date;
  /**
   * Refuse an event whose detail does not match the schema of a job whose rule it matches (on
   * the stack's bus), instead of letting that job dead-letter it. @default true
   */
  readonly validate?: boolean;
}

export interface EmitEntry extends EmitOptions {
  readonly detailType: string;
  readonly detail: unknown;
}

/** An event checked as emit checks it: the PutEvents entry, and the jobs it reaches. */
export interface PreparedEvent {
  readonly entry: PutEventsRequestEntry;
  /**
   * The registered jobs whose rule matches the event (empty: EventBridge takes it and delivers
   * it nowhere). Undefined on a bus other than the stack's, whose rules bgjobs does not know.
   */
  readonly jobs: readonly string[] | undefined;
}

/**
 * Checks an event before it is put, as EventBridge and the jobs' rules would: what PutEvents
 * refuses (`InvalidEventError`), and, unless `validate` is false, a detail that fails the schema
 * of a job whose rule matches it (`EventDetailValidationError`). Sends nothing.
 */
export function prepareEvent(ctx: ClientContext, event: EmitEntry): PreparedEvent {
  const detail = detailText(event);
  const entry = toRequestEntry(ctx, event, detail);
  const source = entry.Source ?? '';
  const checked = checkEventEntry({
    source,
    detailType: event.detailType,
    detail,
    resources: event.resources ?? [],
    hasTime: event.time !== undefined,
  });
  if (!checked.ok)
    throw new InvalidEventError(event.detailType, checked.errorCode, checked.errorMessage);
  if (busNameOf(entry.EventBusName ?? '') !== ctx.busName) return { entry, jobs: undefined };
  const jobs = jobsMatchingEvent(
    ctx.jobNames().map((name) => ctx.job(name)),
    {
      source,
      detailType: event.detailType,
      detail: checked.detail,
      resources: event.resources,
      time: event.time,
    },
  );
  const failures = event.validate === false ? [] : detailSchemaFailures(jobs, checked.detail);
  if (failures.length > 0) throw new EventDetailValidationError(event.detailType, failures);
  return { entry, jobs: jobs.map((job) => job.name) };
}

/** The detail as JSON text: `{}` when there is none. */
function detailText(event: EmitEntry): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(event.detail ?? {});
  } catch (error) {
    const reason = `Detail is malformed: not JSON (${toError(error).message})`;
    throw new InvalidEventError(event.detailType, 'MalformedDetail', reason);
  }
  if (text === undefined) {
    const reason = `Detail is malformed: a ${typeof event.detail} is not JSON`;
    throw new InvalidEventError(event.detailType, 'MalformedDetail', reason);
  }
  return text;
}

function toRequestEntry(
  ctx: ClientContext,
  entry: EmitEntry,
  detail: string,
): PutEventsRequestEntry {
  return {
    EventBusName: entry.eventBusName ?? ctx.busName,
    Source: entry.source ?? ctx.eventSource,
    DetailType: entry.detailType,
    Detail: detail,
    ...(entry.resources ? { Resources: entry.resources } : {}),
    ...(entry.time ? { Time: entry.time } : {}),
  };
}
