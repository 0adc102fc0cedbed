import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { JobsStack } from '../../infra/jobs-stack.ts';
import { jobs, processJob, reportJob, statisticsJob } from '../../jobs/index.ts';
import { FIXTURE_JOBS_DIR, synthStack, testApp } from './build.ts';
import { ledgerJob } from './fixtures/jobs/ledger.ts';

let template: Template;
let fifoTemplate: Template;

beforeAll(() => {
  template = synthStack(jobs).template;
  fifoTemplate = synthStack([ledgerJob], FIXTURE_JOBS_DIR).template;
});

type Resource = { Type: string; Properties: Record<string, unknown> };

function resources(t: Template, type: string): Resource[] {
  return Object.values(t.findResources(type)) as Resource[];
}

describe('queues', () => {
  it('gives each job a queue whose visibility timeout is at least 6 x its function timeout', () => {
    for (const job of jobs) {
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `bgjobs--${job.name}`,
        VisibilityTimeout: 6 * job.settings.timeoutSeconds,
        MessageRetentionPeriod: job.settings.retentionDays * 86_400,
        MaximumMessageSize: 1_048_576,
        SqsManagedSseEnabled: true,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] },
          maxReceiveCount: job.settings.maxReceiveCount,
        },
      });
    }
  });

  it('keeps dead letters for the maximum 14 days, encrypted', () => {
    for (const job of jobs) {
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `bgjobs--${job.name}--dlq`,
        MessageRetentionPeriod: 1_209_600,
        SqsManagedSseEnabled: true,
      });
    }
  });

  it('encrypts every queue and allows it only over TLS', () => {
    const queues = resources(template, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(3 * 2 + 2); // queue + DLQ per job, a rule DLQ per job with rules
    for (const queue of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    const tlsOnly = resources(template, 'AWS::SQS::QueuePolicy').filter((policy) =>
      JSON.stringify(policy.Properties.PolicyDocument).includes('"aws:SecureTransport":"false"'),
    );
    const covered = tlsOnly.flatMap((policy) => policy.Properties.Queues as unknown[]);
    expect(covered).toHaveLength(queues.length);
    for (const policy of tlsOnly) {
      expect(policy.Properties.PolicyDocument).toMatchObject({
        Statement: expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      });
    }
  });

  it('makes a FIFO job a FIFO queue and DLQ with content-based deduplication', () => {
    fifoTemplate.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'bgjobs--ledger.fifo',
      FifoQueue: true,
      ContentBasedDeduplication: true,
      VisibilityTimeout: 120,
    });
    fifoTemplate.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'bgjobs--ledger--dlq.fifo',
      FifoQueue: true,
    });
  });
});

