import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { arns } from '../core/arns.ts';
import type { AppPlan, JobPlan } from '../core/plan.ts';
import { Job } from './job.ts';
import { JobAlarms } from './job-alarms.ts';
import { JobDashboard } from './job-dashboard.ts';
import { JobSchedules } from './job-schedules.ts';
import { grantKeySpace } from './key-space-grant.ts';
import { stackEnvironment } from './stack-environment.ts';

export interface JobStackProps extends Pick<StackProps, 'env'> {
  readonly app: AppPlan;
  /** The job's plan: every name and setting of the resources in this stack. */
  readonly plan: JobPlan;
  /** The folder holding `<job name>.ts` for each job. */
  readonly jobsDir: string;
  /**
   * Give the job a dashboard of its own.
   * @default false - the app's overview dashboard only
   */
  readonly dashboard?: boolean;
}

/**
 * One job's resources in a CloudFormation stack of their own (`<stack>--<job>`):
 * queues, function, rules, EventBridge Scheduler schedules, alarms, and
 * optionally a dashboard. It refers to the app's event bus, alarm topic and
 * idempotency table by their names from the plan, never by
 * export or parameter, so its template changes only when the job does, and a
 * deploy of the app leaves it alone when another job changes.
 */
export class JobStack extends Stack {
  readonly jobName: string;
  readonly job: Job;
  readonly alarms: JobAlarms;
  readonly dashboard: JobDashboard | undefined;
  /** The job's EventBridge Scheduler schedules, when it has any. */
  readonly schedules: JobSchedules | undefined;

  constructor(scope: Construct, id: string, props: JobStackProps) {
    const { app, plan } = props;
    super(scope, id, {
      stackName: plan.stackName,
      env: props.env,
      description: `bgjobs: the job "${plan.name}" of ${app.stackName}`,
    });
    this.jobName = plan.name;
    const env = stackEnvironment(this);
    const bus = events.EventBus.fromEventBusName(this, 'Bus', app.eventBusName);
    const topic = sns.Topic.fromTopicArn(this, 'AlarmTopic', arns.topic(env, app.alarmTopicName));

    this.job = new Job(this, 'Job', { app, plan, bus, jobsDir: props.jobsDir });
    if (plan.idempotency) {
      // The app's table, by name: its records under the job's own key prefix only.
      const table = dynamodb.Table.fromTableName(
        this,
        'IdempotencyTable',
        plan.idempotency.tableName,
      );
      grantKeySpace(this.job.worker.function, table, plan.idempotency);
    }
    this.schedules =
      plan.schedules.length > 0 ? new JobSchedules(this, 'Schedules', { plan, app }) : undefined;
    this.alarms = new JobAlarms(this, 'Alarms', { app, plan, topic });
    this.dashboard = props.dashboard
      ? new JobDashboard(this, 'Dashboard', { app, plan, alarms: this.alarms.alarms })
      : undefined;
    new CfnOutput(this, 'QueueUrl', { value: this.job.queues.queue.queueUrl });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: this.job.queues.deadLetterQueue.queueUrl,
    });
  }
}
