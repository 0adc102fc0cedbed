import {
  CreateScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../../core/define-job.ts';
import { drain } from '../../e2e/harness.ts';
import { FakeClock } from '../fake-clock.ts';
import { type SchedulerFixture, startSchedulerFixture } from './harness.ts';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:bgjobs--digest';
const ROLE_ARN = 'arn:aws:iam::000000000000:role/bgjobs--scheduler';

const berlin = defineJob({
  name: 'digest',
  schema: z.object({}),
  handler: () => {},
  schedule: { expression: 'cron(0 9 ? * MON-FRI *)', timeZone: 'Europe/Berlin' },
});

/** The same job without a schedule: only the one-time runs a test creates reach its queue. */
const onDemand = defineJob({ name: 'digest', schema: z.object({}), handler: () => {} });

let fixture: SchedulerFixture | undefined;
async function start(...args: Parameters<typeof startSchedulerFixture>) {
  fixture = await startSchedulerFixture(...args);
  return fixture;
}
afterEach(async () => {
  await fixture?.stop();
  fixture = undefined;
});

async function bodies(
  f: SchedulerFixture,
  queue: 'queue' | 'ruleDeadLetterQueue' | 'deadLetterQueue' = 'queue',
) {
  const url = f.queues.get('digest')?.[queue]?.url ?? '';
  return drain(f.sqs.client, url);
}

describe('the local Scheduler runs schedules when Scheduler would', () => {
  it('runs 09:00 Europe/Berlin at 08:00 UTC in winter and 07:00 UTC in summer, across the change', async () => {
    const clock = new FakeClock('2027-03-25T12:00:00Z');
    const f = await start([berlin], clock);
    clock.advanceTo('2027-03-30T12:00:00Z');
    await f.settled(3);
    const events = (await bodies(f)).map((m) => JSON.parse(m.Body ?? ''));
    expect(events.map((e) => e.time).sort()).toEqual([
      '2027-03-26T08:00:00Z', // Friday, CET
      '2027-03-29T07:00:00Z', // Monday, CEST: clocks went forward on Sunday
      '2027-03-30T07:00:00Z',
    ]);
    // The input as Scheduler fills it in: its own ids and the schedule's ARN.
    expect(events[0]).toMatchObject({
      source: 'aws.scheduler',
      'detail-type': 'Scheduled Event',
      resources: [
        'arn:aws:scheduler:us-east-1:000000000000:schedule/bgjobs--schedules/digest--schedule',
      ],
      detail: {},
    });
    expect(events[0].id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('starts a run with a flexible window at the random point given, and stamps it with its scheduled time', async () => {
    const windowed = defineJob({
      name: 'digest',
      schema: z.object({}),
      handler: () => {},
      schedule: { expression: 'cron(0 6 * * ? *)', flexibleWindowMinutes: 30 },
    });
    const clock = new FakeClock('2027-01-01T00:00:00Z');
    const f = await start([windowed], clock, () => 0.5);
    clock.advanceTo('2027-01-01T06:14:59Z');
    expect(f.reports).toHaveLength(0);
    clock.advanceTo('2027-01-01T06:15:00Z');
    await f.settled(1);
    expect(JSON.parse((await bodies(f))[0]?.Body ?? '').time).toBe('2027-01-01T06:00:00Z');
  });

  it('deletes a one-time schedule after it ran with DELETE, and keeps it without running it again with NONE', async () => {
    const clock = new FakeClock('2027-01-04T07:00:00Z');
    const f = await start([onDemand], clock);
    const create = (name: string, action: 'DELETE' | 'NONE') =>
      f.client.send(
        new CreateScheduleCommand({
          Name: name,
          GroupName: 'bgjobs--schedules',
          ScheduleExpression: 'at(2027-01-04T08:30:00)',
          ScheduleExpressionTimezone: 'Europe/Berlin',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: action,
          Target: { Arn: QUEUE_ARN, RoleArn: ROLE_ARN, Input: `{"run":"${name}"}` },
        }),
      );
    await create('digest--run-deleted', 'DELETE');
    await create('digest--run-kept', 'NONE');
    clock.advanceTo('2027-01-04T07:29:59Z');
    expect(f.reports).toHaveLength(0);
    clock.advanceTo('2027-01-04T07:30:00Z'); // 08:30 in Berlin
    await f.settled(2);
    expect((await bodies(f)).map((m) => m.Body).sort()).toEqual([
      '{"run":"digest--run-deleted"}',
      '{"run":"digest--run-kept"}',
    ]);
    const get = (name: string) =>
      f.client.send(new GetScheduleCommand({ Name: name, GroupName: 'bgjobs--schedules' }));
    await expect(get('digest--run-deleted')).rejects.toThrow(ResourceNotFoundException);
    expect((await get('digest--run-kept')).State).toBe('ENABLED');
    expect(f.scheduler.pendingRuns(f.plan.job('digest'))).toBe(0);
    // Restarted later: the completed one does not run again.
    await f.restart(clock);
    clock.advanceTo('2027-01-05T00:00:00Z');
    expect(await bodies(f)).toEqual([]);
  });

  it('keeps a one-time schedule across a restart, and runs one that came due while stopped at start', async () => {
    const clock = new FakeClock('2027-01-01T00:00:00Z');
    const f = await start([onDemand], clock);
    await f.client.send(
      new CreateScheduleCommand({
        Name: 'digest--run-missed',
        GroupName: 'bgjobs--schedules',
        ScheduleExpression: 'at(2027-01-02T10:00:00)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: { Arn: QUEUE_ARN, RoleArn: ROLE_ARN, Input: '{"run":"missed"}' },
      }),
    );
    expect(f.scheduler.pendingRuns(f.plan.job('digest'))).toBe(1);
    // Stopped over its time, started again a day later.
    const later = new FakeClock('2027-01-03T00:00:00Z');
    await f.restart(later);
    later.advanceTo('2027-01-03T00:00:00Z'); // runs what is due now
    await f.settled(1);
    expect((await bodies(f)).map((m) => m.Body)).toEqual(['{"run":"missed"}']);
    expect(f.scheduler.pendingRuns(f.plan.job('digest'))).toBe(0);
  });

  it("puts a run it cannot deliver on its dead-letter queue, with Scheduler's attributes", async () => {
    const clock = new FakeClock('2027-01-01T00:00:00Z');
    const f = await start([berlin], clock);
    await f.client.send(
      new CreateScheduleCommand({
        Name: 'digest--run-nowhere',
        GroupName: 'bgjobs--schedules',
        ScheduleExpression: 'at(2027-01-01T00:10:00)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: 'arn:aws:sqs:us-east-1:000000000000:no-such-queue',
          RoleArn: ROLE_ARN,
          Input: '{"run":"nowhere"}',
          DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:bgjobs--digest--rule-dlq' },
        },
      }),
    );
    clock.advanceTo('2027-01-01T00:10:00Z');
    await f.settled(1);
    expect(f.reports[0]?.outcome).toBe('dead-lettered');
    const [dead] = await bodies(f, 'ruleDeadLetterQueue');
    expect(dead?.Body).toBe('{"run":"nowhere"}');
    const attribute = (name: string) => dead?.MessageAttributes?.[name]?.StringValue;
    expect({
      code: attribute('ERROR_CODE'),
      retries: attribute('RETRY_ATTEMPTS'),
      scheduled: attribute('SCHEDULED_TIME'),
      schedule: attribute('SCHEDULE_ARN'),
      target: attribute('TARGET_ARN'),
      truncated: attribute('IS_PAYLOAD_TRUNCATED'),
    }).toEqual({
      code: 'NO_RESOURCE',
      retries: '0',
      scheduled: '2027-01-01T00:10:00Z',
      schedule:
        'arn:aws:scheduler:us-east-1:000000000000:schedule/bgjobs--schedules/digest--run-nowhere',
      target: 'arn:aws:sqs:us-east-1:000000000000:no-such-queue',
      truncated: 'false',
    });
    expect(attribute('EXECUTION_ID')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('sends nothing while a schedule is disabled (pause), and runs again once enabled', async () => {
    const clock = new FakeClock('2027-01-04T06:00:00Z');
    const f = await start([berlin], clock);
    const job = f.plan.job('digest');
    f.scheduler.setEnabled(job, false);
    expect(f.scheduler.schedulesOf(job)[0]).toMatchObject({
      state: 'DISABLED',
      nextRun: undefined,
    });
    clock.advanceTo('2027-01-04T09:00:00Z');
    expect(f.reports).toHaveLength(0);
    f.scheduler.setEnabled(job, true);
    expect(f.scheduler.schedulesOf(job)[0]?.nextRun?.toISOString()).toBe(
      '2027-01-05T08:00:00.000Z',
    );
    clock.advanceTo('2027-01-05T08:00:00Z');
    await f.settled(1);
    expect(await bodies(f)).toHaveLength(1);
  });
});
