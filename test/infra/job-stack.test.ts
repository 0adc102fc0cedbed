import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobs, processJob, statisticsJob } from '../../jobs/index.ts';
import { FIXTURE_JOBS_DIR, logicalId, resources, synthStack } from './build.ts';
import { ledgerJob } from './fixtures/jobs/ledger.ts';
import { windowedJob } from './fixtures/jobs/windowed.ts';

type Synth = ReturnType<typeof synthStack>;
let app: Synth;
let fifo: Synth;

beforeAll(() => {
  app = synthStack(jobs);
  fifo = synthStack([ledgerJob], { jobsDir: FIXTURE_JOBS_DIR });
});

const arnOf = (queueName: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':sqs:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${queueName}`,
    ],
  ],
});

describe("a job's queues", () => {
  it('gives the queue a visibility timeout of 6 x the function timeout plus the batching window', () => {
    for (const job of jobs) {
      app.job(job.name).hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `bgjobs--${job.name}`,
        VisibilityTimeout: 6 * job.settings.timeoutSeconds + job.settings.maxBatchingWindowSeconds,
        MessageRetentionPeriod: job.settings.retentionDays * 86_400,
        MaximumMessageSize: 1_048_576,
        SqsManagedSseEnabled: true,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] },
          maxReceiveCount: job.settings.maxReceiveCount,
        },
      });
    }
    synthStack([windowedJob], { jobsDir: FIXTURE_JOBS_DIR })
      .job('windowed')
      .hasResourceProperties('AWS::SQS::Queue', {
        QueueName: 'bgjobs--windowed',
        VisibilityTimeout: 360,
      });
  });

  it('keeps dead letters 14 days, and lets only the job queue use the dead-letter queue, named by ARN', () => {
    for (const job of jobs) {
      app.job(job.name).hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `bgjobs--${job.name}--dlq`,
        MessageRetentionPeriod: 1_209_600,
        SqsManagedSseEnabled: true,
        RedriveAllowPolicy: {
          redrivePermission: 'byQueue',
          sourceQueueArns: [arnOf(`bgjobs--${job.name}`)],
        },
      });
    }
  });

  it('keeps a message at most 13 days in a job queue, so it outlives its move to the 14-day dead-letter queue', () => {
    for (const job of [...jobs, ledgerJob]) {
      const t = job === ledgerJob ? fifo.job('ledger') : app.job(job.name);
      const retention = resources(t, 'AWS::SQS::Queue').map((q) => [
        q.Properties.QueueName,
        q.Properties.MessageRetentionPeriod as number,
      ]);
      const [queue, ...deadLetterQueues] = retention.sort(
        ([a], [b]) => String(a).length - String(b).length,
      );
      expect(queue?.[1]).toBeLessThanOrEqual(13 * 86_400);
      for (const dlq of deadLetterQueues) expect(dlq[1]).toBe(14 * 86_400);
    }
  });

  it('lets no queue redrive into the rule dead-letter queue, which only EventBridge fills', () => {
    app.job('report').hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'bgjobs--report--rule-dlq',
      MessageRetentionPeriod: 1_209_600,
      RedriveAllowPolicy: { redrivePermission: 'denyAll' },
    });
  });

  it('retains every queue on deletion and on replacement, by default', () => {
    for (const job of jobs) {
      const queues = resources(app.job(job.name), 'AWS::SQS::Queue');
      expect(queues.length).toBeGreaterThanOrEqual(2);
      for (const queue of queues) {
        expect([queue.DeletionPolicy, queue.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
      }
    }
  });

  it('deletes job queues with their stack on request, and still retains dead-letter queues', () => {
    const destroyed = synthStack([statisticsJob], { queueRemoval: 'destroy' }).job('statistics');
    const policy = (name: string) => {
      const queue = destroyed.findResources('AWS::SQS::Queue', { Properties: { QueueName: name } });
      const [only] = Object.values(queue);
      return [only?.DeletionPolicy, only?.UpdateReplacePolicy];
    };
    expect(policy('bgjobs--statistics')).toEqual(['Delete', 'Delete']);
    expect(policy('bgjobs--statistics--dlq')).toEqual(['Retain', 'Retain']);
    expect(policy('bgjobs--statistics--rule-dlq')).toEqual(['Retain', 'Retain']);
  });

  it('encrypts every queue and allows it only over TLS', () => {
    for (const job of jobs) {
      const t = app.job(job.name);
      const queues = resources(t, 'AWS::SQS::Queue');
      for (const queue of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      const tlsOnly = resources(t, 'AWS::SQS::QueuePolicy').filter((policy) =>
        JSON.stringify(policy.Properties.PolicyDocument).includes('"aws:SecureTransport":"false"'),
      );
      expect(tlsOnly.flatMap((p) => p.Properties.Queues as unknown[])).toHaveLength(queues.length);
    }
  });

  it('makes a FIFO job a FIFO queue and DLQ with content-based deduplication', () => {
    const t = fifo.job('ledger');
    t.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'bgjobs--ledger.fifo',
      FifoQueue: true,
      ContentBasedDeduplication: true,
      VisibilityTimeout: 120,
    });
    t.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'bgjobs--ledger--dlq.fifo',
      FifoQueue: true,
      RedriveAllowPolicy: {
        redrivePermission: 'byQueue',
        sourceQueueArns: [arnOf('bgjobs--ledger.fifo')],
      },
    });
  });
});

