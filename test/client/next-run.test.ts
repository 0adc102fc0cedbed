import {
  DescribeRuleCommand,
  EventBridgeClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createContext } from '../../client/context.ts';
import { decideNextRun, nextRunText } from '../../client/next-run.ts';
import { readSchedules, zonedRunText } from '../../client/schedule-status.ts';
import { defineJob } from '../../core/define-job.ts';
import { parseSchedule } from '../../core/schedule.ts';
import type { ScheduleTiming } from '../../core/schedule-runs.ts';

/** A rule's timing: UTC, no dates. */
function schedule(expression: string): ScheduleTiming {
  const parsed = parseSchedule(expression);
  if (!parsed.schedule) throw new Error(parsed.problems.join('; '));
  return { parsed: parsed.schedule, timeZone: 'UTC', startDate: undefined, endDate: undefined };
}

const NOW = new Date('2026-03-02T10:02:10Z');

describe('decideNextRun', () => {
  it('gives a rate the next whole period since the Unix epoch where the phase is known (the local scheduler)', () => {
    expect(decideNextRun(schedule('rate(5 minutes)'), 'ENABLED', NOW, true)).toEqual({
      kind: 'at',
      at: new Date('2026-03-02T10:05:00Z'),
    });
    expect(decideNextRun(schedule('rate(1 day)'), 'ENABLED', NOW, true)).toEqual({
      kind: 'at',
      at: new Date('2026-03-03T00:00:00Z'),
    });
  });

  it('gives a rate on AWS only its interval: its phase is set by the rule creation, which no API returns', () => {
    expect(decideNextRun(schedule('rate(5 minutes)'), 'ENABLED', NOW, false)).toEqual({
      kind: 'every',
      rate: '5 minutes',
    });
  });

  it('gives a cron its exact next time, on AWS as locally', () => {
    const expected = { kind: 'at', at: new Date('2026-03-02T12:00:00Z') };
    expect(decideNextRun(schedule('cron(0 12 * * ? *)'), 'ENABLED', NOW, false)).toEqual(expected);
    expect(decideNextRun(schedule('cron(0 12 * * ? *)'), 'ENABLED', NOW, true)).toEqual(expected);
  });

  it('gives a disabled rule no next run', () => {
    expect(decideNextRun(schedule('rate(5 minutes)'), 'DISABLED', NOW, true)).toEqual({
      kind: 'disabled',
    });
    expect(decideNextRun(schedule('cron(0 12 * * ? *)'), 'DISABLED', NOW, false)).toEqual({
      kind: 'disabled',
    });
  });

  it('says never for a cron whose last year has passed', () => {
    const lastYear = schedule('cron(0 12 1 1 ? 2099)');
    expect(decideNextRun(lastYear, 'ENABLED', new Date('2100-01-01T00:00:00Z'), true)).toEqual({
      kind: 'never',
    });
  });
});

describe('nextRunText', () => {
  it('shows an instant in 24-hour UTC with the zone, the date only when not today, and how far away', () => {
    const at = new Date('2026-03-02T14:05:00Z');
    expect(nextRunText({ kind: 'at', at }, NOW)).toBe('14:05:00 UTC (in 4 h 2 min)');
    expect(nextRunText({ kind: 'at', at }, new Date('2026-03-01T23:59:00Z'))).toBe(
      '2026-03-02 14:05:00 UTC (in 14 h 6 min)',
    );
  });

  it('says what is known when no instant is', () => {
    expect(nextRunText({ kind: 'every', rate: '5 minutes' })).toBe('every 5 minutes');
    expect(nextRunText({ kind: 'disabled' })).toBe('none: rule disabled');
    expect(nextRunText({ kind: 'never' })).toBe('never');
    expect(nextRunText(undefined)).toBe('-');
  });
});

