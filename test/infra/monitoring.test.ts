import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  FAILURE_RATE_MIN_ATTEMPTS,
  FAILURE_RATE_PERCENT,
  jobAlarmThresholds,
} from '../../core/alarm-thresholds.ts';
import { defineJob } from '../../core/define-job.ts';
import type { JobDefinition } from '../../core/job.ts';
import { JOB_METRICS } from '../../core/metric-names.ts';
import { JobsStack } from '../../infra/jobs-stack.ts';
import { alarmEmailFromContext } from '../../infra/stack-monitoring.ts';
import { jobs, processJob, reportJob, statisticsJob } from '../../jobs/index.ts';
import { FIXTURE_JOBS_DIR, synthStack, testApp } from './build.ts';

/** A FIFO job on the stack bus with its own backlog objective (fixtures/jobs/ledger.ts is its file). */
const ledgerJob = defineJob({
  name: 'ledger',
  schema: z.object({ account: z.string() }),
  handler: async () => {},
  events: { source: ['bank'] },
  fifo: true,
  maxAgeSeconds: 120,
});

let template: Template;
let ledgerTemplate: Template;

beforeAll(() => {
  template = synthStack(jobs).template;
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], alarmEmail: 'ops@example.com' },
  });
  const stack = new JobsStack(app, 'bgjobs', {
    jobs: [ledgerJob],
    jobsDir: FIXTURE_JOBS_DIR,
    alarmEmail: alarmEmailFromContext(app.node),
  });
  ledgerTemplate = Template.fromStack(stack);
});

function logicalId(t: Template, type: string, properties: Record<string, unknown>): string {
  const ids = Object.keys(t.findResources(type, { Properties: properties }));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

const queueName = (t: Template, name: string) => ({
  'Fn::GetAtt': [logicalId(t, 'AWS::SQS::Queue', { QueueName: name }), 'QueueName'],
});
const functionRef = (t: Template, name: string) => ({
  Ref: logicalId(t, 'AWS::Lambda::Function', { FunctionName: name }),
});
const topicRef = (t: Template) => ({ Ref: logicalId(t, 'AWS::SNS::Topic', {}) });

/** An alarm's `Metrics` entry for one metric, 5-minute period. */
function metricStat(namespace: string, metricName: string, dimensions: object, stat: string) {
  const Dimensions = Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }));
  const Metric = { Namespace: namespace, MetricName: metricName, Dimensions };
  return { MetricStat: { Metric, Period: 300, Stat: stat } };
}

/** Asserts one alarm: its metric, threshold, operator, missing-data rule and the one topic. */
function expectAlarm(t: Template, alarmName: string, metrics: object[], threshold: number) {
  t.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmName: alarmName,
    Metrics: Match.arrayWith(metrics.map((metric) => Match.objectLike(metric))),
    Threshold: threshold,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    TreatMissingData: 'notBreaching',
    AlarmActions: [topicRef(t)],
    OKActions: [topicRef(t)],
  });
}

interface GraphedMetric {
  readonly widget: string;
  readonly namespace?: string;
  readonly metricName?: string;
  readonly dimensions: Record<string, string>;
  readonly expression?: string;
}

type Token = { Ref: string } | { 'Fn::GetAtt': string[] };

/** A CloudFormation token as the dashboard tests spell it: `{{LogicalId}}` or `{{LogicalId.Attribute}}`. */
const tokenText = (ref: Token) => `{{${('Ref' in ref ? [ref.Ref] : ref['Fn::GetAtt']).join('.')}}}`;

/** The dashboard's widgets: its body is an Fn::Join of JSON text and tokens. */
function dashboardWidgets(t: Template): { type: string; properties: Record<string, unknown> }[] {
  const [dashboard, ...others] = Object.values(t.findResources('AWS::CloudWatch::Dashboard'));
  if (dashboard === undefined || others.length > 0) throw new Error('expected one dashboard');
  const [, parts] = dashboard.Properties.DashboardBody['Fn::Join'] as [string, unknown[]];
  const body = parts.map((part) => (typeof part === 'string' ? part : tokenText(part as Token)));
  return JSON.parse(body.join('')).widgets;
}