describe("a job's function", () => {
  it('runs the job on nodejs24.x, arm64, with its timeout, memory, queue URLs and metrics namespace', () => {
    for (const job of jobs) {
      app.job(job.name).hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `bgjobs--${job.name}`,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: job.settings.timeoutSeconds,
        MemorySize: job.settings.memoryMB,
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('WorkerLogs') } },
        Environment: {
          Variables: {
            BGJOBS_JOB_NAME: job.name,
            BGJOBS_QUEUE_URL: { Ref: Match.stringLikeRegexp('QueuesQueue') },
            BGJOBS_DEAD_LETTER_QUEUE_URL: { Ref: Match.stringLikeRegexp('QueuesDeadLetterQueue') },
            POWERTOOLS_METRICS_NAMESPACE: 'bgjobs/bgjobs',
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      });
      app.job(job.name).hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/bgjobs--${job.name}`,
        RetentionInDays: 30,
      });
    }
  });

  it('feeds the function from its queue with partial batch responses and maximum concurrency', () => {
    for (const job of jobs) {
      const t = app.job(job.name);
      const fn = logicalId(t, 'AWS::Lambda::Function', { FunctionName: `bgjobs--${job.name}` });
      t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: fn },
        EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('QueuesQueue'), 'Arn'] },
        BatchSize: job.settings.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: job.settings.maxConcurrency },
        MaximumBatchingWindowInSeconds: Match.absent(),
      });
    }
  });

  it('lets the function consume its queue, delay retries, write to its DLQ and its logs, nothing else', () => {
    for (const job of jobs) {
      const policies = resources(app.job(job.name), 'AWS::IAM::Policy');
      expect(policies).toHaveLength(1);
      const statements = policies.flatMap(
        (p) =>
          (p.Properties.PolicyDocument as { Statement: { Action: string[] | string }[] }).Statement,
      );
      expect(statements.flatMap((s) => [s.Action].flat()).sort()).toEqual(
        [
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
          'sqs:SendMessage',
        ].sort(),
      );
      expect(resources(app.job(job.name), 'AWS::IAM::Role')[0]?.Properties.ManagedPolicyArns).toBe(
        undefined,
      );
    }
  });
});

describe("a job's rules", () => {
  const deadLetterConfig = {
    Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('RulesDeadLetterQueue'), 'Arn'] },
  };

  it('starts a scheduled job from a default-bus rule that retries a run for one period at most, then into its own DLQ', () => {
    expect(statisticsJob.schedules[0]?.expression).toBe('rate(1 minute)');
    app.job('statistics').hasResourceProperties('AWS::Events::Rule', {
      Name: 'bgjobs--statistics--schedule',
      ScheduleExpression: 'rate(1 minute)',
      EventBusName: Match.absent(),
      State: 'ENABLED',
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('QueuesQueue'), 'Arn'] },
          Id: Match.anyValue(),
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 60 },
          DeadLetterConfig: deadLetterConfig,
        },
      ],
    });
  });

  it("runs a time-zone schedule through EventBridge Scheduler in the app's group, with the app's role, by name", () => {
    app.job('report').resourceCountIs('AWS::Scheduler::Schedule', 1);
    app.job('report').hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'report--schedule',
      GroupName: 'bgjobs--schedules',
      ScheduleExpression: 'cron(0 8 ? * MON *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      Target: Match.objectLike({
        RoleArn: {
          'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':role/bgjobs--scheduler$')])],
        },
        Input: {
          'Fn::Join': [
            '',
            Match.arrayWith([
              Match.stringLikeRegexp('"detail":\\{"reportId":"weekly","period":"week"\\}\\}$'),
            ]),
          ],
        },
      }),
    });
    for (const job of ['statistics', 'process'])
      app.job(job).resourceCountIs('AWS::Scheduler::Schedule', 0);
    app.template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    app.template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', {
      Name: 'bgjobs--schedules',
    });
  });

  it("starts an event-driven job from a rule on the app's bus, named, not exported", () => {
    app.job('report').hasResourceProperties('AWS::Events::Rule', {
      Name: 'bgjobs--report--events',
      EventBusName: 'bgjobs--bus',
      EventPattern: { source: ['bgjobs.example'], 'detail-type': ['ReportRequested'] },
      Targets: [
        Match.objectLike({
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
          DeadLetterConfig: deadLetterConfig,
        }),
      ],
    });
  });

  it('delivers the whole event: no input transformer on any target', () => {
    for (const job of jobs) {
      for (const rule of resources(app.job(job.name), 'AWS::Events::Rule')) {
        for (const target of rule.Properties.Targets as Record<string, unknown>[]) {
          expect([target.InputTransformer, target.Input]).toEqual([undefined, undefined]);
        }
      }
    }
  });

  it('gives an on-demand job no rule and no rule dead-letter queue', () => {
    expect([processJob.schedules, processJob.events]).toEqual([[], undefined]);
    app.job('process').resourceCountIs('AWS::Events::Rule', 0);
    app.job('process').resourceCountIs('AWS::SQS::Queue', 2);
  });

  it('lets only the rule send to the job queue, and sets the FIFO group on a FIFO target', () => {
    const t = fifo.job('ledger');
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['bank'], 'detail-type': [{ prefix: 'Ledger' }] },
      Targets: [Match.objectLike({ SqsParameters: { MessageGroupId: 'ledger' } })],
    });
    t.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });
});

describe("a job's stack", () => {
  it('takes no parameter of its own and outputs its queue URLs', () => {
    for (const job of jobs) {
      const t = app.job(job.name).toJSON();
      expect(Object.keys(t.Parameters)).toEqual(['BootstrapVersion']);
      expect(Object.keys(t.Outputs)).toEqual(['QueueUrl', 'DeadLetterQueueUrl']);
    }
  });

  it('refers to nothing outside itself but the names of the bus and the alarm topic', () => {
    for (const job of jobs) {
      const text = JSON.stringify(app.job(job.name).toJSON());
      expect(text).not.toMatch(/Fn::ImportValue|referenceto/i);
      const refs = [...text.matchAll(/"Ref":"([^"]+)"/g)].map((m) => m[1] as string);
      const template = app.job(job.name).toJSON();
      const ids = [...Object.keys(template.Resources), ...Object.keys(template.Parameters)];
      for (const ref of refs) expect(ref.startsWith('AWS::') || ids.includes(ref)).toBe(true);
    }
  });
});