describe('readSchedules', () => {
  const eventBridge = mockClient(EventBridgeClient);
  const scheduler = mockClient(SchedulerClient);
  afterEach(() => {
    eventBridge.reset();
    scheduler.reset();
  });

  const job = defineJob({
    name: 'digest',
    schema: z.object({}),
    handler: async () => {},
    schedule: 'rate(5 minutes)',
  });
  const zoned = defineJob({
    name: 'letters',
    schema: z.object({}),
    handler: async () => {},
    schedule: { expression: 'cron(0 9 ? * MON-FRI *)', timeZone: 'Europe/Berlin' },
  });
  const onDemand = defineJob({ name: 'resize', schema: z.object({}), handler: async () => {} });
  const contextAt = (endpoint: string) =>
    createContext({
      jobs: [job, zoned, onDemand],
      stackName: 'shop',
      sqs: new SQSClient({ region: 'us-east-1' }),
      eventBridge: new EventBridgeClient({ region: 'us-east-1', endpoint }),
      lambda: new LambdaClient({ region: 'us-east-1' }),
      scheduler: new SchedulerClient({ region: 'us-east-1', endpoint }),
    });
  const read = (endpoint: string, name: string) => {
    const ctx = contextAt(endpoint);
    return readSchedules(ctx, ctx.plan(name), NOW);
  };

  it("reads the schedule rule's state with DescribeRule on the default bus", async () => {
    eventBridge.on(DescribeRuleCommand).resolves({ State: 'DISABLED' });

    const [next] = await read('https://events.us-east-1.amazonaws.com', 'digest');

    expect(next?.nextRun).toEqual({ kind: 'disabled' });
    expect(eventBridge.commandCalls(DescribeRuleCommand)[0]?.args[0].input).toEqual({
      Name: 'shop--digest--schedule',
      EventBusName: 'default',
    });
  });

  it('gives a rate its instant against the local runtime, and its interval on AWS', async () => {
    eventBridge.on(DescribeRuleCommand).resolves({ State: 'ENABLED' });

    expect((await read('http://127.0.0.1:9325', 'digest'))[0]?.nextRun).toEqual({
      kind: 'at',
      at: new Date('2026-03-02T10:05:00Z'),
    });
    expect((await read('https://events.us-east-1.amazonaws.com', 'digest'))[0]?.nextRun).toEqual({
      kind: 'every',
      rate: '5 minutes',
    });
  });

  it("reads a Scheduler schedule's state with GetSchedule, and its next run in its zone", async () => {
    scheduler.on(GetScheduleCommand).resolves({ State: 'ENABLED' });
    const [berlin] = await read('https://events.us-east-1.amazonaws.com', 'letters');
    expect(berlin).toEqual({
      name: 'letters--schedule',
      service: 'scheduler',
      expression: 'cron(0 9 ? * MON-FRI *)',
      timeZone: 'Europe/Berlin',
      state: 'ENABLED',
      // Monday 2 March 2026, 10:02 UTC: the next 09:00 in Berlin is Tuesday's, 08:00 UTC.
      nextRun: { kind: 'at', at: new Date('2026-03-03T08:00:00Z') },
    });
    expect(scheduler.commandCalls(GetScheduleCommand)[0]?.args[0].input).toEqual({
      Name: 'letters--schedule',
      GroupName: 'shop--schedules',
    });
    scheduler.on(GetScheduleCommand).resolves({ State: 'DISABLED' });
    expect((await read('http://127.0.0.1:9325', 'letters'))[0]?.nextRun).toEqual({
      kind: 'disabled',
    });
  });

  it('asks nothing for a job without a schedule', async () => {
    expect(await read('http://127.0.0.1:9325', 'resize')).toEqual([]);
    expect(eventBridge.commandCalls(DescribeRuleCommand)).toHaveLength(0);
    expect(scheduler.calls()).toHaveLength(0);
  });

  it('lets a rule that cannot be read fail, so that status reports it', async () => {
    eventBridge.on(DescribeRuleCommand).rejects(
      new ResourceNotFoundException({
        message: 'Rule shop-digest-schedule does not exist.',
        $metadata: {},
      }),
    );

    await expect(read('http://127.0.0.1:9325', 'digest')).rejects.toThrow(
      'Rule shop-digest-schedule does not exist.',
    );
  });
});

describe('zonedRunText', () => {
  it('shows a run on the wall clock of its zone and in UTC, or in UTC alone', () => {
    const at = new Date('2026-03-03T08:00:00Z');
    expect(zonedRunText(at, 'Europe/Berlin', NOW)).toBe(
      '2026-03-03 09:00:00 Europe/Berlin (2026-03-03 08:00:00 UTC, in 21 h 57 min)',
    );
    expect(zonedRunText(at, 'UTC', NOW)).toBe('2026-03-03 08:00:00 UTC (in 21 h 57 min)');
  });
});
