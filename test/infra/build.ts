import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { JobDefinition } from '../../core/job.ts';
import { JobsStack } from '../../infra/jobs-stack.ts';

export const FIXTURE_JOBS_DIR = path.join(import.meta.dirname, 'fixtures', 'jobs');
export const JOBS_DIR = path.resolve(import.meta.dirname, '..', '..', 'jobs');

/** An app that skips esbuild bundling: the template keeps the real function, with placeholder code. */
export function testApp(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

export function synthStack(jobs: readonly JobDefinition[], jobsDir = JOBS_DIR) {
  const app = testApp();
  const stack = new JobsStack(app, 'bgjobs', { jobs, jobsDir });
  return { app, stack, template: Template.fromStack(stack) };
}