function graphedMetrics(t: Template): GraphedMetric[] {
  return dashboardWidgets(t)
    .filter((w) => w.type === 'metric')
    .flatMap((w) =>
      (w.properties.metrics as unknown[][]).map((line) => {
        const [namespace, metricName, ...dims] = line.filter((x) => typeof x === 'string');
        const options = line.find((x) => typeof x === 'object') as { expression?: string };
        const dimensions: Record<string, string> = {};
        for (let i = 0; i < dims.length; i += 2)
          dimensions[dims[i] as string] = dims[i + 1] as string;
        const widget = w.properties.title as string;
        return { widget, namespace, metricName, dimensions, expression: options?.expression };
      }),
    );
}

const graphed = (t: Template, namespace: string, metricName: string, dimensions: object) =>
  expect(graphedMetrics(t)).toContainEqual(
    expect.objectContaining({ namespace, metricName, dimensions }),
  );

describe('the dashboard', () => {
  it('is one dashboard named after the stack', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'bgjobs' });
  });

  it('opens with the overview: total backlog, oldest message, dead letters and failures', () => {
    const overview = graphedMetrics(template).filter((m) => m.expression !== undefined);
    expect(overview.slice(0, 4).map((m) => [m.widget, m.expression])).toEqual([
      ['Backlog (visible messages)', 'SUM([m0, m1, m2])'],
      ['Oldest message age (s)', 'MAX([m0, m1, m2])'],
      // three job DLQs and the rule DLQs of statistics and report
      ['Dead letters', 'SUM([m0, m1, m2, m3, m4])'],
      ['Failed attempts', 'SUM([m0, m1, m2])'],
    ]);
    for (const job of jobs) {
      const failed = {
        widget: 'Failed attempts',
        metricName: 'Failed',
        dimensions: { service: job.name },
      };
      expect(graphedMetrics(template)).toContainEqual(expect.objectContaining(failed));
    }
  });

  it('has a section per job: queue, dead-letter queue, function and the EMF metrics', () => {
    const texts = dashboardWidgets(template).map((w) => w.properties.markdown);
    for (const job of jobs) {
      expect(texts).toContain(`# Job ${job.name}`);
      const queue = { QueueName: tokenText(queueName(template, `bgjobs--${job.name}`)) };
      for (const metric of [
        'ApproximateNumberOfMessagesVisible',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateAgeOfOldestMessage',
      ]) {
        graphed(template, 'AWS/SQS', metric, queue);
      }
      const dlq = { QueueName: tokenText(queueName(template, `bgjobs--${job.name}--dlq`)) };
      graphed(template, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', dlq);
      const fn = { FunctionName: tokenText(functionRef(template, `bgjobs--${job.name}`)) };
      for (const metric of [
        'Invocations',
        'Errors',
        'Throttles',
        'Duration',
        'ConcurrentExecutions',
      ]) {
        graphed(template, 'AWS/Lambda', metric, fn);
      }
      for (const metric of Object.values(JOB_METRICS)) {
        graphed(template, 'bgjobs/bgjobs', metric, { service: job.name });
      }
    }
  });

  it('graphs the rules of scheduled and event-driven jobs, with the right dimensions', () => {
    for (const metric of ['Invocations', 'FailedInvocations', 'InvocationsSentToDlq']) {
      graphed(template, 'AWS/Events', metric, { RuleName: 'bgjobs--statistics--schedule' });
      graphed(template, 'AWS/Events', metric, {
        EventBusName: 'bgjobs--bus',
        RuleName: 'bgjobs--report--events',
      });
    }
    expect(JSON.stringify(graphedMetrics(template))).not.toContain('bgjobs--process--');
  });
});

