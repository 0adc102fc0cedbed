import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import { planApp } from '../../core/plan.ts';
import { parseSchedule } from '../../core/schedule.ts';
import { nextScheduleRun } from '../../core/schedule-runs.ts';
import { JobSchedules } from '../../infra/job-schedules.ts';
import { addNagChecks } from '../../infra/nag.ts';
import { SchedulerAccess } from '../../infra/scheduler-access.ts';
import { testApp } from './build.ts';

const digest = defineJob({
  name: 'digest',
  schema: z.object({ kind: z.string() }),
  handler: () => {},
  schedule: {
    expression: 'cron(0 9 ? * MON-FRI *)',
    timeZone: 'Europe/Berlin',
    flexibleWindowMinutes: 15,
    startDate: '2027-01-01T00:00:00Z',
    endDate: '2028-01-01T00:00:00Z',
    payload: { kind: 'weekday' },
  },
});
const ledger = defineJob({
  name: 'ledger',
  schema: z.object({}),
  handler: () => {},
  fifo: { defaultGroupId: 'books' },
  schedule: { expression: 'rate(1 minute)', timeZone: 'UTC', overlap: 'wait' },
});
const resize = defineJob({ name: 'resize', schema: z.object({}), handler: () => {} });

const ENV = { account: '123456789012', region: 'eu-central-1' };

/** A small stack with the constructs; synthesized only when the caller asks (cdk-nag runs then). */
function build(env: { account: string; region: string } | undefined = ENV) {
  const app = testApp();
  const plan = planApp([digest, ledger, resize]);
  const stack = new Stack(app, 'bgjobs', { env });
  new SchedulerAccess(stack, 'Scheduler', { app: plan });
  for (const job of plan.jobs) {
    new JobSchedules(stack, `Schedules-${job.name}`, { plan: job, app: plan });
  }
  return { app, stack };
}

/** The template with each Fn::Join of the partition and strings written out, as CloudFormation would. */
function written(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(written);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const join = record['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) {
    const parts = join[1].map((part) =>
      (part as { Ref?: string }).Ref === 'AWS::Partition' ? 'aws' : written(part),
    );
    if (parts.every((part) => typeof part === 'string')) return parts.join(join[0]);
  }
  return Object.fromEntries(Object.entries(record).map(([key, v]) => [key, written(v)]));
}

const synthesized = Template.fromStack(build().stack);
const template = Template.fromJSON(written(synthesized.toJSON()) as Record<string, unknown>);
const QUEUE = (name: string) => `arn:aws:sqs:eu-central-1:123456789012:${name}`;

describe('JobSchedules', () => {
  it("makes each Scheduler schedule of the plan, with its zone, window, dates and the job's queue as target", () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'digest--schedule',
      GroupName: 'bgjobs--schedules',
      ScheduleExpression: 'cron(0 9 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      StartDate: '2027-01-01T00:00:00.000Z',
      EndDate: '2028-01-01T00:00:00.000Z',
      State: 'ENABLED',
      Target: {
        Arn: QUEUE('bgjobs--digest'),
        RoleArn: 'arn:aws:iam::123456789012:role/bgjobs--scheduler',
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        DeadLetterConfig: { Arn: QUEUE('bgjobs--digest--rule-dlq') },
      },
    });
  });

  it('sends the EventBridge-shaped event with the payload and Scheduler context attributes', () => {
    const [schedule] = Object.values(
      template.findResources('AWS::Scheduler::Schedule', {
        Properties: { Name: 'digest--schedule' },
      }),
    );
    expect(JSON.parse(schedule?.Properties.Target.Input)).toEqual({
      version: '0',
      id: '<aws.scheduler.execution-id>',
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: '123456789012',
      time: '<aws.scheduler.scheduled-time>',
      region: 'eu-central-1',
      resources: ['<aws.scheduler.schedule-arn>'],
      detail: { kind: 'weekday' },
    });
  });

  it('runs 09:00 Europe/Berlin at 08:00 UTC in winter and 07:00 UTC in summer, as the template says it', () => {
    const [schedule] = Object.values(
      template.findResources('AWS::Scheduler::Schedule', {
        Properties: { Name: 'digest--schedule' },
      }),
    );
    const { ScheduleExpression, ScheduleExpressionTimezone } = schedule?.Properties ?? {};
    const timing = {
      parsed: parseSchedule(ScheduleExpression).schedule ?? (undefined as never),
      timeZone: ScheduleExpressionTimezone,
      startDate: undefined,
      endDate: undefined,
    };
    expect(nextScheduleRun(timing, new Date('2027-01-03T12:00:00Z'))?.toISOString()).toBe(
      '2027-01-04T08:00:00.000Z',
    );
    expect(nextScheduleRun(timing, new Date('2027-07-04T12:00:00Z'))?.toISOString()).toBe(
      '2027-07-05T07:00:00.000Z',
    );
  });

  it('gives a FIFO target its message group, and keeps a run one period at most', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'ledger--schedule',
      Target: Match.objectLike({
        Arn: QUEUE('bgjobs--ledger.fifo'),
        SqsParameters: { MessageGroupId: 'books' },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 60 },
      }),
    });
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
  });
});

