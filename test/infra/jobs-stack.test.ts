import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import { JobsStack } from '../../infra/jobs-stack.ts';
import { jobs, processJob } from '../../jobs/index.ts';
import { FIXTURE_JOBS_DIR, synthStack, testApp } from './build.ts';
import { ledgerJob } from './fixtures/jobs/ledger.ts';

type Synth = ReturnType<typeof synthStack>;
let app: Synth;

beforeAll(() => {
  app = synthStack(jobs);
});

describe("the app's stack", () => {
  it('holds the shared parts only: the bus, the alarm topic and the overview dashboard', () => {
    const types = Object.values(app.template.toJSON().Resources as Record<string, { Type: string }>)
      .map((r) => r.Type)
      .sort();
    expect(types).toEqual([
      'AWS::CloudWatch::Dashboard',
      'AWS::Events::EventBus',
      'AWS::SNS::Topic',
      'AWS::SNS::TopicPolicy',
    ]);
    app.template.hasResourceProperties('AWS::Events::EventBus', { Name: 'bgjobs--bus' });
    app.template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'bgjobs--alarms' });
  });

  it('gives each job a stack of its own, Job-<name> below the app, named <stack>--<job>: a contract', () => {
    expect([...app.stack.jobs.values()].map((s) => [s.node.path, s.stackName])).toEqual(
      jobs.map((job) => [`bgjobs/Job-${job.name}`, `bgjobs--${job.name}`]),
    );
  });

  it('passes nothing to a job stack: no parameter, no export, only the order to deploy after the app stack', () => {
    for (const job of app.stack.jobs.values()) {
      expect(job.dependencies).toEqual([app.stack]);
    }
    const assembly = app.app.synth();
    for (const job of jobs) {
      const artifact = assembly.getStackByName(`bgjobs--${job.name}`);
      expect(artifact.dependencies.map((d) => d.id)).toContain('bgjobs');
      expect(Object.keys(artifact.template.Parameters ?? {})).toEqual(['BootstrapVersion']);
    }
    const template = app.template.toJSON();
    expect(Object.keys(template.Parameters)).toEqual(['BootstrapVersion']);
    expect(Object.keys(template.Outputs).sort()).toEqual(['EventBusArn', 'EventBusName']);
    expect(JSON.stringify(assembly.stacks.map((s) => s.template))).not.toMatch(
      /Export|ImportValue/,
    );
  });

  it('warns, naming the job, when maxReceiveCount is below the 5 AWS advises', () => {
    const hasty = defineJob({
      name: 'ledger',
      schema: z.object({}),
      handler: () => {},
      maxReceiveCount: 2,
    });
    const withHasty = synthStack([hasty], { jobsDir: FIXTURE_JOBS_DIR });
    const warnings = Annotations.fromStack(withHasty.stack).findWarning(
      '*',
      Match.stringLikeRegexp('maxReceiveCount is'),
    );
    expect(warnings.map((w) => String(w.entry.data).slice(0, 40))).toEqual([
      'job "ledger": maxReceiveCount is 2; AWS ',
    ]);
    expect(JSON.stringify(warnings)).toContain('bgjobs:settings');
    // The example jobs follow the advice: no warning for them.
    expect(
      Annotations.fromStack(app.stack).findWarning('*', Match.stringLikeRegexp('maxReceiveCount')),
    ).toEqual([]);
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
