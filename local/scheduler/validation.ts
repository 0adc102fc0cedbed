/**
 * The checks Scheduler makes on `CreateSchedule` and `UpdateSchedule` (the API reference's
 * constraints: names, expression, time zone, window, retry policy, ARNs, dates), each
 * refused as a `ValidationException` that names the field, its value and what is allowed.
 * Locally a target must be an SQS queue: the one target bgjobs uses.
 */
import { isPlainObject } from '../../core/event-pattern-operators.ts';
import { EVENT_RULE_TARGET_RETRY } from '../../core/plan.ts';
import { parseSchedule } from '../../core/schedule.ts';
import { isTimeZone } from '../../core/time-zone.ts';
import { SchedulerApiError } from './protocol.ts';
import type { ScheduleRecord, TargetRecord } from './records.ts';

export const NAME_PATTERN = /^[0-9a-zA-Z_.-]{1,64}$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const SQS_ARN = /^arn:aws(-[a-z]+)?:sqs:[a-z0-9-]+:\d{12}:([a-zA-Z0-9\-_]+(\.fifo)?)$/;
const DEAD_LETTER_ARN = /^arn:aws(-[a-z]+)?:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9\-_]+$/;

function invalid(field: string, value: unknown, allowed: string): never {
  throw new SchedulerApiError(
    'ValidationException',
    `${field} is ${JSON.stringify(value) ?? 'missing'}; allowed: ${allowed}`,
  );
}

/** A schedule or group name from the path. */
export function checkName(field: string, name: string): string {
  if (!NAME_PATTERN.test(name)) invalid(field, name, '1 to 64 of 0-9 a-z A-Z - _ .');
  return name;
}

/** The parts of a schedule record the caller sets, checked; the store adds the rest. */
export type ScheduleFields = Omit<
  ScheduleRecord,
  'Arn' | 'Name' | 'GroupName' | 'CreationDate' | 'LastModificationDate'
>;

export function scheduleFields(input: Record<string, unknown>): ScheduleFields {
  const expression = input.ScheduleExpression;
  if (typeof expression !== 'string' || expression.length === 0 || expression.length > 256) {
    invalid(
      'ScheduleExpression',
      expression,
      'rate(...), cron(...) or at(...), 1 to 256 characters',
    );
  }
  const parsed = parseSchedule(expression);
  if (!parsed.schedule) invalid('ScheduleExpression', expression, parsed.problems.join('; '));
  const timeZone = input.ScheduleExpressionTimezone ?? 'UTC';
  if (!isTimeZone(timeZone) || timeZone.length > 50) {
    invalid('ScheduleExpressionTimezone', timeZone, 'an IANA time zone such as "Europe/Berlin"');
  }
  const startDate = optionalDate(input, 'StartDate');
  const endDate = optionalDate(input, 'EndDate');
  if (startDate !== undefined && endDate !== undefined && endDate <= startDate) {
    invalid('EndDate', endDate, `after StartDate (${startDate})`);
  }
  const description = input.Description;
  if (description !== undefined && (typeof description !== 'string' || description.length > 512)) {
    invalid('Description', description, 'a string of at most 512 characters');
  }
  return {
    ...(typeof description === 'string' && { Description: description }),
    ScheduleExpression: expression,
    ScheduleExpressionTimezone: timeZone,
    ...(startDate !== undefined && { StartDate: startDate }),
    ...(endDate !== undefined && { EndDate: endDate }),
    State: oneOf(input, 'State', ['ENABLED', 'DISABLED'], 'ENABLED'),
    FlexibleTimeWindow: flexibleWindow(input.FlexibleTimeWindow),
    Target: target(input.Target),
    ActionAfterCompletion: oneOf(input, 'ActionAfterCompletion', ['NONE', 'DELETE'], 'NONE'),
  };
}

function flexibleWindow(value: unknown): ScheduleFields['FlexibleTimeWindow'] {
  if (!isPlainObject(value)) invalid('FlexibleTimeWindow', value, '{ Mode: "OFF" | "FLEXIBLE" }');
  const mode = value.Mode;
  if (mode === 'OFF') return { Mode: 'OFF' };
  if (mode !== 'FLEXIBLE') invalid('FlexibleTimeWindow.Mode', mode, '"OFF" or "FLEXIBLE"');
  const minutes = value.MaximumWindowInMinutes;
  if (!Number.isInteger(minutes) || (minutes as number) < 1 || (minutes as number) > 1440) {
    invalid(
      'FlexibleTimeWindow.MaximumWindowInMinutes',
      minutes,
      'an integer from 1 to 1440 when Mode is FLEXIBLE',
    );
  }
  return { Mode: 'FLEXIBLE', MaximumWindowInMinutes: minutes as number };
}