describe('functions', () => {
  it('runs each job on nodejs24.x, arm64, with its timeout, memory and queue URLs', () => {
    for (const job of jobs) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `bgjobs--${job.name}`,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: job.settings.timeoutSeconds,
        MemorySize: job.settings.memoryMB,
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp(`WorkerLogs`) } },
        Environment: {
          Variables: {
            BGJOBS_JOB_NAME: job.name,
            BGJOBS_QUEUE_URL: { Ref: Match.stringLikeRegexp('QueuesQueue') },
            BGJOBS_DEAD_LETTER_QUEUE_URL: { Ref: Match.stringLikeRegexp('QueuesDeadLetterQueue') },
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      });
    }
  });

  it('keeps each function log group for a month', () => {
    for (const job of jobs) {
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/bgjobs--${job.name}`,
        RetentionInDays: 30,
      });
    }
  });

  it('feeds each function from its queue with partial batch responses and maximum concurrency', () => {
    for (const job of jobs) {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: {
          Ref: Match.stringLikeRegexp(`${job.name.charAt(0).toUpperCase()}.*WorkerFunction`),
        },
        EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('QueuesQueue'), 'Arn'] },
        BatchSize: job.settings.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: job.settings.maxConcurrency },
      });
    }
  });

  it('sets the batching window only when the job has one', () => {
    const mappings = resources(template, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(3);
    for (const mapping of mappings) {
      expect(mapping.Properties.MaximumBatchingWindowInSeconds).toBeUndefined();
    }
  });
});

describe('permissions', () => {
  it('grants no wildcard action anywhere', () => {
    for (const policy of resources(template, 'AWS::IAM::Policy')) {
      const statements = (policy.Properties.PolicyDocument as { Statement: { Action: unknown }[] })
        .Statement;
      for (const statement of statements) {
        for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
      }
    }
  });

  it('lets a function consume its queue, delay retries, write to its DLQ and its logs, nothing else', () => {
    const policies = resources(template, 'AWS::IAM::Policy');
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      const statements = (
        policy.Properties.PolicyDocument as { Statement: { Action: string[] | string }[] }
      ).Statement;
      const actions = statements.flatMap((s) => [s.Action].flat()).sort();
      expect(actions).toEqual(
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
    }
    expect(
      resources(template, 'AWS::IAM::Role').every((r) => !r.Properties.ManagedPolicyArns),
    ).toBe(true);
  });
});

describe('rules', () => {
  const deadLetterConfig = {
    Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('RulesDeadLetterQueue'), 'Arn'] },
  };
  const targetRetry = {
    RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
    DeadLetterConfig: deadLetterConfig,
  };

  it('starts a scheduled job from a schedule rule that retries a run for one period at most, then into its own DLQ', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'bgjobs--statistics--schedule',
      ScheduleExpression: statisticsJob.schedules[0]?.expression,
      State: 'ENABLED',
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('StatisticsQueuesQueue'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 60 },
          DeadLetterConfig: deadLetterConfig,
        },
      ],
    });
    expect(statisticsJob.schedules[0]?.expression).toBe('rate(1 minute)');
  });

  it('starts an event-driven job from a rule on the stack bus with its event pattern', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'bgjobs--report--events',
      EventBusName: { Ref: Match.stringLikeRegexp('^Bus') },
      EventPattern: { source: ['bgjobs.example'], 'detail-type': ['ReportRequested'] },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ReportQueuesQueue'), 'Arn'] },
          ...targetRetry,
        },
      ],
    });
    expect(reportJob.events).toBeDefined();
  });

  it('delivers the whole event: no input transformer on any target', () => {
    for (const rule of resources(template, 'AWS::Events::Rule')) {
      for (const target of rule.Properties.Targets as Record<string, unknown>[]) {
        expect(target.InputTransformer).toBeUndefined();
        expect(target.Input).toBeUndefined();
      }
    }
  });

  it('gives an on-demand job no rule and no rule DLQ', () => {
    expect([processJob.schedules, processJob.events]).toEqual([[], undefined]);
    expect(JSON.stringify(template.findResources('AWS::Events::Rule'))).not.toContain('Process');
    template.resourcePropertiesCountIs(
      'AWS::SQS::Queue',
      { QueueName: 'bgjobs--process--rule-dlq' },
      0,
    );
  });

  it('lets only the rule send to the job queue, and sets the FIFO group on a FIFO target', () => {
    fifoTemplate.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['bank'], 'detail-type': [{ prefix: 'Ledger' }] },
      Targets: [Match.objectLike({ SqsParameters: { MessageGroupId: 'ledger' } })],
    });
    fifoTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });
});

describe('the stack', () => {
  it('creates one event bus named after the stack', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'bgjobs--bus' });
  });

  it('outputs the queue URLs and the bus', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    expect(outputs).toEqual(
      expect.arrayContaining([
        'EventBusName',
        'EventBusArn',
        'StatisticsQueueUrl',
        'StatisticsDeadLetterQueueUrl',
        'ProcessQueueUrl',
        'ProcessDeadLetterQueueUrl',
        'ReportQueueUrl',
        'ReportDeadLetterQueueUrl',
      ]),
    );
  });

  it('refuses a job whose file is not jobs/<name>.ts', () => {
    expect(() => new JobsStack(testApp(), 'bgjobs', { jobs: [ledgerJob] })).toThrow(
      /job "ledger": its file .*jobs\/ledger\.ts does not exist/,
    );
  });

  it('refuses two jobs with the same name', () => {
    expect(() => new JobsStack(testApp(), 'bgjobs', { jobs: [processJob, processJob] })).toThrow(
      'two jobs are named "process"; job names must be unique',
    );
  });
});
