import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createClient } from '../../client/index.ts';
import { whenToRun } from '../../client/run-at.ts';
import { defineJob } from '../../core/define-job.ts';
import { InvalidEnqueueOptionsError, ScheduledRunNotFoundError } from '../../core/errors.ts';

const digest = defineJob({
  name: 'digest',
  schema: z.object({ user: z.string() }),
  handler: () => {},
});
const ordered = defineJob({
  name: 'ordered',
  schema: z.object({ account: z.string() }),
  handler: () => {},
  fifo: { groupIdField: 'account', contentBasedDeduplication: true },
});
const strictFifo = defineJob({
  name: 'strict',
  schema: z.object({}),
  handler: () => {},
  fifo: { contentBasedDeduplication: false },
});
const jobs = [digest, ordered, strictFifo] as const;

const sqs = new SQSClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const scheduler = new SchedulerClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const sqsMock = mockClient(sqs);
const schedulerMock = mockClient(scheduler);
const client = createClient({ jobs, sqs, scheduler });

beforeEach(() => {
  sqsMock.reset();
  schedulerMock.reset();
  sqsMock.on(GetQueueUrlCommand).callsFake(async ({ QueueName }) => ({
    QueueUrl: `https://sqs.eu-west-1.amazonaws.com/123456789012/${QueueName}`,
  }));
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  schedulerMock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
});

