/**
 * Which registered jobs an event reaches on the stack's bus, and whether its detail fits them:
 * decided from the jobs' event patterns, as the rules the stack deploys decide. The client uses
 * it before PutEvents, on AWS and locally alike.
 */
import { matchesEventPattern } from './event-pattern.ts';
import type { JobDefinition } from './job.ts';
import { eventTime } from './messages.ts';
import { checkPayloadNow } from './payload-schema.ts';

export interface EventFields {
  readonly source: string;
  readonly detailType: string;
  readonly detail: unknown;
  readonly resources?: readonly string[];
  readonly time?: Date;
}

/**
 * The jobs whose event pattern matches the event. The event's id, account and region are not
 * known before it is put, so a pattern on those fields does not match here.
 *
 * @example jobsMatchingEvent(jobs, { source: 'bgjobs.example', detailType: 'ReportRequested', detail: {} })
 */
export function jobsMatchingEvent(
  jobs: readonly JobDefinition[],
  fields: EventFields,
): JobDefinition[] {
  const event = {
    version: '0',
    'detail-type': fields.detailType,
    source: fields.source,
    time: eventTime(fields.time ?? new Date()),
    resources: fields.resources ?? [],
    detail: fields.detail,
  };
  return jobs.filter((job) => job.events !== undefined && matchesEventPattern(job.events, event));
}

/** Each job whose schema refuses the detail (the payload its handler gets), with the issues. */
export function detailSchemaFailures(
  jobs: readonly JobDefinition[],
  detail: unknown,
): { job: string; issues: string[] }[] {
  return jobs.flatMap((job) => {
    const checked = checkPayloadNow(job.schema, detail, '(detail)');
    return checked.ok ? [] : [{ job: job.name, issues: checked.issues }];
  });
}
