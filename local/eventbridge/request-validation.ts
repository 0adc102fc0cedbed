/**
 * What PutEvents refuses for the whole request, before any entry is looked at: a field of the
 * wrong type (`SerializationException`) and the API model's constraints on `Entries`,
 * `EventBusName` and `TraceHeader` (`ValidationException`, worded as AWS words it). Nothing of
 * such a request is delivered.
 */
import { isPlainObject } from '../../core/event-pattern-operators.ts';
import { SQS_MAX_BATCH_ENTRIES } from '../../core/limits.ts';
import { EventBridgeApiError } from './protocol.ts';

const STRING_FIELDS = ['Source', 'DetailType', 'Detail', 'EventBusName', 'TraceHeader'] as const;
/** `NonPartnerEventBusNameOrArn` in the EventBridge API model, matched as a whole. */
const BUS_NAME_PATTERN =
  '(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[\\.\\-_A-Za-z0-9]+';
const BUS_NAME = new RegExp(`^(?:${BUS_NAME_PATTERN})$`);
const MAX_BUS_NAME_LENGTH = 1600;
const MAX_TRACE_HEADER_LENGTH = 500;

/** The entries of a PutEvents request whose types and constraints EventBridge accepts. */
export function validatedEntries(entries: unknown): Record<string, unknown>[] {
  if (!Array.isArray(entries)) {
    throw new EventBridgeApiError(
      'ValidationException',
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  if (entries.length < 1 || entries.length > SQS_MAX_BATCH_ENTRIES) {
    const bound =
      entries.length < 1
        ? 'greater than or equal to 1'
        : `less than or equal to ${SQS_MAX_BATCH_ENTRIES}`;
    throw new EventBridgeApiError(
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${bound}; got ${entries.length} entries`,
    );
  }
  const typed = entries.map(typedEntry);
  const violations = typed.flatMap(constraintViolations);
  if (violations.length > 0) {
    const count = `${violations.length} validation error${violations.length === 1 ? '' : 's'}`;
    throw new EventBridgeApiError(
      'ValidationException',
      `${count} detected: ${violations.join('; ')}`,
    );
  }
  return typed;
}

function typedEntry(entry: unknown, index: number): Record<string, unknown> {
  const at = `Entries[${index}]`;
  if (!isPlainObject(entry)) {
    throw new EventBridgeApiError(
      'SerializationException',
      `${at} must be a JSON object; got ${JSON.stringify(entry)}`,
    );
  }
  for (const field of STRING_FIELDS) {
    const value = entry[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new EventBridgeApiError(
        'SerializationException',
        `${at}.${field} must be a string; got ${JSON.stringify(value)}`,
      );
    }
  }
  const resources = entry.Resources;
  if (
    resources !== undefined &&
    resources !== null &&
    !(Array.isArray(resources) && resources.every((r) => typeof r === 'string'))
  ) {
    throw new EventBridgeApiError(
      'SerializationException',
      `${at}.Resources must be an array of strings; got ${JSON.stringify(resources)}`,
    );
  }
  return entry;
}

function constraintViolations(entry: Record<string, unknown>, index: number): string[] {
  const member = (field: string) => `'entries.${index + 1}.member.${field}'`;
  const violations: string[] = [];
  const bus = entry.EventBusName as string | undefined | null;
  if (bus !== undefined && bus !== null) {
    const problem =
      bus.length < 1
        ? 'Member must have length greater than or equal to 1'
        : bus.length > MAX_BUS_NAME_LENGTH
          ? `Member must have length less than or equal to ${MAX_BUS_NAME_LENGTH}`
          : BUS_NAME.test(bus)
            ? undefined
            : `Member must satisfy regular expression pattern: ${BUS_NAME_PATTERN}`;
    if (problem) violations.push(violation(bus, member('eventBusName'), problem));
  }
  const trace = entry.TraceHeader as string | undefined | null;
  if (
    trace !== undefined &&
    trace !== null &&
    (trace.length < 1 || trace.length > MAX_TRACE_HEADER_LENGTH)
  ) {
    const bound =
      trace.length < 1
        ? 'greater than or equal to 1'
        : `less than or equal to ${MAX_TRACE_HEADER_LENGTH}`;
    violations.push(violation(trace, member('traceHeader'), `Member must have length ${bound}`));
  }
  return violations;
}

function violation(value: string, at: string, problem: string): string {
  const shown = value.length > 100 ? `${value.slice(0, 100)}…` : value;
  return `Value '${shown}' at ${at} failed to satisfy constraint: ${problem}`;
}