describe('SchedulerAccess', () => {
  it("makes the app's schedule group", () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'bgjobs--schedules' });
  });

  it("lets only Scheduler, for this account's group, assume a role that may only send to the job queues and target dead-letter queues", () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'bgjobs--scheduler',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '123456789012' },
              ArnLike: {
                'aws:SourceArn':
                  'arn:aws:scheduler:eu-central-1:123456789012:schedule/bgjobs--schedules/*',
              },
            },
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'SendToJobQueues',
          PolicyDocument: {
            Statement: [
              {
                Action: 'sqs:SendMessage',
                Effect: 'Allow',
                Resource: [
                  QUEUE('bgjobs--digest'),
                  QUEUE('bgjobs--digest--dlq'),
                  QUEUE('bgjobs--digest--rule-dlq'),
                  QUEUE('bgjobs--ledger--rule-dlq'),
                  QUEUE('bgjobs--ledger.fifo'),
                  QUEUE('bgjobs--resize'),
                  QUEUE('bgjobs--resize--dlq'),
                ],
              },
            ],
          },
        },
      ],
    });
  });

  it('gives producers what one-time runs need: their schedules, PassRole to Scheduler only, and the job queues', () => {
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    const statements = policy?.Properties.PolicyDocument.Statement as { Sid: string }[];
    expect(statements.map((s) => s.Sid)).toEqual([
      'OneTimeRuns',
      'ListOneTimeRuns',
      'PassSchedulerRole',
      'EnqueueNow',
    ]);
    // cdk.json's minimizePolicies flag sorts the actions; their order means nothing to IAM.
    expect(statements[0]).toMatchObject({
      Action: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'],
      Resource: ['digest', 'ledger', 'resize'].map(
        (job) =>
          `arn:aws:scheduler:eu-central-1:123456789012:schedule/bgjobs--schedules/${job}--run-*`,
      ),
    });
    expect(statements[2]).toMatchObject({
      Action: 'iam:PassRole',
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    });
  });
});

describe('the scheduler constructs, checked', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bgjobs-cfn-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['with an account and region', ENV],
    ['environment-agnostic', undefined],
  ])('leave cdk-nag AwsSolutions nothing unacknowledged (%s)', (_, env) => {
    const { app } = build(env);
    addNagChecks(app);
    expect(() => app.synth()).not.toThrow();
  });

  it('are checked by cdk-nag: an unacknowledged wildcard fails synth', () => {
    const { app, stack } = build();
    new iam.ManagedPolicy(stack, 'Careless', {
      statements: [new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] })],
    });
    addNagChecks(app);
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
  });

  const cfnLint = spawnSync('cfn-lint', ['--version']).status === 0;
  it.skipIf(!cfnLint)('pass cfn-lint (skipped where cfn-lint is not installed)', () => {
    const file = path.join(dir, 'template.json');
    writeFileSync(file, JSON.stringify(synthesized.toJSON()));
    expect(() => execFileSync('cfn-lint', [file], { encoding: 'utf8' })).not.toThrow();
  });
});
