/**
 * One PutEvents entry, decided: the event EventBridge builds from it, or the per-entry error
 * PutEvents returns for it. Pure: the event id, the time and the buses that exist are given.
 * The request as a whole (field types, EventBusName, TraceHeader) was checked before
 * (`request-validation.ts`); what EventBridge refuses in an entry is `core/event-entry.ts`.
 */

import { DEFAULT_EVENT_BUS } from '../../core/arns.ts';
import { busNameOf, checkEventEntry } from '../../core/event-entry.ts';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import { type EventBridgeEvent, eventBridgeEvent, eventTime } from '../../core/messages.ts';

const REQUIRED_FIELDS = ['Source', 'DetailType', 'Detail'] as const;

export type EntryOutcome =
  | { readonly status: 'accepted'; readonly busName: string; readonly event: EventBridgeEvent }
  | { readonly status: 'rejected'; readonly errorCode: string; readonly errorMessage: string };

export interface EntryContext {
  /** The id the event gets when accepted. */
  readonly id: string;
  /** The event's time when the entry gives none. */
  readonly now: Date;
  /** The buses that exist: `default` and the stack's bus. */
  readonly buses: readonly string[];
}

/** Decides an entry whose fields have the types PutEvents takes (strings, an array of strings). */
export function decideEntry(entry: Record<string, unknown>, context: EntryContext): EntryOutcome {
  for (const field of REQUIRED_FIELDS) {
    if (entry[field] === undefined || entry[field] === null) {
      return rejected(
        'InvalidArgument',
        `Parameter ${field} is not valid. Reason: ${field} is a required argument`,
      );
    }
  }
  const hasTime = entry.Time !== undefined && entry.Time !== null;
  const time = hasTime ? parseTime(entry.Time) : context.now;
  if (time === undefined) {
    return rejected(
      'InvalidArgument',
      `Parameter Time is not valid. Reason: Time is ${JSON.stringify(entry.Time)}; allowed: epoch seconds or an ISO 8601 date`,
    );
  }
  const source = entry.Source as string;
  const detailType = entry.DetailType as string;
  const resources = (entry.Resources ?? []) as string[];
  const checked = checkEventEntry({
    source,
    detailType,
    detail: entry.Detail as string,
    resources,
    hasTime,
  });
  if (!checked.ok) return rejected(checked.errorCode, checked.errorMessage);

  // AWS accepts an entry for a bus that does not exist and drops it (aws/aws-cli#9186); locally
  // the entry fails, so a misspelt bus shows up at once instead of as events that never arrive.
  const name = busNameOf((entry.EventBusName as string | undefined) ?? DEFAULT_EVENT_BUS);
  if (!context.buses.includes(name)) {
    return rejected(
      'ResourceNotFoundException',
      `Event bus ${name} does not exist; the local runtime has: ${context.buses.join(', ')}`,
    );
  }
  return {
    status: 'accepted',
    busName: name,
    event: eventBridgeEvent({
      id: context.id,
      'detail-type': detailType,
      source,
      account: LOCAL_ENVIRONMENT.account,
      time: eventTime(time),
      region: LOCAL_ENVIRONMENT.region,
      resources,
      detail: checked.detail,
    }),
  };
}

/** The SDKs send epoch seconds (a number); a hand-written request may send an ISO 8601 string. */
function parseTime(value: unknown): Date | undefined {
  let date: Date | undefined;
  if (typeof value === 'number') date = new Date(value * 1000);
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value))
    date = new Date(Number(value) * 1000);
  else if (typeof value === 'string') date = new Date(value);
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

function rejected(errorCode: string, errorMessage: string): EntryOutcome {
  return { status: 'rejected', errorCode, errorMessage };
}