function target(value: unknown): TargetRecord {
  if (!isPlainObject(value)) invalid('Target', value, '{ Arn, RoleArn, ... }');
  const arn = value.Arn;
  const queue = typeof arn === 'string' ? SQS_ARN.exec(arn) : null;
  if (!queue) {
    invalid(
      'Target.Arn',
      arn,
      'an SQS queue ARN (the local Scheduler runs SQS targets only, the ones bgjobs uses)',
    );
  }
  const roleArn = value.RoleArn;
  if (typeof roleArn !== 'string' || !ROLE_ARN.test(roleArn)) {
    invalid('Target.RoleArn', roleArn, 'an IAM role ARN, arn:aws:iam::<account>:role/<name>');
  }
  const input = value.Input;
  if (input !== undefined && (typeof input !== 'string' || input.length === 0)) {
    invalid('Target.Input', input, 'a string of at least 1 character');
  }
  // Scheduler's retry limits and defaults are EventBridge's for a rule target.
  const { retryAttempts: maxAttempts, maxEventAgeSeconds: maxAgeSeconds } = EVENT_RULE_TARGET_RETRY;
  const retry = isPlainObject(value.RetryPolicy) ? value.RetryPolicy : {};
  const attempts = retry.MaximumRetryAttempts ?? maxAttempts;
  if (
    !Number.isInteger(attempts) ||
    (attempts as number) < 0 ||
    (attempts as number) > maxAttempts
  ) {
    invalid(
      'Target.RetryPolicy.MaximumRetryAttempts',
      attempts,
      `an integer from 0 to ${maxAttempts}`,
    );
  }
  const age = retry.MaximumEventAgeInSeconds ?? maxAgeSeconds;
  if (!Number.isInteger(age) || (age as number) < 60 || (age as number) > maxAgeSeconds) {
    invalid(
      'Target.RetryPolicy.MaximumEventAgeInSeconds',
      age,
      `an integer from 60 to ${maxAgeSeconds}`,
    );
  }
  const deadLetterArn = isPlainObject(value.DeadLetterConfig)
    ? value.DeadLetterConfig.Arn
    : undefined;
  if (
    deadLetterArn !== undefined &&
    (typeof deadLetterArn !== 'string' || !DEAD_LETTER_ARN.test(deadLetterArn))
  ) {
    invalid(
      'Target.DeadLetterConfig.Arn',
      deadLetterArn,
      'the ARN of a standard SQS queue (no FIFO)',
    );
  }
  const groupId = isPlainObject(value.SqsParameters)
    ? value.SqsParameters.MessageGroupId
    : undefined;
  const fifo = queue[3] !== undefined;
  if (fifo && (typeof groupId !== 'string' || groupId.length < 1 || groupId.length > 128)) {
    invalid(
      'Target.SqsParameters.MessageGroupId',
      groupId,
      '1 to 128 characters: the target is a FIFO queue',
    );
  }
  if (!fifo && groupId !== undefined) {
    invalid(
      'Target.SqsParameters.MessageGroupId',
      groupId,
      'nothing: the target is a standard queue',
    );
  }
  return {
    Arn: arn as string,
    RoleArn: roleArn,
    ...(typeof input === 'string' && { Input: input }),
    RetryPolicy: {
      MaximumRetryAttempts: attempts as number,
      MaximumEventAgeInSeconds: age as number,
    },
    ...(typeof deadLetterArn === 'string' && { DeadLetterConfig: { Arn: deadLetterArn } }),
    ...(typeof groupId === 'string' && { SqsParameters: { MessageGroupId: groupId } }),
  };
}

function optionalDate(input: Record<string, unknown>, field: string): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    invalid(field, value, 'a timestamp in epoch seconds');
  }
  return value;
}

function oneOf<T extends string>(
  input: Record<string, unknown>,
  field: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = input[field] ?? fallback;
  if (!allowed.includes(value as T))
    invalid(field, value, allowed.map((a) => `"${a}"`).join(' or '));
  return value as T;
}
