/**
 * The CDK app (`cdk synth`, `cdk deploy --all`): the app's stack, and a stack
 * per registered job. Context values (docs/deploy.md): `stackName`,
 * `alarmEmail`, `queueRemoval`, `allowQueueReplacement`, `jobDashboards`,
 * `queueLockFile`. Before anything is written, the queues are checked against
 * the lock file; after, every template against CloudFormation's and
 * CloudWatch's limits, and cdk-nag's AwsSolutions checks run.
 */
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { jobs } from '../jobs/index.ts';
import { appContext } from './app-context.ts';
import { JobsStack } from './jobs-stack.ts';
import { addNagChecks } from './nag.ts';
import { enforceQueueLock } from './queue-lock-file.ts';
import { addTemplateLimits } from './template-limits-plugin.ts';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

const app = new App();
const context = appContext(app.node);
const stack = new JobsStack(app, context.stackName, {
  jobs,
  description: 'bgjobs: background jobs on SQS, Lambda and EventBridge',
  alarmEmail: context.alarmEmail,
  queueRemoval: context.queueRemoval,
  jobDashboards: context.jobDashboards,
});
enforceQueueLock(
  path.resolve(PROJECT_ROOT, context.queueLockFile),
  stack.plan,
  context.allowQueueReplacement,
);
addTemplateLimits(app);
addNagChecks(app);
app.synth();
