/**
 * What EventBridge refuses in a PutEvents entry, decided in one place: the local endpoint answers
 * with these per-entry errors, and the client refuses the same entries before sending them.
 * See the PutEvents API reference (PutEventsRequestEntry, PutEventsResultEntry) and
 * "Calculating Amazon EventBridge PutEvents event entry size".
 */
import { isPlainObject } from './event-pattern-operators.ts';
import {
  EVENTBRIDGE_MAX_DETAIL_DEPTH,
  EVENTBRIDGE_MAX_DETAIL_TYPE_LENGTH,
  EVENTBRIDGE_MAX_ENTRY_BYTES,
} from './limits.ts';

/** The text fields of an entry, as they go on the wire. */
export interface EventEntryText {
  readonly source: string;
  readonly detailType: string;
  /** The `Detail` string: JSON text. */
  readonly detail: string;
  readonly resources: readonly string[];
  /** Whether the entry gives a `Time`: it adds 14 bytes to the entry's size, whatever its value. */
  readonly hasTime: boolean;
}

export type EventEntryCheck =
  | { readonly ok: true; readonly detail: Record<string, unknown> }
  | { readonly ok: false; readonly errorCode: string; readonly errorMessage: string };

/** Sources EventBridge keeps for AWS services; PutEvents refuses them. */
const RESERVED_SOURCE_PREFIX = 'aws.';
const TIME_SIZE_BYTES = 14;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const BUS_ARN = /^arn:aws[a-z-]*:events:[^:]*:[^:]*:event-bus\/(.+)$/;

/**
 * The entry EventBridge would accept, with its detail parsed; or the per-entry error code and
 * message PutEvents would answer for it.
 *
 * @example
 * checkEventEntry({ source: 'aws.s3', detailType: 'X', detail: '{}', resources: [], hasTime: false })
 * // { ok: false, errorCode: 'NotAuthorizedForSourceException', errorMessage: 'Not authorized for the source.' }
 */
export function checkEventEntry(entry: EventEntryText): EventEntryCheck {
  for (const [field, value] of [
    ['Source', entry.source],
    ['DetailType', entry.detailType],
    ['Detail', entry.detail],
  ] as const) {
    if (value === '') return invalid(field, `${field} is a required argument`);
  }
  const sizeBytes = eventEntrySizeBytes(entry);
  if (sizeBytes > EVENTBRIDGE_MAX_ENTRY_BYTES) {
    return refused(
      'InvalidArgument',
      `Entry size is ${sizeBytes} bytes; allowed: at most ${EVENTBRIDGE_MAX_ENTRY_BYTES} (Source, DetailType, Detail and Resources in UTF-8, plus ${TIME_SIZE_BYTES} for Time)`,
    );
  }
  if (entry.source.startsWith(RESERVED_SOURCE_PREFIX)) {
    // EventBridge's own answer; the "aws." prefix is reserved for events from AWS services.
    return refused('NotAuthorizedForSourceException', 'Not authorized for the source.');
  }
  if (entry.detailType.length > EVENTBRIDGE_MAX_DETAIL_TYPE_LENGTH) {
    return invalid(
      'DetailType',
      `DetailType has ${entry.detailType.length} characters; allowed: at most ${EVENTBRIDGE_MAX_DETAIL_TYPE_LENGTH}`,
    );
  }
  const detail = parseDetail(entry.detail);
  if (!detail.ok) return refused('MalformedDetail', `Detail is malformed: ${detail.reason}`);
  return { ok: true, detail: detail.value };
}

/** EventBridge's entry size: Source, DetailType, Detail and each resource in UTF-8, plus 14 for Time. */
export function eventEntrySizeBytes(entry: EventEntryText): number {
  const texts = [entry.source, entry.detailType, entry.detail, ...entry.resources];
  const textBytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0);
  return (entry.hasTime ? TIME_SIZE_BYTES : 0) + textBytes;
}

/** A bus name, or the name inside a bus ARN (`arn:aws:events:us-east-1:000000000000:event-bus/NAME`). */
export function busNameOf(nameOrArn: string): string {
  return BUS_ARN.exec(nameOrArn)?.[1] ?? nameOrArn;
}

type Parsed = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

function parseDetail(detail: string): Parsed {
  let value: unknown;
  const outOfRange: string[] = [];
  try {
    // Node 22+ passes each primitive's source text: integers are checked before they lose precision.
    value = JSON.parse(detail, (_key, parsed: unknown, context?: { source?: string }) => {
      const source = context?.source;
      if (typeof parsed === 'number' && source && /^-?\d+$/.test(source)) {
        const integer = BigInt(source);
        if (integer < INT64_MIN || integer > INT64_MAX) outOfRange.push(source);
      }
      return parsed;
    });
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
  if (!isPlainObject(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { ok: false, reason: `it must be a JSON object; got ${got}` };
  }
  if (outOfRange.length > 0) {
    return {
      ok: false,
      reason: `the integer ${outOfRange[0]} is outside the range EventBridge accepts (${INT64_MIN} to ${INT64_MAX})`,
    };
  }
  const depth = nestingDepth(value);
  if (depth > EVENTBRIDGE_MAX_DETAIL_DEPTH) {
    return {
      ok: false,
      reason: `it is nested ${depth} levels deep; EventBridge processes at most ${EVENTBRIDGE_MAX_DETAIL_DEPTH}`,
    };
  }
  return { ok: true, value };
}

/** Levels of objects and arrays, the detail itself being level 1; iterative, so any depth is safe. */
function nestingDepth(root: object): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function invalid(parameter: string, reason: string): EventEntryCheck {
  return refused('InvalidArgument', `Parameter ${parameter} is not valid. Reason: ${reason}`);
}

function refused(errorCode: string, errorMessage: string): EventEntryCheck {
  return { ok: false, errorCode, errorMessage };
}