describe('enqueue with runAt or delay, on AWS (mocked Scheduler and SQS clients)', () => {
  it('creates exactly the one-time schedule AWS needs for a run three days ahead, and sends nothing now', async () => {
    const runAt = new Date(Date.now() + 3 * 86_400_000);
    const receipt = await client.enqueue('digest', { user: 'ada' }, { runAt });

    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
    const calls = schedulerMock.commandCalls(CreateScheduleCommand);
    expect(calls).toHaveLength(1);
    expect(receipt).toMatchObject({
      kind: 'scheduled',
      id: expect.stringMatching(/^[a-z0-9]{16}$/),
    });
    if (receipt.kind !== 'scheduled') throw new Error('expected a scheduled run');
    const atSecond = new Date(Math.ceil(runAt.getTime() / 1000) * 1000);
    expect(calls[0]?.args[0].input).toEqual({
      Name: `digest--run-${receipt.id}`,
      GroupName: 'bgjobs--schedules',
      Description: 'One-time run of the bgjobs job "digest"',
      ScheduleExpression: `at(${atSecond.toISOString().slice(0, 19)})`,
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: 'arn:aws:sqs:eu-west-1:123456789012:bgjobs--digest',
        RoleArn: 'arn:aws:iam::123456789012:role/bgjobs--scheduler',
        // The body enqueue would have sent: the handler cannot tell the difference.
        Input: '{"user":"ada"}',
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-1:123456789012:bgjobs--digest--dlq' },
      },
    });
    expect(receipt.runAt).toEqual(atSecond);
  });

  it("uses SQS's delay up to 900 s, and a schedule past it", async () => {
    const sent = await client.enqueue('digest', { user: 'ada' }, { delay: '15m' });
    expect(sent).toEqual({ kind: 'sent', messageId: 'm-1' });
    expect(sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input.DelaySeconds).toBe(900);
    const later = await client.enqueue('digest', { user: 'ada' }, { delay: 901 });
    expect(later.kind).toBe('scheduled');
    expect(schedulerMock.commandCalls(CreateScheduleCommand)).toHaveLength(1);
  });

  it('schedules any later run of a FIFO job (it has no per-message delay), in the message group enqueue would use', async () => {
    await client.enqueue('ordered', { account: 'acme' }, { delay: 30 });
    const target = schedulerMock.commandCalls(CreateScheduleCommand)[0]?.args[0].input.Target;
    expect(target).toMatchObject({
      Arn: 'arn:aws:sqs:eu-west-1:123456789012:bgjobs--ordered.fifo',
      Input: '{"account":"acme"}',
      SqsParameters: { MessageGroupId: 'acme' },
    });
    // Scheduler takes no FIFO dead-letter queue, and this job has no standard one.
    expect(target?.DeadLetterConfig).toBeUndefined();
    await expect(
      client.enqueue('strict', {}, { delay: '1h', deduplicationId: 'd' }),
    ).rejects.toThrow(
      'job "strict": a FIFO job takes runs for later only with fifo.contentBasedDeduplication on',
    );
  });

  it('refuses what cannot be sent before calling anything, naming the option', async () => {
    const refused = (options: Parameters<typeof client.enqueue>[2]) =>
      client.enqueue('digest', { user: 'ada' }, options);
    await expect(refused({ runAt: new Date(Date.now() - 1000) })).rejects.toThrow(
      /job "digest": runAt is .*, in the past/,
    );
    await expect(refused({ runAt: new Date(Date.now() + 60_000), delay: 60 })).rejects.toThrow(
      'give one of runAt, delay and delaySeconds, not several',
    );
    await expect(refused({ delay: '3 fortnights' })).rejects.toThrow(
      'delay is "3 fortnights"; allowed: seconds as a number (90), or a duration with a unit',
    );
    await expect(refused({ delay: '90' })).rejects.toThrow(InvalidEnqueueOptionsError);
    await expect(refused({ runAt: new Date('nonsense') })).rejects.toThrow(
      'runAt is null; allowed: a valid Date',
    );
    await expect(client.enqueueMany('digest', [{ user: 'a' }], { delay: '2h' })).rejects.toThrow(
      'a later run is one schedule each: use enqueue with runAt or delay',
    );
    await expect(client.enqueue('digest', { user: 1 } as never, { delay: '2h' })).rejects.toThrow(
      'payload does not match the schema',
    );
    expect(schedulerMock.calls()).toHaveLength(0);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('cancels a run by deleting its schedule, and says so when there is none', async () => {
    schedulerMock.on(DeleteScheduleCommand, { Name: 'digest--run-gone' }).rejects(
      new ResourceNotFoundException({
        message: 'Schedule digest--run-gone does not exist.',
        Message: 'Schedule digest--run-gone does not exist.',
        $metadata: {},
      }),
    );
    await client.cancel('digest', 'abc123');
    expect(schedulerMock.commandCalls(DeleteScheduleCommand)[0]?.args[0].input).toEqual({
      Name: 'digest--run-abc123',
      GroupName: 'bgjobs--schedules',
    });
    await expect(client.cancel('digest', 'gone')).rejects.toThrow(ScheduledRunNotFoundError);
    await expect(client.cancel('digest', 'gone')).rejects.toThrow(
      'job "digest" has no pending one-time run "gone": it ran already, was cancelled, or never existed',
    );
  });

  it("lists a job's pending runs by prefix, every page, soonest first", async () => {
    schedulerMock
      .on(ListSchedulesCommand, { NextToken: undefined })
      .resolves({ Schedules: [{ Name: 'digest--run-late' }], NextToken: 't' })
      .on(ListSchedulesCommand, { NextToken: 't' })
      .resolves({ Schedules: [{ Name: 'digest--run-soon' }] });
    schedulerMock
      .on(GetScheduleCommand, { Name: 'digest--run-late' })
      .resolves({
        ScheduleExpression: 'at(2027-02-01T00:00:00)',
        ScheduleExpressionTimezone: 'UTC',
      })
      .on(GetScheduleCommand, { Name: 'digest--run-soon' })
      .resolves({
        ScheduleExpression: 'at(2027-01-01T00:00:00)',
        ScheduleExpressionTimezone: 'UTC',
      });
    const runs = await client.scheduled.list('digest');
    expect(runs.map((r) => [r.id, r.runAt?.toISOString()])).toEqual([
      ['soon', '2027-01-01T00:00:00.000Z'],
      ['late', '2027-02-01T00:00:00.000Z'],
    ]);
    expect(schedulerMock.commandCalls(ListSchedulesCommand)[0]?.args[0].input).toMatchObject({
      GroupName: 'bgjobs--schedules',
      NamePrefix: 'digest--run-',
    });
  });
});

describe('pending one-time runs where there is no schedule group yet', () => {
  it('are none, not an error', async () => {
    schedulerMock.on(ListSchedulesCommand).rejects(
      new ResourceNotFoundException({
        message: 'Schedule group bgjobs--schedules does not exist.',
        Message: 'Schedule group bgjobs--schedules does not exist.',
        $metadata: {},
      }),
    );
    expect(await client.scheduled.list('digest')).toEqual([]);
  });
});

describe('whenToRun', () => {
  const now = new Date('2027-01-01T00:00:00Z');
  it('reads durations with their unit, rounds up to whole seconds, and leaves the 900 s edge to SQS', () => {
    expect(whenToRun(digest, { delay: '90s' }, now)).toEqual({ kind: 'delay', delaySeconds: 90 });
    expect(whenToRun(digest, { delay: 0.2 }, now)).toEqual({ kind: 'delay', delaySeconds: 1 });
    expect(whenToRun(digest, { runAt: new Date('2027-01-01T00:15:00Z') }, now)).toEqual({
      kind: 'delay',
      delaySeconds: 900,
    });
    expect(whenToRun(digest, { delay: '3d' }, now)).toEqual({
      kind: 'schedule',
      at: new Date('2027-01-04T00:00:00Z'),
    });
    expect(whenToRun(digest, {}, now)).toEqual({ kind: 'now' });
  });
});
