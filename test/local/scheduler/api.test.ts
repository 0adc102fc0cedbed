import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../../core/define-job.ts';
import { FakeClock } from '../fake-clock.ts';
import { type SchedulerFixture, startSchedulerFixture } from './harness.ts';

const digest = defineJob({
  name: 'digest',
  schema: z.object({ kind: z.string().default('daily') }),
  handler: () => {},
  schedule: {
    expression: 'cron(0 9 ? * MON-FRI *)',
    timeZone: 'Europe/Berlin',
    payload: { kind: 'weekday' },
  },
});

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:bgjobs--digest';
const ROLE_ARN = 'arn:aws:iam::000000000000:role/bgjobs--scheduler';

function oneTime(name: string, extra: Partial<CreateScheduleCommandInput> = {}) {
  return new CreateScheduleCommand({
    Name: name,
    GroupName: 'bgjobs--schedules',
    ScheduleExpression: 'at(2027-01-04T09:00:00)',
    ScheduleExpressionTimezone: 'Europe/Berlin',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: QUEUE_ARN, RoleArn: ROLE_ARN, Input: '{"kind":"once"}' },
    ...extra,
  });
}

let fixture: SchedulerFixture;
beforeAll(async () => {
  fixture = await startSchedulerFixture([digest], new FakeClock('2026-12-01T12:00:00Z'));
});
afterAll(() => fixture?.stop());

