import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import { InvalidAppError } from '../../core/errors.ts';
import type { JobSpec } from '../../core/job.ts';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import { functionEnvironment, planApp } from '../../core/plan.ts';
import { toQueueAttributes } from '../../core/queue-attributes.ts';

const job = (name: string, extra: Partial<JobSpec<z.ZodType, string>> = {}) =>
  defineJob({ name, schema: z.object({}), handler: () => {}, ...extra });

function problemsOf(work: () => unknown): readonly string[] {
  try {
    work();
  } catch (error) {
    if (error instanceof InvalidAppError) return error.problems;
    throw error;
  }
  throw new Error('expected an InvalidAppError');
}

describe('planApp: names', () => {
  it('derives every name from the stack and job names, with -- between the parts', () => {
    const plan = planApp(
      [job('send-email', { schedule: 'rate(5 minutes)', events: { source: ['shop'] } })],
      { stackName: 'bgjobs' },
    ).job('send-email');
    expect({
      queue: plan.queue.name,
      deadLetterQueue: plan.deadLetterQueue.name,
      ruleDeadLetterQueue: plan.ruleDeadLetterQueue?.name,
      function: plan.function.name,
      logGroup: plan.function.logGroupName,
      rules: plan.rules.map((r) => [r.name, r.busName]),
      alarms: plan.alarms.map((a) => a.name),
      dashboard: plan.dashboardName('eu-west-1'),
      stack: [plan.stackId, plan.stackName],
    }).toEqual({
      queue: 'bgjobs--send-email',
      deadLetterQueue: 'bgjobs--send-email--dlq',
      ruleDeadLetterQueue: 'bgjobs--send-email--rule-dlq',
      function: 'bgjobs--send-email',
      logGroup: '/aws/lambda/bgjobs--send-email',
      rules: [
        ['bgjobs--send-email--schedule', 'default'],
        ['bgjobs--send-email--events', 'bgjobs--bus'],
      ],
      alarms: [
        'bgjobs--send-email--dead-letters',
        'bgjobs--send-email--oldest-message-age',
        'bgjobs--send-email--failure-rate',
        'bgjobs--send-email--function',
        'bgjobs--send-email--rules',
      ],
      dashboard: 'bgjobs--send-email--eu-west-1',
      stack: ['Job-send-email', 'bgjobs--send-email'],
    });
  });

  it('gives the shared parts names of their own, the region in the dashboard name', () => {
    const app = planApp([], { stackName: 'shop' });
    expect([
      app.eventBusName,
      app.alarmTopicName,
      app.metricsNamespace,
      app.overviewDashboardName('us-east-1'),
    ]).toEqual(['shop--bus', 'shop--alarms', 'bgjobs/shop', 'shop--us-east-1']);
  });

  it('adds .fifo to both queues of a FIFO job, not to the rule dead-letter queue', () => {
    const plan = planApp([job('ledger', { fifo: true, schedule: 'rate(1 hour)' })]).job('ledger');
    expect([plan.queue.name, plan.deadLetterQueue.name, plan.ruleDeadLetterQueue?.name]).toEqual([
      'bgjobs--ledger.fifo',
      'bgjobs--ledger--dlq.fifo',
      'bgjobs--ledger--rule-dlq',
    ]);
  });

  it('keeps apart what a single hyphen would join: process and process-dlq, report and report-rule', () => {
    const app = planApp([job('process'), job('process-dlq'), job('report'), job('report-rule')]);
    const queues = app.jobs.flatMap((p) => [p.queue.name, p.deadLetterQueue.name]);
    expect(new Set(queues).size).toBe(queues.length);
    expect(app.job('process').deadLetterQueue.name).toBe('bgjobs--process--dlq');
    expect(app.job('process-dlq').queue.name).toBe('bgjobs--process-dlq');
  });

  it('keeps apart stack bgjobs with job prod-x and stack bgjobs-prod with job x', () => {
    const a = planApp([job('prod-x')], { stackName: 'bgjobs' }).job('prod-x');
    const b = planApp([job('x')], { stackName: 'bgjobs-prod' }).job('x');
    expect(a.queue.name).not.toBe(b.queue.name);
    expect(a.function.name).not.toBe(b.function.name);
  });

  it('refuses a stack name with a double hyphen, which would make names ambiguous', () => {
    expect(problemsOf(() => planApp([], { stackName: 'bgjobs--prod' }))).toEqual([
      'stack name is "bgjobs--prod"; allowed: letters, digits and single hyphens, starting with a letter, at most 40 characters',
    ]);
  });

  it('reports every name that is too long at once, naming the job, the resource and the limit', () => {
    const stack = 's'.repeat(30);
    const long = 'j'.repeat(40);
    expect(
      problemsOf(() =>
        planApp([job(long, { schedule: 'rate(1 hour)' }), job('k'.repeat(33))], {
          stackName: stack,
        }),
      ),
    ).toEqual([
      `job "${long}": its SQS rule dead-letter queue name "${stack}--${long}--rule-dlq" has 82 characters (at most 80); use a shorter stack name ("${stack}") or job name`,
      `job "${long}": its Lambda function name "${stack}--${long}" has 72 characters (at most 64); use a shorter stack name ("${stack}") or job name`,
      `job "${long}": its EventBridge rule name "${stack}--${long}--schedule" has 82 characters (at most 64); use a shorter stack name ("${stack}") or job name`,
      `job "${'k'.repeat(33)}": its Lambda function name "${stack}--${'k'.repeat(33)}" has 65 characters (at most 64); use a shorter stack name ("${stack}") or job name`,
    ]);
  });

  it('does not check a rule name for a job that has no rule', () => {
    const long = 'j'.repeat(40);
    const app = planApp([job(long)], { stackName: 's'.repeat(20) });
    expect(app.job(long).rules).toEqual([]);
  });

  it('reports two jobs of the same name', () => {
    expect(problemsOf(() => planApp([job('a'), job('a')]))).toContain(
      'two jobs are named "a"; job names must be unique',
    );
  });
});

