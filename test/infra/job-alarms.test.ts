import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAILURE_RATE_PERCENT } from '../../core/job-alarms.ts';
import { JOB_METRICS } from '../../core/metric-names.ts';
import { jobs, processJob } from '../../jobs/index.ts';
import { FIXTURE_JOBS_DIR, resources, synthStack } from './build.ts';
import { ledgerJob } from './fixtures/jobs/ledger.ts';
import { tickerJob } from './fixtures/jobs/ticker.ts';

type Synth = ReturnType<typeof synthStack>;
let app: Synth;
let fifo: Synth;

beforeAll(() => {
  app = synthStack(jobs);
  fifo = synthStack([ledgerJob], { jobsDir: FIXTURE_JOBS_DIR });
});

const topicArn = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':sns:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':bgjobs--alarms',
    ],
  ],
};

/** An alarm's `Metrics` entry for one metric, 5-minute period. */
function metricStat(id: string, namespace: string, metricName: string, dims: object, stat: string) {
  const Dimensions = Object.entries(dims).map(([Name, Value]) => ({ Name, Value }));
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: namespace, MetricName: metricName, Dimensions },
      Period: 300,
      Stat: stat,
    },
    ReturnData: false,
  };
}

const expression = (text: string) => Match.objectLike({ Expression: text, ReturnData: true });

function expectAlarm(
  t: Template,
  name: string,
  metrics: object,
  threshold: number,
  periods: { evaluation: number; toAlarm: number } = { evaluation: 1, toAlarm: 1 },
) {
  t.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmName: name,
    AlarmDescription: Match.stringLikeRegexp('^bgjobs job "'),
    Metrics: metrics,
    Threshold: threshold,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: periods.evaluation,
    DatapointsToAlarm: periods.toAlarm,
    TreatMissingData: 'notBreaching',
    AlarmActions: [topicArn],
    OKActions: [topicArn],
  });
}

describe("a job's alarms", () => {
  it('fire again for new dead letters while old ones wait: the depth rising, or the handler sending one', () => {
    for (const job of [...jobs, ledgerJob]) {
      const t = job === ledgerJob ? fifo.job('ledger') : app.job(job.name);
      const suffix = job.settings.fifo ? '.fifo' : '';
      expectAlarm(
        t,
        `bgjobs--${job.name}--dead-letters`,
        [
          expression(
            'IF(DIFF(FILL(depth, 0)) > FILL(sent, 0), DIFF(FILL(depth, 0)), FILL(sent, 0))',
          ),
          metricStat(
            'depth',
            'AWS/SQS',
            'ApproximateNumberOfMessagesVisible',
            { QueueName: `bgjobs--${job.name}--dlq${suffix}` },
            'Maximum',
          ),
          metricStat(
            'sent',
            'bgjobs/bgjobs',
            JOB_METRICS.deadLettered,
            { service: job.name },
            'Sum',
          ),
        ],
        0,
        { evaluation: 2, toAlarm: 1 },
      );
    }
  });

  it("fire when the oldest message passes the job's maxAgeSeconds", () => {
    expect(ledgerJob.settings.maxAgeSeconds).toBe(900);
    for (const job of jobs) {
      expectAlarm(
        app.job(job.name),
        `bgjobs--${job.name}--oldest-message-age`,
        [
          Match.objectLike({
            MetricStat: Match.objectLike({
              Metric: {
                Namespace: 'AWS/SQS',
                MetricName: 'ApproximateAgeOfOldestMessage',
                Dimensions: [{ Name: 'QueueName', Value: `bgjobs--${job.name}` }],
              },
              Stat: 'Maximum',
            }),
          }),
        ],
        job.settings.maxAgeSeconds,
      );
    }
  });

  it('fire when more than 10% of at least 10 attempts in 5 minutes failed (EMF math)', () => {
    expect(FAILURE_RATE_PERCENT).toBe(10);
    for (const job of jobs) {
      expectAlarm(
        app.job(job.name),
        `bgjobs--${job.name}--failure-rate`,
        [
          expression(
            'IF(FILL(succeeded, 0) + FILL(failed, 0) >= 10, 100 * FILL(failed, 0) / (FILL(succeeded, 0) + FILL(failed, 0)), 0)',
          ),
          metricStat('succeeded', 'bgjobs/bgjobs', 'Succeeded', { service: job.name }, 'Sum'),
          metricStat('failed', 'bgjobs/bgjobs', 'Failed', { service: job.name }, 'Sum'),
        ],
        10,
      );
    }
  });

  it('fire on any Lambda error or throttle of the function, in one alarm', () => {
    for (const job of jobs) {
      const fn = { FunctionName: `bgjobs--${job.name}` };
      expectAlarm(
        app.job(job.name),
        `bgjobs--${job.name}--function`,
        [
          expression('errors + throttles'),
          metricStat('errors', 'AWS/Lambda', 'Errors', fn, 'Sum'),
          metricStat('throttles', 'AWS/Lambda', 'Throttles', fn, 'Sum'),
        ],
        0,
      );
    }
  });

  it('fire when a rule gives up on an event, with the dimensions CloudWatch publishes per bus', () => {
    expectAlarm(
      app.job('statistics'),
      'bgjobs--statistics--rules',
      [
        expression('schedule'),
        metricStat(
          'schedule',
          'AWS/Events',
          'FailedInvocations',
          { RuleName: 'bgjobs--statistics--schedule' },
          'Sum',
        ),
      ],
      0,
    );
    expectAlarm(
      app.job('report'),
      'bgjobs--report--rules',
      [
        expression('events'),
        metricStat(
          'events',
          'AWS/Events',
          'FailedInvocations',
          { EventBusName: 'bgjobs--bus', RuleName: 'bgjobs--report--events' },
          'Sum',
        ),
      ],
      0,
    );
  });

  it('add up the failed invocations of both rules of a job that has two, in one alarm', () => {
    const t = synthStack([tickerJob], { jobsDir: FIXTURE_JOBS_DIR }).job('ticker');
    expectAlarm(
      t,
      'bgjobs--ticker--rules',
      [
        expression('schedule + events'),
        metricStat(
          'schedule',
          'AWS/Events',
          'FailedInvocations',
          { RuleName: 'bgjobs--ticker--schedule' },
          'Sum',
        ),
        metricStat(
          'events',
          'AWS/Events',
          'FailedInvocations',
          { EventBusName: 'bgjobs--bus', RuleName: 'bgjobs--ticker--events' },
          'Sum',
        ),
      ],
      0,
    );
    const metrics = resources(t, 'AWS::CloudWatch::Alarm').flatMap((a) =>
      (a.Properties.Metrics as { MetricStat?: unknown }[]).filter((m) => m.MetricStat),
    );
    expect(metrics).toHaveLength(9);
  });

  it('number four per on-demand job and five per job with rules; every alarm reads the metrics its price counts', () => {
    const count = (name: string) => {
      const alarms = resources(app.job(name), 'AWS::CloudWatch::Alarm');
      const metrics = alarms.flatMap((a) =>
        (a.Properties.Metrics as { MetricStat?: unknown }[]).filter((m) => m.MetricStat),
      );
      return [alarms.length, metrics.length];
    };
    expect([processJob.schedules, processJob.events]).toEqual([[], undefined]);
    // alarms, alarm metrics (CloudWatch bills per alarm metric: $0.10 a month each)
    expect(count('process')).toEqual([4, 7]);
    expect(count('statistics')).toEqual([5, 8]);
    expect(count('report')).toEqual([5, 8]);
  });
});