describe('the local Scheduler API, through @aws-sdk/client-scheduler', () => {
  it("creates the app's group and the plan's recurring schedule at start, as the stack would", async () => {
    const group = await fixture.client.send(
      new GetScheduleGroupCommand({ Name: 'bgjobs--schedules' }),
    );
    expect(group).toMatchObject({
      Name: 'bgjobs--schedules',
      State: 'ACTIVE',
      Arn: 'arn:aws:scheduler:us-east-1:000000000000:schedule-group/bgjobs--schedules',
    });
    const schedule = await fixture.client.send(
      new GetScheduleCommand({ Name: 'digest--schedule', GroupName: 'bgjobs--schedules' }),
    );
    expect(schedule).toMatchObject({
      ScheduleExpression: 'cron(0 9 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'NONE',
      Target: {
        Arn: QUEUE_ARN,
        RoleArn: ROLE_ARN,
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:bgjobs--digest--rule-dlq' },
      },
    });
    expect(JSON.parse(schedule.Target?.Input ?? '')).toMatchObject({
      source: 'aws.scheduler',
      'detail-type': 'Scheduled Event',
      time: '<aws.scheduler.scheduled-time>',
      detail: { kind: 'weekday' },
    });
    expect(schedule.CreationDate).toBeInstanceOf(Date);
  });

  it('creates, reads, lists, updates and deletes a schedule, dates and all', async () => {
    const created = await fixture.client.send(
      oneTime('crud', {
        StartDate: new Date('2026-12-02T00:00:00Z'),
        EndDate: new Date('2027-12-31T00:00:00Z'),
        ActionAfterCompletion: 'DELETE',
      }),
    );
    expect(created.ScheduleArn).toBe(
      'arn:aws:scheduler:us-east-1:000000000000:schedule/bgjobs--schedules/crud',
    );
    const read = await fixture.client.send(
      new GetScheduleCommand({ Name: 'crud', GroupName: 'bgjobs--schedules' }),
    );
    expect(read.StartDate?.toISOString()).toBe('2026-12-02T00:00:00.000Z');
    expect(read.ActionAfterCompletion).toBe('DELETE');

    await fixture.client.send(
      new UpdateScheduleCommand({
        Name: 'crud',
        GroupName: 'bgjobs--schedules',
        ScheduleExpression: 'rate(5 minutes)',
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 3 },
        State: 'DISABLED',
        Target: { Arn: QUEUE_ARN, RoleArn: ROLE_ARN },
      }),
    );
    const updated = await fixture.client.send(
      new GetScheduleCommand({ Name: 'crud', GroupName: 'bgjobs--schedules' }),
    );
    // UpdateSchedule replaces the whole schedule: what it left out takes its default.
    expect(updated).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'DISABLED',
      ActionAfterCompletion: 'NONE',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 3 },
    });
    expect(updated.StartDate).toBeUndefined();

    const listed = await fixture.client.send(
      new ListSchedulesCommand({ GroupName: 'bgjobs--schedules', NamePrefix: 'cr' }),
    );
    expect(listed.Schedules?.map((s) => [s.Name, s.State, s.Target?.Arn])).toEqual([
      ['crud', 'DISABLED', QUEUE_ARN],
    ]);
    await fixture.client.send(
      new DeleteScheduleCommand({ Name: 'crud', GroupName: 'bgjobs--schedules' }),
    );
    await expect(
      fixture.client.send(new GetScheduleCommand({ Name: 'crud', GroupName: 'bgjobs--schedules' })),
    ).rejects.toThrow(ResourceNotFoundException);
  });

  it('pages ListSchedules with MaxResults and NextToken', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) await fixture.client.send(oneTime(name));
    const first = await fixture.client.send(
      new ListSchedulesCommand({ NamePrefix: 'page-', MaxResults: 2 }),
    );
    const second = await fixture.client.send(
      new ListSchedulesCommand({ NamePrefix: 'page-', MaxResults: 2, NextToken: first.NextToken }),
    );
    expect([first.Schedules?.map((s) => s.Name), second.Schedules?.map((s) => s.Name)]).toEqual([
      ['page-a', 'page-b'],
      ['page-c'],
    ]);
    expect(second.NextToken).toBeUndefined();
  });

  it('refuses what Scheduler refuses, with its error codes and the field named', async () => {
    await fixture.client.send(oneTime('taken'));
    await expect(fixture.client.send(oneTime('taken'))).rejects.toThrow(ConflictException);
    const lost = await fixture.client
      .send(oneTime('lost', { GroupName: 'no-such-group' }))
      .catch((e: Error) => e);
    expect(lost).toBeInstanceOf(ResourceNotFoundException);
    expect((lost as Error).message).toBe('Schedule group no-such-group does not exist.');
    const badName = await fixture.client.send(oneTime('bad[name]')).catch((e: Error) => e);
    expect(badName).toBeInstanceOf(ValidationException);
    expect((badName as Error).message).toBe(
      'Name is "bad[name]"; allowed: 1 to 64 of 0-9 a-z A-Z - _ .',
    );
    const refused = async (input: Partial<CreateScheduleCommandInput>) => {
      const error = await fixture.client.send(oneTime('bad', input)).catch((e: Error) => e);
      expect(error).toBeInstanceOf(ValidationException);
      return (error as Error).message;
    };
    expect(await refused({ ScheduleExpression: 'every day' })).toMatch(
      /^ScheduleExpression is "every day"; allowed:/,
    );
    expect(await refused({ ScheduleExpressionTimezone: 'Mars/Olympus' })).toMatch(
      /^ScheduleExpressionTimezone is "Mars\/Olympus"/,
    );
    expect(await refused({ FlexibleTimeWindow: { Mode: 'FLEXIBLE' } })).toMatch(
      /MaximumWindowInMinutes is missing; allowed: an integer from 1 to 1440/,
    );
    expect(
      await refused({
        Target: { Arn: QUEUE_ARN, RoleArn: ROLE_ARN, RetryPolicy: { MaximumRetryAttempts: 186 } },
      }),
    ).toMatch(/MaximumRetryAttempts is 186; allowed: an integer from 0 to 185/);
    expect(await refused({ Target: { Arn: QUEUE_ARN, RoleArn: 'admin' } })).toMatch(
      /^Target.RoleArn is "admin"/,
    );
    expect(
      await refused({
        Target: { Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f', RoleArn: ROLE_ARN },
      }),
    ).toMatch(/SQS targets only/);
    expect(
      await refused({
        Target: {
          Arn: QUEUE_ARN,
          RoleArn: ROLE_ARN,
          DeadLetterConfig: { Arn: `${QUEUE_ARN}.fifo` },
        },
      }),
    ).toMatch(/standard SQS queue \(no FIFO\)/);
    expect(
      await refused({
        StartDate: new Date('2027-01-02T00:00:00Z'),
        EndDate: new Date('2027-01-01T00:00:00Z'),
      }),
    ).toMatch(/^EndDate is .*; allowed: after StartDate/);
    await expect(
      fixture.client.send(new UpdateScheduleCommand({ ...oneTime('never-made').input })),
    ).rejects.toThrow(ResourceNotFoundException);
  });

  it('creates, lists and deletes schedule groups; deleting one deletes its schedules, never the default', async () => {
    await fixture.client.send(new CreateScheduleGroupCommand({ Name: 'team' }));
    await expect(
      fixture.client.send(new CreateScheduleGroupCommand({ Name: 'team' })),
    ).rejects.toThrow(ConflictException);
    await fixture.client.send(oneTime('in-team', { GroupName: 'team' }));
    const groups = await fixture.client.send(new ListScheduleGroupsCommand({}));
    expect(groups.ScheduleGroups?.map((g) => g.Name)).toEqual([
      'bgjobs--schedules',
      'default',
      'team',
    ]);
    await fixture.client.send(new DeleteScheduleGroupCommand({ Name: 'team' }));
    await expect(
      fixture.client.send(new GetScheduleCommand({ Name: 'in-team', GroupName: 'team' })),
    ).rejects.toThrow(ResourceNotFoundException);
    await expect(
      fixture.client.send(new DeleteScheduleGroupCommand({ Name: 'default' })),
    ).rejects.toThrow(ValidationException);
  });
});