describe('planApp: queues, rules and function', () => {
  it('plans the queue with the redrive policy and the dead-letter queue with its allow policy', () => {
    const plan = planApp([job('work', { maxReceiveCount: 7, retentionDays: 13 })]).job('work');
    expect(toQueueAttributes(plan.queue, LOCAL_ENVIRONMENT)).toEqual({
      VisibilityTimeout: '180',
      MessageRetentionPeriod: String(13 * 86_400),
      MaximumMessageSize: '1048576',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:bgjobs--work--dlq',
        maxReceiveCount: 7,
      }),
    });
    expect(toQueueAttributes(plan.deadLetterQueue, LOCAL_ENVIRONMENT)).toMatchObject({
      MessageRetentionPeriod: String(14 * 86_400),
      RedriveAllowPolicy: JSON.stringify({
        redrivePermission: 'byQueue',
        sourceQueueArns: ['arn:aws:sqs:us-east-1:000000000000:bgjobs--work'],
      }),
    });
    expect([plan.queue.removal, plan.deadLetterQueue.removal]).toEqual(['retain', 'retain']);
  });

  it('makes job queues deletable on request, never dead-letter queues', () => {
    const plan = planApp([job('work', { schedule: 'rate(1 hour)' })], {
      queueRemoval: 'destroy',
    }).job('work');
    expect([
      plan.queue.removal,
      plan.deadLetterQueue.removal,
      plan.ruleDeadLetterQueue?.removal,
    ]).toEqual(['destroy', 'retain', 'retain']);
  });

  it('counts the batching window into the derived visibility timeout', () => {
    const plan = planApp([
      job('w', { timeoutSeconds: 10, batchSize: 100, maxBatchingWindowSeconds: 300 }),
    ]).job('w');
    expect(plan.queue.spec.visibilityTimeoutSeconds).toBe(6 * 10 + 300);
  });

  it('keeps a schedule rule from delivering stale runs: maximum event age is about one period', () => {
    const age = (schedule: string) =>
      planApp([job('s', { schedule })]).job('s').rules[0]?.target.maxEventAgeSeconds;
    expect(age('rate(1 minute)')).toBe(60);
    expect(age('rate(5 minutes)')).toBe(300);
    expect(age('cron(0 9 ? * MON-FRI *)')).toBe(86_400);
    expect(age('cron(0/15 * * * ? *)')).toBe(900);
  });

  it('gives event rules EventBridge retry policy of 24 h and 185 attempts, and FIFO targets the default group', () => {
    const [rule] = planApp([
      job('f', { fifo: { defaultGroupId: 'g' }, events: { source: ['x'] } }),
    ]).job('f').rules;
    expect(rule?.target).toEqual({
      queueName: 'bgjobs--f.fifo',
      retryAttempts: 185,
      maxEventAgeSeconds: 86_400,
      deadLetterQueueName: 'bgjobs--f--rule-dlq',
      messageGroupId: 'g',
    });
  });

  it('sets the same function environment for the stack and the local runtime', () => {
    const app = planApp([job('w')], { stackName: 'shop' });
    expect(
      functionEnvironment(app, app.job('w'), { queueUrl: 'Q', deadLetterQueueUrl: 'D' }),
    ).toEqual({
      BGJOBS_JOB_NAME: 'w',
      BGJOBS_QUEUE_URL: 'Q',
      BGJOBS_DEAD_LETTER_QUEUE_URL: 'D',
      POWERTOOLS_SERVICE_NAME: 'w',
      POWERTOOLS_METRICS_NAMESPACE: 'bgjobs/shop',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('warns, naming the job, when maxReceiveCount is below the 5 AWS advises for Lambda', () => {
    const app = planApp([job('few', { maxReceiveCount: 2 }), job('enough')]);
    expect(app.warnings).toHaveLength(1);
    expect(app.warnings[0]).toMatch(/^job "few": maxReceiveCount is 2; AWS advises at least 5/);
  });
});

describe('planApp: schedules', () => {
  it('makes each string schedule a rule and each Scheduler schedule a schedule in the app group, named by position', () => {
    const app = planApp(
      [
        job('digest', {
          schedule: [
            'rate(1 hour)',
            { expression: 'cron(0 9 ? * MON-FRI *)', timeZone: 'Europe/Berlin' },
            'cron(0 3 * * ? *)',
          ],
        }),
      ],
      { stackName: 'shop' },
    );
    const plan = app.job('digest');
    expect(plan.rules.map((r) => [r.name, r.scheduleExpression])).toEqual([
      ['shop--digest--schedule', 'rate(1 hour)'],
      ['shop--digest--schedule-3', 'cron(0 3 * * ? *)'],
    ]);
    expect(plan.schedules.map((s) => [s.name, s.groupName, s.schedule.timeZone])).toEqual([
      ['digest--schedule-2', 'shop--schedules', 'Europe/Berlin'],
    ]);
    expect(plan.schedules[0]?.target).toMatchObject({
      queueName: 'shop--digest',
      deadLetterQueueName: 'shop--digest--rule-dlq',
      maxEventAgeSeconds: 86_400,
    });
    expect([app.scheduleGroupName, app.schedulerRoleName, plan.oneTimeRunPrefix]).toEqual([
      'shop--schedules',
      'shop--scheduler',
      'digest--run-',
    ]);
  });

  it('checks a schedule payload against the schema, and overlap: wait only on a FIFO job', () => {
    expect(() =>
      defineJob({
        name: 'report',
        schema: z.object({ period: z.enum(['day', 'week']) }),
        handler: () => {},
        schedule: { expression: 'rate(1 day)', payload: { period: 'year' }, overlap: 'wait' },
      }),
    ).toThrow(
      /schedule\.payload does not match the schema: period: .*\n {2}- schedule\.overlap is "wait"; allowed: only on a FIFO job/,
    );
    const fifo = defineJob({
      name: 'report',
      schema: z.object({}),
      handler: () => {},
      fifo: true,
      schedule: { expression: 'rate(1 minute)', overlap: 'wait' },
    });
    expect(planApp([fifo]).job('report').rules[0]?.target.messageGroupId).toBe('default');
  });

  it('sends one-time runs to the job queue with a standard dead-letter queue, as Scheduler requires', () => {
    const app = planApp(
      [
        job('plain'),
        job('ordered', { fifo: true }),
        job('ticking', { fifo: true, schedule: 'rate(1 hour)' }),
      ],
      { stackName: 'shop' },
    );
    expect(app.job('plain').oneTimeRuns).toEqual({
      groupName: 'shop--schedules',
      queueName: 'shop--plain',
      retryAttempts: 185,
      maxEventAgeSeconds: 86_400,
      deadLetterQueueName: 'shop--plain--dlq',
    });
    // A FIFO dead-letter queue is refused by Scheduler: the rule's standard one, where there is one.
    expect(app.job('ordered').oneTimeRuns.deadLetterQueueName).toBeUndefined();
    expect(app.job('ticking').oneTimeRuns.deadLetterQueueName).toBe('shop--ticking--rule-dlq');
  });
});

describe('planApp: alarms', () => {
  it('plans one alarm per concern, and a rules alarm only for a job with a rule', () => {
    const app = planApp([job('on-demand'), job('ticks', { schedule: 'rate(5 minutes)' })]);
    expect(app.job('on-demand').alarms.map((a) => a.concern)).toEqual([
      'dead-letters',
      'oldest-message-age',
      'failure-rate',
      'function',
    ]);
    const rules = app.job('ticks').alarms.find((a) => a.concern === 'rules');
    expect(rules?.description).toBe(
      'bgjobs job "ticks": bgjobs--ticks--schedule could not deliver events to bgjobs--ticks after its retries: they are in bgjobs--ticks--rule-dlq, or lost if that failed too.',
    );
  });

  it('takes the backlog threshold from maxAgeSeconds, and looks at two periods for new dead letters', () => {
    const alarms = planApp([job('slow', { maxAgeSeconds: 120 })]).job('slow').alarms;
    const of = (concern: string) => alarms.find((a) => a.concern === concern);
    expect(of('oldest-message-age')?.threshold).toBe(120);
    expect(of('failure-rate')?.threshold).toBe(10);
    expect([of('dead-letters')?.evaluationPeriods, of('dead-letters')?.datapointsToAlarm]).toEqual([
      2, 1,
    ]);
    expect(alarms.filter((a) => a.evaluationPeriods === 1)).toHaveLength(3);
  });
});
