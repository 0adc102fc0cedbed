/**
 * One PutEvents entry, decided: the event EventBridge builds from it, or the per-entry error
 * PutEvents returns for it. Pure: the event id, the time and the buses that exist are given.
 */
import { isPlainObject } from '../../core/event-pattern-operators.ts';
import { type EventBridgeEvent, eventBridgeEvent, eventTime } from '../../core/messages.ts';
import { DEFAULT_BUS, LOCAL_ACCOUNT, LOCAL_REGION } from './rules.ts';

/**
 * The largest PutEvents entry, sized as EventBridge sizes it (`entrySizeBytes`): 1 MiB since
 * 29 January 2026, when EventBridge, SQS and Lambda moved from 256 KiB to 1 MiB payloads.
 * @see https://aws.amazon.com/blogs/compute/more-room-to-build-serverless-services-now-support-payloads-up-to-1-mb
 */
export const EVENTBRIDGE_MAX_ENTRY_BYTES = 1_048_576;

/** What a `Time` parameter adds to an entry's size, whatever its value. */
const TIME_SIZE_BYTES = 14;
const REQUIRED_FIELDS = ['Source', 'DetailType', 'Detail'] as const;
const BUS_ARN = /^arn:aws[a-z-]*:events:[^:]*:[^:]*:event-bus\/(.+)$/;

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

export function decideEntry(entry: unknown, context: EntryContext): EntryOutcome {
  if (!isPlainObject(entry)) return invalid('Entry', 'an entry must be a JSON object');
  for (const field of REQUIRED_FIELDS) {
    const value = entry[field];
    if (value === undefined || value === null || value === '') {
      return invalid(field, `${field} is a required argument`);
    }
    if (typeof value !== 'string') {
      return invalid(field, `${field} must be a string; got ${JSON.stringify(value)}`);
    }
  }
  const {
    Source: source,
    DetailType: detailType,
    Detail: detail,
  } = entry as Record<(typeof REQUIRED_FIELDS)[number], string>;
  const resources = entry.Resources ?? [];
  if (!Array.isArray(resources) || !resources.every((r) => typeof r === 'string')) {
    return invalid(
      'Resources',
      `Resources must be an array of strings; got ${JSON.stringify(resources)}`,
    );
  }
  const hasTime = entry.Time !== undefined && entry.Time !== null;
  const time = hasTime ? parseTime(entry.Time) : context.now;
  if (time === undefined) {
    return invalid(
      'Time',
      `Time is ${JSON.stringify(entry.Time)}; allowed: epoch seconds or an ISO 8601 date`,
    );
  }
  const busName = entry.EventBusName ?? DEFAULT_BUS;
  if (typeof busName !== 'string' || busName === '') {
    return invalid(
      'EventBusName',
      `EventBusName is ${JSON.stringify(busName)}; allowed: a bus name or ARN`,
    );
  }

  const sizeBytes = entrySizeBytes(hasTime, [source, detailType, detail, ...resources]);
  if (sizeBytes > EVENTBRIDGE_MAX_ENTRY_BYTES) {
    return rejected(
      'InvalidArgument',
      `Entry size is ${sizeBytes} bytes; allowed: at most ${EVENTBRIDGE_MAX_ENTRY_BYTES} (Source, DetailType, Detail and Resources in UTF-8, plus ${TIME_SIZE_BYTES} for Time)`,
    );
  }
  const parsedDetail = parseDetail(detail);
  if (!parsedDetail.ok)
    return rejected('MalformedDetail', `Detail is malformed: ${parsedDetail.reason}`);

  // AWS accepts an entry for a bus that does not exist and drops it (aws/aws-cli#9186); locally
  // the entry fails, so a misspelt bus shows up at once instead of as events that never arrive.
  const name = busNameOf(busName);
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
      account: LOCAL_ACCOUNT,
      time: eventTime(time),
      region: LOCAL_REGION,
      resources,
      detail: parsedDetail.value,
    }),
  };
}

/** A bus name, or the name inside a bus ARN (`arn:aws:events:us-east-1:000000000000:event-bus/NAME`). */
export function busNameOf(nameOrArn: string): string {
  return BUS_ARN.exec(nameOrArn)?.[1] ?? nameOrArn;
}

/** EventBridge's entry size: see "Calculating Amazon EventBridge PutEvents event entry size". */
function entrySizeBytes(hasTime: boolean, texts: readonly string[]): number {
  const textBytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0);
  return (hasTime ? TIME_SIZE_BYTES : 0) + textBytes;
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

function parseDetail(
  detail: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(detail);
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
  if (!isPlainObject(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { ok: false, reason: `it must be a JSON object; got ${got}` };
  }
  return { ok: true, value };
}

function invalid(parameter: string, reason: string): EntryOutcome {
  return rejected('InvalidArgument', `Parameter ${parameter} is not valid. Reason: ${reason}`);
}

function rejected(errorCode: string, errorMessage: string): EntryOutcome {
  return { status: 'rejected', errorCode, errorMessage };
}
