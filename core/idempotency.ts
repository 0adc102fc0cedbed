/**
 * An idempotent job: each key's handler runs to completion at most once
 * within the key's time to live, however often SQS delivers its message. The
 * key is the message id by default (the event id for a rule's or schedule's
 * delivery); a job may derive it from the payload instead.
 */
import * as z from 'zod';
import { describeValue as describe } from './idempotency-key.ts';
import type { JobContext } from './job.ts';
import type { JobSettings } from './settings.ts';

/** A key from the payload and the context: the same work must give the same key. */
export type IdempotencyKeyFunction<Payload> = (payload: Payload, ctx: JobContext) => string;

/** What `defineJob` takes as `idempotency`. */
export interface IdempotencyInput<Payload> {
  /** @default - the message id; for a rule's or a schedule's delivery, the event id */
  readonly key?: IdempotencyKeyFunction<Payload>;
  /** How long a completed key keeps suppressing duplicates. @default - the queue's retention (`retentionDays`) */
  readonly ttlSeconds?: number;
}

/** A job's idempotency after defaults: what the handler and the plan read. */
export interface JobIdempotency {
  readonly key: IdempotencyKeyFunction<never> | undefined;
  readonly ttlSeconds: number;
}

/** A year: the longest time to live bgjobs takes (DynamoDB ignores TTL values more than 5 years old). */
export const MAX_IDEMPOTENCY_TTL_SECONDS = 31_536_000;

const ttlError = `an integer from 1 to ${MAX_IDEMPOTENCY_TTL_SECONDS} (a year)`;

/** Validation and documentation of `idempotency`, as the settings schema does for the other settings. */
export const idempotencySchema = z
  .strictObject({
    key: z
      .custom<IdempotencyKeyFunction<never>>((value) => typeof value === 'function', {
        error: 'a function (payload, ctx) => string',
      })
      .optional(),
    ttlSeconds: z
      .number({ error: ttlError })
      .int({ error: ttlError })
      .min(1, { error: ttlError })
      .max(MAX_IDEMPOTENCY_TTL_SECONDS, { error: ttlError })
      .optional(),
  })
  .describe(
    'Exactly-once handler runs per key (DynamoDB, Powertools idempotency): `{ key?, ttlSeconds? }`.',
  );

/**
 * Parses `idempotency` against the job's settings. A time to live shorter than
 * the visibility timeout would let a redelivery find the key gone while the
 * first attempt may still be running, so it is refused.
 */
export function parseIdempotency(
  input: unknown,
  settings: JobSettings | undefined,
): { idempotency: JobIdempotency | undefined; problems: string[] } {
  if (input === undefined) return { idempotency: undefined, problems: [] };
  const parsed = idempotencySchema.safeParse(input);
  if (!parsed.success) {
    return {
      idempotency: undefined,
      problems: parsed.error.issues.map((issue) => {
        if (issue.code === 'unrecognized_keys') {
          return `unknown setting ${issue.keys.map((k) => `"idempotency.${k}"`).join(', ')}; known: key, ttlSeconds`;
        }
        if (issue.path.length === 0) {
          return `idempotency is ${describe(input)}; allowed: { key?: (payload, ctx) => string, ttlSeconds?: number }`;
        }
        const field = String(issue.path[0]);
        const value = (input as Record<string, unknown>)[field];
        return `idempotency.${field} is ${describe(value)}; allowed: ${issue.message}`;
      }),
    };
  }
  if (!settings) return { idempotency: undefined, problems: [] };
  const ttlSeconds = parsed.data.ttlSeconds ?? settings.retentionDays * 86_400;
  const problems =
    ttlSeconds < settings.visibilityTimeoutSeconds
      ? [
          `idempotency.ttlSeconds is ${ttlSeconds}; allowed: at least the visibility timeout (${settings.visibilityTimeoutSeconds} s), or a redelivery could run while the first attempt still holds the key`,
        ]
      : [];
  return { idempotency: { key: parsed.data.key, ttlSeconds }, problems };
}
