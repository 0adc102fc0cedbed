import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { JobsStack } from '../../infra/jobs-stack.ts';
import { jobs, processJob } from '../../jobs/index.ts';
import { logicalId, resources, synthStack, testApp } from './build.ts';
import { ledgerJob } from './fixtures/jobs/ledger.ts';

type Synth = ReturnType<typeof synthStack>;
let app: Synth;

beforeAll(() => {
  app = synthStack(jobs);
});

describe("the app's stack", () => {
  it('holds the shared parts and one nested stack per job, nothing of a job itself', () => {
    const byType = Object.values(
      app.template.toJSON().Resources as Record<string, { Type: string }>,
    )
      .map((r) => r.Type)
      .sort();
    expect(byType).toEqual(
      [
        'AWS::CloudFormation::Stack',
        'AWS::CloudFormation::Stack',
        'AWS::CloudFormation::Stack',
        'AWS::CloudWatch::Dashboard',
        'AWS::Events::EventBus',
        'AWS::SNS::Topic',
        'AWS::SNS::TopicPolicy',
      ].sort(),
    );
    app.template.hasResourceProperties('AWS::Events::EventBus', { Name: 'bgjobs--bus' });
    app.template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'bgjobs--alarms' });
  });

  it('names each nested stack after its job (construct id Job-<name>), a contract', () => {
    expect([...app.stack.jobs.values()].map((s) => s.node.id)).toEqual(
      jobs.map((job) => `Job-${job.name}`),
    );
    for (const job of jobs) {
      expect(Object.keys(app.template.findResources('AWS::CloudFormation::Stack'))).toContainEqual(
        expect.stringMatching(
          new RegExp(`^Job${job.name}NestedStackJob${job.name}NestedStackResource`),
        ),
      );
    }
  });

  it('passes nothing to a nested stack: no parameter, no export, only the order to wait for the bus and topic', () => {
    const bus = logicalId(app.template, 'AWS::Events::EventBus', {});
    const topic = logicalId(app.template, 'AWS::SNS::Topic', {});
    for (const nested of resources(app.template, 'AWS::CloudFormation::Stack')) {
      expect(Object.keys(nested.Properties)).toEqual(['TemplateURL']);
      expect(nested.DependsOn).toEqual(expect.arrayContaining([bus, topic]));
    }
    const template = app.template.toJSON();
    expect(Object.keys(template.Parameters)).toEqual(['BootstrapVersion']);
    expect(Object.keys(template.Outputs).sort()).toEqual(['EventBusArn', 'EventBusName']);
    expect(JSON.stringify(template)).not.toContain('Export');
  });

  it('warns, naming the job, when maxReceiveCount is below the 5 AWS advises', () => {
    const warnings = Annotations.fromStack(app.stack).findWarning(
      '*',
      Match.stringLikeRegexp('maxReceiveCount is'),
    );
    expect(warnings.map((w) => String(w.entry.data).slice(0, 40))).toEqual([
      'job "statistics": maxReceiveCount is 3; ',
      'job "process": maxReceiveCount is 4; AWS',
    ]);
    expect(JSON.stringify(warnings)).toContain('bgjobs:settings');
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