describe('alarms', () => {
  const checkQueueAlarms = (t: Template, job: JobDefinition) => {
    const thresholds = jobAlarmThresholds(job.settings);
    const suffix = job.settings.fifo ? '.fifo' : '';
    const sqs = (metric: string, queue: string) =>
      metricStat('AWS/SQS', metric, { QueueName: queueName(t, queue) }, 'Maximum');
    const dlq = sqs('ApproximateNumberOfMessagesVisible', `bgjobs--${job.name}--dlq${suffix}`);
    expectAlarm(t, `bgjobs--${job.name}--dead-letters`, [dlq], thresholds.deadLetters);
    const age = sqs('ApproximateAgeOfOldestMessage', `bgjobs--${job.name}${suffix}`);
    expectAlarm(t, `bgjobs--${job.name}--oldest-message-age`, [age], job.settings.maxAgeSeconds);
  };

  it("alarms on each job's dead letters and on its oldest message passing maxAgeSeconds", () => {
    for (const job of jobs) checkQueueAlarms(template, job);
    checkQueueAlarms(ledgerTemplate, ledgerJob);
    expect(jobAlarmThresholds(ledgerJob.settings).oldestMessageAgeSeconds).toBe(120);
  });

  it('alarms when more than 10% of at least 10 attempts in 5 minutes failed (EMF math)', () => {
    expect([FAILURE_RATE_PERCENT, FAILURE_RATE_MIN_ATTEMPTS]).toEqual([10, 10]);
    for (const job of jobs) {
      const emf = (name: string) => metricStat('bgjobs/bgjobs', name, { service: job.name }, 'Sum');
      expectAlarm(
        template,
        `bgjobs--${job.name}--failure-rate`,
        [
          {
            Expression: `IF(FILL(succeeded, 0) + FILL(failed, 0) >= 10, 100 * FILL(failed, 0) / (FILL(succeeded, 0) + FILL(failed, 0)), 0)`,
            ReturnData: true,
          },
          { Id: 'succeeded', ...emf(JOB_METRICS.succeeded) },
          { Id: 'failed', ...emf(JOB_METRICS.failed) },
        ],
        FAILURE_RATE_PERCENT,
      );
    }
  });

  it('alarms on any Lambda error or throttle of a job function', () => {
    for (const job of jobs) {
      const { functionErrors, functionThrottles } = jobAlarmThresholds(job.settings);
      const fn = { FunctionName: functionRef(template, `bgjobs--${job.name}`) };
      const lambda = (metric: string) => [metricStat('AWS/Lambda', metric, fn, 'Sum')];
      expectAlarm(template, `bgjobs--${job.name}--errors`, lambda('Errors'), functionErrors);
      expectAlarm(
        template,
        `bgjobs--${job.name}--throttles`,
        lambda('Throttles'),
        functionThrottles,
      );
    }
  });

  it("alarms on a rule's failed invocations and on its target's dead-letter queue", () => {
    const rules = [
      { job: statisticsJob, kind: 'schedule', dimensions: {} },
      { job: reportJob, kind: 'events', dimensions: { EventBusName: 'bgjobs--bus' } },
    ];
    for (const { job, kind, dimensions } of rules) {
      const thresholds = jobAlarmThresholds(job.settings);
      const ruleName = `bgjobs--${job.name}--${kind}`;
      const failed = metricStat(
        'AWS/Events',
        'FailedInvocations',
        { ...dimensions, RuleName: ruleName },
        'Sum',
      );
      expectAlarm(
        template,
        `${ruleName}-failed-invocations`,
        [failed],
        thresholds.ruleFailedInvocations,
      );
      const dlq = { QueueName: queueName(template, `bgjobs--${job.name}--rule-dlq`) };
      const visible = metricStat('AWS/SQS', 'ApproximateNumberOfMessagesVisible', dlq, 'Maximum');
      expectAlarm(
        template,
        `bgjobs--${job.name}--rule-dead-letters`,
        [visible],
        thresholds.ruleDeadLetters,
      );
    }
  });

  it('gives an on-demand job no rule alarm: 5 alarms per job, 2 more per job with one rule', () => {
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties.AlarmName as string,
    );
    expect(names.filter((n) => n.startsWith('bgjobs--process--'))).toHaveLength(5);
    expect(names).toHaveLength(3 * 5 + 2 + 2);
    expect([processJob.schedules, processJob.events]).toEqual([[], undefined]);
  });

  it('sends every ALARM and OK to the one topic', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef(template)]);
      expect(alarm.Properties.OKActions).toEqual([topicRef(template)]);
    }
  });
});

describe('the alarm topic', () => {
  it('takes publishes over TLS only, and from CloudWatch alarms of this account', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'bgjobs--alarms' });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topicRef(template)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: Match.objectLike({
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            }),
          }),
        ]),
      },
    });
  });

  it('subscribes the alarmEmail context value by e-mail, and nobody without it', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    ledgerTemplate.resourceCountIs('AWS::SNS::Subscription', 1);
    ledgerTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: topicRef(ledgerTemplate),
    });
    expect(alarmEmailFromContext(testApp().node)).toBeUndefined();
  });

  it('refuses an alarmEmail that is not one e-mail address', () => {
    expect(
      () => new JobsStack(testApp(), 'bgjobs', { jobs: [processJob], alarmEmail: 'ops' }),
    ).toThrow('alarmEmail is "ops"; allowed: one e-mail address, such as ops@example.com');
    const app = new App({ context: { alarmEmail: 42 } });
    expect(() => alarmEmailFromContext(app.node)).toThrow('context alarmEmail is 42; allowed:');
  });
});
