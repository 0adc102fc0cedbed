/**
 * The CDK app (`cdk synth`, `cdk deploy`): one stack with every registered job.
 * The stack name comes from the context value `stackName` (default `bgjobs`);
 * alarms are e-mailed to the context value `alarmEmail` when it is set.
 */
import { App } from 'aws-cdk-lib';
import { DEFAULT_STACK_NAME } from '../core/naming.ts';
import { jobs } from '../jobs/index.ts';
import { JobsStack } from './jobs-stack.ts';
import { addNagChecks } from './nag.ts';
import { alarmEmailFromContext } from './stack-monitoring.ts';

const app = new App();
const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? DEFAULT_STACK_NAME;
new JobsStack(app, stackName, {
  jobs,
  description: 'bgjobs: background jobs on SQS, Lambda and EventBridge',
  alarmEmail: alarmEmailFromContext(app.node),
});
addNagChecks(app);
app.synth();
