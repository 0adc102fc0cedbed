import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { JobsStack } from '../../infra/jobs-stack.ts';
import { addNagChecks } from '../../infra/nag.ts';
import { jobs } from '../../jobs/index.ts';
import { testApp } from './build.ts';

describe('cdk-nag AwsSolutions', () => {
  it("finds nothing unacknowledged in the app's stack and the jobs' stacks, dashboards included", () => {
    const app = testApp();
    new JobsStack(app, 'bgjobs', { jobs, jobDashboards: true });
    addNagChecks(app);
    expect(() => app.synth()).not.toThrow();
  });

  it("fails synth on an unacknowledged finding in a job's stack, proving the check reaches every stack", () => {
    const app = testApp();
    const stack = new JobsStack(app, 'bgjobs', { jobs });
    const jobStack = stack.jobs.get('process');
    if (!jobStack) throw new Error('no stack for the job process');
    // A queue without TLS enforcement or a dead-letter queue: AwsSolutions-SQS3 and SQS4.
    new sqs.Queue(jobStack, 'Careless', { visibilityTimeout: Duration.seconds(30) });
    addNagChecks(app);
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });
});