// Each aws call starts a Python process: slow on a busy machine.
describe('the local Scheduler API, through the AWS CLI', { timeout: 90_000 }, () => {
  const aws = (args: string[]) =>
    promisify(execFile)(
      'aws',
      ['scheduler', ...args, '--endpoint-url', fixture.scheduler.endpoint, '--output', 'json'],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_PROFILE: undefined,
          AWS_SESSION_TOKEN: undefined,
        },
      },
    );

  it('creates, gets and lists a schedule with aws scheduler', async () => {
    const created = await aws([
      'create-schedule',
      '--name',
      'from-cli',
      '--group-name',
      'bgjobs--schedules',
      '--schedule-expression',
      'cron(30 7 * * ? *)',
      '--schedule-expression-timezone',
      'America/New_York',
      '--start-date',
      '2027-01-01T00:00:00Z',
      '--flexible-time-window',
      '{"Mode":"OFF"}',
      '--target',
      JSON.stringify({ Arn: QUEUE_ARN, RoleArn: ROLE_ARN, Input: '{"kind":"cli"}' }),
    ]);
    expect(JSON.parse(created.stdout).ScheduleArn).toMatch(
      /schedule\/bgjobs--schedules\/from-cli$/,
    );
    const got = JSON.parse(
      (await aws(['get-schedule', '--name', 'from-cli', '--group-name', 'bgjobs--schedules']))
        .stdout,
    );
    expect(got).toMatchObject({
      Name: 'from-cli',
      ScheduleExpressionTimezone: 'America/New_York',
      Target: { Input: '{"kind":"cli"}' },
    });
    // AWS CLI v1 prints the timestamp as it travels: epoch seconds.
    expect(new Date(got.StartDate * 1000).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    const listed = JSON.parse((await aws(['list-schedules', '--name-prefix', 'from-'])).stdout);
    expect(listed.Schedules.map((s: { Name: string }) => s.Name)).toEqual(['from-cli']);
  });

  it('reports an unknown schedule as ResourceNotFoundException', async () => {
    const failed = await aws(['get-schedule', '--name', 'nothing-here']).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect((failed as { stderr: string }).stderr).toMatch(
      /ResourceNotFoundException.*Schedule nothing-here does not exist/,
    );
  });
});
