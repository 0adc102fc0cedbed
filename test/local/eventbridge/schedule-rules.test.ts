import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../../core/define-job.ts';
import type { JobDefinition } from '../../../core/job.ts';
import { LOCAL_ENVIRONMENT } from '../../../core/local-environment.ts';
import {
  type EventBridgeEvent,
  eventTime,
  ruleTargetBody,
  scheduledEvent,
} from '../../../core/messages.ts';
import { planApp } from '../../../core/plan.ts';
import { MAX_TIMER_DELAY_MS, scaledClock } from '../../../local/clock.ts';
import { type LocalRule, RuleRegistry } from '../../../local/eventbridge/rules.ts';
import {
  type SchedulerOptions,
  startScheduler,
} from '../../../local/eventbridge/schedule-rules.ts';
import { FakeClock } from '../fake-clock.ts';

function scheduledJob(schedule: string): JobDefinition {
  return defineJob({ name: 'report', schema: z.object({}), handler: async () => {}, schedule });
}

const eventJob = defineJob({
  name: 'on-order',
  schema: z.object({}),
  handler: async () => {},
  events: { source: ['shop'] },
});

/** Starts a scheduler for one scheduled job (plus an event-driven one) on a fake clock. */
function start(schedule: string, startIso: string, options: Partial<SchedulerOptions> = {}) {
  const job = scheduledJob(schedule);
  const rules = new RuleRegistry(planApp([job, eventJob], { stackName: 'app' }));
  const rule = rules.forJob(job.name)[0] as LocalRule;
  const clock = new FakeClock(startIso);
  const bodies: string[] = [];
  const deliveredTo: JobDefinition[] = [];
  const scheduler = startScheduler({
    rules,
    clock,
    deliver: async (target, event) => {
      deliveredTo.push(target.job);
      bodies.push(ruleTargetBody(event));
    },
    ...options,
  });
  const times = () => bodies.map((body) => (JSON.parse(body) as EventBridgeEvent).time);
  return { job, rules, rule, clock, scheduler, bodies, deliveredTo, times };
}

