import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import { InvalidIdempotencyKeyError, InvalidJobDefinitionError } from '../../core/errors.ts';
import { idempotencyKey } from '../../core/idempotency-key.ts';
import type { JobContext } from '../../core/job.ts';

const base = {
  name: 'charge',
  schema: z.object({ orderId: z.string() }),
  handler: async () => {},
};

function violationsOf(spec: Record<string, unknown>): readonly string[] {
  try {
    defineJob({ ...base, ...spec } as Parameters<typeof defineJob>[0]);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidJobDefinitionError);
    return (error as InvalidJobDefinitionError).violations;
  }
  throw new Error('expected defineJob to throw');
}

const ctx = (more: Partial<JobContext> = {}) =>
  ({ messageId: 'm-1', event: undefined, ...more }) as JobContext;

describe('defineJob: idempotency', () => {
  it('keeps a completed key as long as the queue keeps a message, by default', () => {
    const job = defineJob({ ...base, retentionDays: 4, idempotency: {} });
    expect(job.idempotency).toEqual({ key: undefined, ttlSeconds: 4 * 86_400 });
  });

  it('takes a key function and a time to live', () => {
    const key = (payload: { orderId: string }) => payload.orderId;
    const job = defineJob({ ...base, idempotency: { key, ttlSeconds: 3600 } });
    expect(job.idempotency).toEqual({ key, ttlSeconds: 3600 });
    expect(Object.isFrozen(job.idempotency)).toBe(true);
  });

  it('reports bad idempotency options with the other settings, each naming the value and what is allowed', () => {
    expect(
      violationsOf({ memoryMB: 64, idempotency: { key: 'orderId', ttlSeconds: 1.5, keep: true } }),
    ).toEqual([
      'memoryMB is 64; allowed: an integer from 128 to 10240',
      'idempotency.key is "orderId"; allowed: a function (payload, ctx) => string',
      'idempotency.ttlSeconds is 1.5; allowed: an integer from 1 to 31536000 (a year)',
      'unknown setting "idempotency.keep"; known: key, ttlSeconds',
    ]);
    expect(violationsOf({ idempotency: true })).toEqual([
      'idempotency is true; allowed: { key?: (payload, ctx) => string, ttlSeconds?: number }',
    ]);
  });

  it('refuses a time to live shorter than the visibility timeout', () => {
    expect(violationsOf({ timeoutSeconds: 30, idempotency: { ttlSeconds: 60 } })).toEqual([
      'idempotency.ttlSeconds is 60; allowed: at least the visibility timeout (180 s), or a redelivery could run while the first attempt still holds the key',
    ]);
  });
});

describe('idempotencyKey', () => {
  it('is the message id of an on-demand delivery and the event id of a rule’s or schedule’s', () => {
    const idempotency = { key: undefined, ttlSeconds: 60 };
    expect(idempotencyKey(idempotency, {}, ctx())).toBe('m-1');
    const event = {
      id: 'e-1',
      source: 'aws.scheduler',
      detailType: 'Scheduled Event',
      time: new Date(0),
      resources: [],
    };
    expect(idempotencyKey(idempotency, {}, ctx({ event }))).toBe('e-1');
  });

  it('is what the job’s key function returns, from the payload and the context', () => {
    const idempotency = {
      key: ((p: { orderId: string }, c: JobContext) => `${p.orderId}/${c.messageId}`) as never,
      ttlSeconds: 60,
    };
    expect(idempotencyKey(idempotency, { orderId: 'o-7' }, ctx())).toBe('o-7/m-1');
  });

  it('is a permanent failure when the key function returns anything but a non-empty string', () => {
    const idempotency = { key: (() => 42) as never, ttlSeconds: 60 };
    expect(() => idempotencyKey(idempotency, {}, ctx())).toThrow(InvalidIdempotencyKeyError);
    expect(() => idempotencyKey(idempotency, {}, ctx())).toThrow(
      'the idempotency key function returned 42; allowed: a non-empty string',
    );
  });
});
