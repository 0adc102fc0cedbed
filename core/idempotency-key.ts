/**
 * The key of one idempotent delivery. Apart from core/idempotency.ts, so that a
 * job's bundle takes it without the settings schema (zod).
 */
import { InvalidIdempotencyKeyError } from './errors.ts';
import type { IdempotencyKeyFunction, JobIdempotency } from './idempotency.ts';
import type { JobContext } from './job.ts';

/**
 * The key of one delivery: the job's key function, else the event id of a
 * rule's or schedule's delivery, else the message id. A key that is not a
 * non-empty string is a permanent failure: no retry can change it.
 */
export function idempotencyKey(
  idempotency: JobIdempotency,
  payload: unknown,
  ctx: JobContext,
): string {
  if (!idempotency.key) return ctx.event?.id ?? ctx.messageId;
  const key = (idempotency.key as IdempotencyKeyFunction<unknown>)(payload, ctx);
  if (typeof key !== 'string' || key.length === 0) {
    throw new InvalidIdempotencyKeyError(
      `the idempotency key function returned ${describeValue(key)}; allowed: a non-empty string`,
    );
  }
  return key;
}

/** A value as an error message shows it. */
export function describeValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  return JSON.stringify(value) ?? String(value);
}