/** Lets rejected deliveries reach onError. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('startScheduler', () => {
  it('fires a rate rule once per whole period since the Unix epoch, with the body its target delivers', () => {
    const { job, rule, clock, bodies, deliveredTo } = start(
      'rate(1 minute)',
      '2026-03-02T10:00:30.250Z',
    );

    clock.advanceTo('2026-03-02T10:00:59.999Z');
    expect(bodies).toEqual([]);
    clock.advanceTo('2026-03-02T10:03:00Z');

    const expectedInstants = ['10:01:00.000', '10:02:00.000', '10:03:00.000'];
    expect(bodies).toHaveLength(3);
    bodies.forEach((body, i) => {
      const parsed = JSON.parse(body) as EventBridgeEvent;
      const expected = scheduledEvent({
        id: parsed.id,
        time: new Date(`2026-03-02T${expectedInstants[i]}Z`),
        account: LOCAL_ENVIRONMENT.account,
        region: LOCAL_ENVIRONMENT.region,
        ruleArn: rule.arn,
      });
      expect(parsed).toEqual(expected);
      expect(body).toBe(ruleTargetBody(expected));
      expect(parsed.time).toBe(`2026-03-02T${expectedInstants[i]?.slice(0, 8)}Z`);
      expect(parsed.resources).toEqual([rule.arn]);
      expect(parsed.detail).toEqual({});
    });
    expect(new Set(bodies.map((body) => JSON.parse(body).id)).size).toBe(3);
    expect(deliveredTo).toEqual([job, job, job]);
  });

  it('fires cron(0/5 * * * ? *) on the five-minute marks in UTC', () => {
    const { clock, times } = start('cron(0/5 * * * ? *)', '2026-03-02T10:02:30Z');

    clock.advanceTo('2026-03-02T10:15:00Z');

    expect(times()).toEqual([
      '2026-03-02T10:05:00Z',
      '2026-03-02T10:10:00Z',
      '2026-03-02T10:15:00Z',
    ]);
  });

  it.each([
    [
      'cron(30 23 L * ? *)',
      '2026-02-10T00:00:00Z',
      ['2026-02-28T23:30:00Z', '2026-03-31T23:30:00Z', '2026-04-30T23:30:00Z'],
    ],
    [
      'cron(0 9 ? * 6#3 *)',
      '2026-01-05T00:00:00Z',
      ['2026-01-16T09:00:00Z', '2026-02-20T09:00:00Z', '2026-03-20T09:00:00Z'],
    ],
  ])(
    'fires %s from %s at %j, chaining timers no longer than setTimeout allows',
    (schedule, from, expected) => {
      const { clock, times } = start(schedule, from);

      clock.advanceTo(expected.at(-1) as string);

      expect(times()).toEqual(expected);
      expect(Math.max(...clock.delaysMs)).toBe(MAX_TIMER_DELAY_MS);
    },
  );

  it('does not replay ticks missed in a stall: fires once, then resumes from the next time after now', () => {
    const { clock, scheduler, rule, times } = start('rate(1 minute)', '2026-03-02T10:00:00Z');
    clock.advanceTo('2026-03-02T10:01:00Z');

    clock.stallUntil('2026-03-02T10:11:20Z');

    expect(times()).toEqual(['2026-03-02T10:01:00Z', '2026-03-02T10:02:00Z']);
    expect(scheduler.nextFireTime(rule.name)).toEqual(new Date('2026-03-02T10:12:00Z'));
    clock.advanceTo('2026-03-02T10:13:00Z');
    expect(times().slice(2)).toEqual(['2026-03-02T10:12:00Z', '2026-03-02T10:13:00Z']);
  });

  it('starts counting from now, without replaying times that passed before it started', () => {
    const { clock, times } = start('cron(0/5 * * * ? *)', '2026-03-02T10:09:59Z');

    clock.advanceTo('2026-03-02T10:10:00Z');

    expect(times()).toEqual(['2026-03-02T10:10:00Z']);
  });

  it('skips the ticks of a disabled rule and fires the next ones after it is enabled again', () => {
    const { clock, scheduler, rule, times } = start('rate(1 minute)', '2026-03-02T10:00:00Z');

    rule.state = 'DISABLED';
    clock.advanceTo('2026-03-02T10:03:00Z');
    expect(times()).toEqual([]);
    expect(scheduler.nextFireTime(rule.name)).toEqual(new Date('2026-03-02T10:04:00Z'));

    rule.state = 'ENABLED';
    clock.advanceTo('2026-03-02T10:05:00Z');
    expect(times()).toEqual(['2026-03-02T10:04:00Z', '2026-03-02T10:05:00Z']);
  });

  it('delivers nothing after stop() and leaves no timer behind', () => {
    const { clock, scheduler, rule, bodies } = start('rate(1 minute)', '2026-03-02T10:00:00Z');
    clock.advanceTo('2026-03-02T10:01:00Z');

    scheduler.stop();
    clock.advanceTo('2026-03-02T11:00:00Z');

    expect(bodies).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
    expect(scheduler.nextFireTime(rule.name)).toBeUndefined();
  });

  it('reports a rejected delivery to onError and keeps scheduling the next ticks', async () => {
    const onError = vi.fn();
    const deliver = vi
      .fn<SchedulerOptions['deliver']>()
      .mockRejectedValueOnce(new Error('queue app--report is stopping'))
      .mockResolvedValue(undefined);
    const { clock, rule } = start('rate(1 minute)', '2026-03-02T10:00:00Z', { deliver, onError });

    clock.advanceTo('2026-03-02T10:03:00Z');
    await settle();

    expect(deliver).toHaveBeenCalledTimes(3);
    expect(onError.mock.calls).toEqual([[rule, new Error('queue app--report is stopping')]]);
  });

  it('reports a delivery that throws before returning a promise, like one that rejects', async () => {
    const onError = vi.fn();
    const deliver = vi.fn<SchedulerOptions['deliver']>().mockImplementationOnce(() => {
      throw new Error('queue app--report is gone');
    });
    const { clock, rule } = start('rate(1 minute)', '2026-03-02T10:00:00Z', { deliver, onError });

    clock.advanceTo('2026-03-02T10:02:00Z');
    await settle();

    expect(deliver).toHaveBeenCalledTimes(2);
    expect(onError.mock.calls).toEqual([[rule, new Error('queue app--report is gone')]]);
  });

  it('calls onFire with each event it sends', () => {
    const onFire = vi.fn();
    const { clock, rule, bodies } = start('rate(5 minutes)', '2026-03-02T10:00:00Z', { onFire });

    clock.advanceTo('2026-03-02T10:10:00Z');

    expect(onFire.mock.calls.map(([r]) => r)).toEqual([rule, rule]);
    expect(onFire.mock.calls.map(([, event]) => ruleTargetBody(event))).toEqual(bodies);
  });

  it('reports the upcoming fire time of a schedule rule, and none for other rules', () => {
    const { clock, scheduler, rule, rules } = start('cron(0/5 * * * ? *)', '2026-03-02T10:07:10Z');
    const eventRule = rules.forJob(eventJob.name)[0] as LocalRule;

    expect(scheduler.nextFireTime(rule.name)).toEqual(new Date('2026-03-02T10:10:00Z'));
    clock.advanceTo('2026-03-02T10:10:00Z');
    expect(scheduler.nextFireTime(rule.name)).toEqual(new Date('2026-03-02T10:15:00Z'));
    expect(scheduler.nextFireTime(eventRule.name)).toBeUndefined();
    expect(scheduler.nextFireTime('no-such-rule')).toBeUndefined();
    expect(clock.pendingTimers).toBe(1);
  });

  it('fires rate(1 minute) about every 100 ms of real time on scaledClock(600)', async () => {
    const rules = new RuleRegistry(planApp([scheduledJob('rate(1 minute)')], { stackName: 'app' }));
    const firedAtMs: number[] = [];
    const events: EventBridgeEvent[] = [];
    const startedAtMs = performance.now();
    // Started on a whole minute, so that the first tick is one whole period away.
    const scheduler = startScheduler({
      rules,
      clock: scaledClock(600, Math.floor(Date.now() / 60_000) * 60_000),
      deliver: async () => {},
      onFire: (_rule, event) => {
        firedAtMs.push(performance.now() - startedAtMs);
        events.push(event);
      },
    });
    const first = scheduler.nextFireTime(rules.all()[0]?.name ?? '') as Date;

    try {
      await vi.waitFor(() => expect(events.length).toBeGreaterThanOrEqual(3), {
        timeout: 1_200,
        interval: 10,
      });
    } finally {
      scheduler.stop();
    }

    expect(events.slice(0, 3).map((event) => event.time)).toEqual(
      [0, 1, 2].map((i) => eventTime(new Date(first.getTime() + i * 60_000))),
    );
    expect(firedAtMs[0]).toBeGreaterThanOrEqual(95);
    expect(firedAtMs[2]).toBeGreaterThanOrEqual(295);
    expect(firedAtMs[2]).toBeLessThan(1_200);
  });
});

describe('scaledClock', () => {
  it('starts at the given time and runs scale times faster than real time', async () => {
    const clock = scaledClock(1_000, Date.parse('2026-01-01T00:00:00Z'));

    await new Promise((resolve) => setTimeout(resolve, 20));

    const elapsedMs = clock.now() - Date.parse('2026-01-01T00:00:00Z');
    expect(elapsedMs).toBeGreaterThanOrEqual(19_000);
    expect(elapsedMs).toBeLessThan(200_000);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects a scale of %s', (scale) => {
    expect(() => scaledClock(scale)).toThrow(`scale is ${scale}; allowed: a finite number above 0`);
  });
});
