import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import { InvalidJobDefinitionError } from '../../core/errors.ts';

const base = { name: 'send-email', schema: z.object({ to: z.string() }), handler: async () => {} };

function violationsOf(spec: Record<string, unknown>): readonly string[] {
  try {
    defineJob({ ...base, ...spec } as Parameters<typeof defineJob>[0]);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidJobDefinitionError);
    return (error as InvalidJobDefinitionError).violations;
  }
  throw new Error('expected defineJob to throw');
}

describe('defineJob', () => {
  it('fills every setting with its documented default', () => {
    const job = defineJob(base);
    expect(job.settings).toEqual({
      timeoutSeconds: 30,
      memoryMB: 256,
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
      maxConcurrency: 5,
      recordConcurrency: 1,
      maxReceiveCount: 5,
      backoff: { baseSeconds: 10, capSeconds: 900, jitter: 'full' },
      fifo: undefined,
      retentionDays: 4,
      maxAgeSeconds: 900,
      maxBacklog: undefined,
      visibilityTimeoutSeconds: 180,
    });
    expect(job.schedules).toEqual([]);
    expect(job.events).toBeUndefined();
  });

  it('derives the visibility timeout as six times the function timeout', () => {
    expect(defineJob({ ...base, timeoutSeconds: 100 }).settings.visibilityTimeoutSeconds).toBe(600);
  });

  it('lets an override raise the visibility timeout but not lower it', () => {
    const raised = defineJob({ ...base, timeoutSeconds: 10, visibilityTimeoutSeconds: 3600 });
    expect(raised.settings.visibilityTimeoutSeconds).toBe(3600);
    expect(violationsOf({ timeoutSeconds: 10, visibilityTimeoutSeconds: 59 })).toEqual([
      'visibilityTimeoutSeconds is 59; allowed: at least 60 (6 x timeoutSeconds 10 + maxBatchingWindowSeconds 0); an override may only raise it',
    ]);
  });

  it('reports every violation at once, naming the setting, the value and what is allowed', () => {
    const violations = violationsOf({
      timeoutSeconds: 901,
      memoryMB: 64,
      maxConcurrency: 1,
      maxReceiveCount: 0.5,
      retentionDays: 15,
      batchSize: 'ten',
    });
    expect(violations).toEqual(
      expect.arrayContaining([
        'timeoutSeconds is 901; allowed: an integer from 1 to 900',
        'memoryMB is 64; allowed: an integer from 128 to 10240',
        'maxConcurrency is 1; allowed: an integer from 2 to 1000',
        'maxReceiveCount is 0.5; allowed: an integer from 1 to 1000',
        'retentionDays is 15; allowed: an integer from 1 to 13',
        'batchSize is "ten"; allowed: an integer from 1 to 10000',
      ]),
    );
    expect(violations).toHaveLength(6);
  });

  it('names the job in the error message', () => {
    expect(() => defineJob({ ...base, timeoutSeconds: 0 })).toThrow(
      /Invalid job definition "send-email":\n {2}- timeoutSeconds is 0; allowed: an integer from 1 to 900/,
    );
  });

  it('rejects an unknown setting, listing the known ones', () => {
    const [violation] = violationsOf({ timeoutSecond: 5 });
    expect(violation).toMatch(/^unknown setting "timeoutSecond"; known: timeoutSeconds, memoryMB/);
  });

  it('validates nested backoff settings and their relation', () => {
    expect(violationsOf({ backoff: { baseSeconds: -1, jitter: 'some' } })).toEqual([
      'backoff.baseSeconds is -1; allowed: an integer from 0 to 43200',
      'backoff.jitter is "some"; allowed: one of "full", "equal", "none"',
    ]);
    expect(violationsOf({ backoff: { baseSeconds: 60, capSeconds: 30 } })).toEqual([
      'backoff.baseSeconds is 60; allowed: at most backoff.capSeconds (30)',
    ]);
  });

  it('requires a batching window of at least 1 s for batches over 10', () => {
    expect(violationsOf({ batchSize: 100 })).toEqual([
      'maxBatchingWindowSeconds is 0; allowed: at least 1 when batchSize (100) is over 10',
    ]);
    expect(
      defineJob({ ...base, batchSize: 100, maxBatchingWindowSeconds: 1 }).settings.batchSize,
    ).toBe(100);
  });

  it('applies the FIFO limits of Lambda: batch of 10 at most and no window', () => {
    expect(violationsOf({ fifo: true, batchSize: 11, maxBatchingWindowSeconds: 2 })).toEqual([
      'batchSize is 11; allowed: at most 10 on a FIFO queue',
      'maxBatchingWindowSeconds is 2; allowed: 0 on a FIFO queue (Lambda has no batching window for FIFO)',
    ]);
  });

  it('normalises fifo: true to the default group and content-based deduplication', () => {
    expect(defineJob({ ...base, fifo: true }).settings.fifo).toEqual({
      groupIdField: undefined,
      defaultGroupId: 'default',
      contentBasedDeduplication: true,
    });
    expect(defineJob({ ...base, fifo: { groupIdField: 'to' } }).settings.fifo?.groupIdField).toBe(
      'to',
    );
  });

  it('requires content-based deduplication when a rule targets a FIFO queue', () => {
    expect(
      violationsOf({
        fifo: { contentBasedDeduplication: false },
        schedule: { expression: 'rate(1 hour)', payload: { to: 'ops@example.com' } },
      }),
    ).toEqual([
      'fifo.contentBasedDeduplication is false; allowed: true when a schedule or events rule targets the FIFO queue (EventBridge sends no deduplication id)',
    ]);
  });

  it('rejects names that SQS, Lambda or CloudFormation would not take', () => {
    for (const name of ['Send', '1job', 'send_email', 'send--email', 'send-', '', 'x'.repeat(41)]) {
      expect(violationsOf({ name })[0], name).toMatch(/^name is .*; allowed: lowercase letters/);
    }
    expect(defineJob({ ...base, name: 'a' }).name).toBe('a');
  });

  it('reports a missing schema and handler along with bad settings', () => {
    expect(violationsOf({ schema: undefined, handler: 'nope', timeoutSeconds: 0 })).toEqual([
      'schema must be a Standard Schema (zod, zod/mini, valibot, arktype...: an object with ~standard.validate)',
      'handler must be a function (payload, ctx) => Promise<void>',
      'timeoutSeconds is 0; allowed: an integer from 1 to 900',
    ]);
  });

  it('validates the schedule and the event pattern at definition time', () => {
    expect(violationsOf({ schedule: 'rate(5 minute)' })).toEqual([
      'schedule is "rate(5 minute)"; a value over 1 takes the plural unit "minutes"',
    ]);
    const [problem] = violationsOf({ events: { source: 'not-an-array' } });
    expect(problem).toMatch(/^events: source/);
  });

  it('checks the example payload against the schema', () => {
    expect(defineJob({ ...base, example: { to: 'a@b.c' } }).example).toEqual({ to: 'a@b.c' });
    expect(violationsOf({ example: { to: 5 } })).toEqual([
      'example does not match the schema: to: Invalid input: expected string, received number',
    ]);
  });

  it('refuses a schedule whose runs would all fail the schema (a rule sends {} as the payload)', () => {
    expect(violationsOf({ schedule: 'rate(1 hour)' })).toEqual([
      'schedule.payload does not match the schema: to: Invalid input: expected string, received undefined',
    ]);
  });

  it('returns a frozen definition', () => {
    const job = defineJob({ ...base, schema: z.object({}), schedule: 'cron(0 12 * * ? *)' });
    expect(Object.isFrozen(job)).toBe(true);
    expect(Object.isFrozen(job.settings.backoff)).toBe(true);
    expect(job.schedules[0]?.parsed.kind).toBe('cron');
  });
});
