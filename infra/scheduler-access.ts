import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { arns } from '../core/arns.ts';
import type { AwsEnvironment } from '../core/local-environment.ts';
import type { AppPlan } from '../core/plan.ts';
import { keySpaceStatement } from './key-space-grant.ts';
import { nagEnvironment, stackEnvironment } from './stack-environment.ts';

export interface SchedulerAccessProps {
  /** The app's plan: its schedule group, its scheduler role and every job's queues. */
  readonly app: AppPlan;
}

/**
 * What the app's EventBridge Scheduler schedules share, for the shared stack: the schedule
 * group of the stack's schedules and one-time runs; the role Scheduler assumes, which may
 * only send to the app's queues (`<stack>--*`, one ARN whatever the number of jobs: an ARN
 * per queue would pass IAM's policy size limits at a few dozen jobs), and only for
 * schedules of this account's group; and a managed policy for producers (apps that
 * `enqueue` with `runAt`): create, read and delete one-time runs (`*--run-*` in the group),
 * pass the role to Scheduler, send to the app's queues, and reserve unique enqueues' keys
 * when the app has an idempotency table. The same whatever the jobs: adding one leaves
 * the app's stack alone (but for the table, when the first job that needs it comes).
 */
export class SchedulerAccess extends Construct {
  readonly group: scheduler.CfnScheduleGroup;
  /** Assumed by EventBridge Scheduler to send a schedule's message. */
  readonly role: iam.Role;
  /** Attach to whatever runs `enqueue(..., { runAt })`, `cancel` and `scheduled.list`. */
  readonly producerPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: SchedulerAccessProps) {
    super(scope, id);
    const { app } = props;
    const env = stackEnvironment(this);

    this.group = new scheduler.CfnScheduleGroup(this, 'Group', { name: app.scheduleGroupName });

    this.role = new iam.Role(this, 'Role', {
      roleName: app.schedulerRoleName,
      description: `EventBridge Scheduler sends the scheduled runs of the ${app.stackName} jobs`,
      // Only Scheduler, for this account's schedules in the app's group (confused-deputy guard).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': env.account },
          ArnLike: { 'aws:SourceArn': arns.schedule(env, app.scheduleGroupName, '*') },
        },
      }),
      inlinePolicies: {
        SendToJobQueues: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['sqs:SendMessage'],
              resources: [arns.queue(env, app.queueNamePattern)],
            }),
          ],
        }),
      },
    });

    this.producerPolicy = new iam.ManagedPolicy(this, 'ProducerPolicy', {
      description: `Lets an app enqueue the ${app.stackName} jobs now or later (with unique keys too), and cancel and list their one-time runs`,
      statements: [
        new iam.PolicyStatement({
          sid: 'OneTimeRuns',
          actions: [
            'scheduler:CreateSchedule',
            'scheduler:GetSchedule',
            'scheduler:DeleteSchedule',
          ],
          resources: [arns.schedule(env, app.scheduleGroupName, app.oneTimeRunNamePattern)],
        }),
        new iam.PolicyStatement({
          sid: 'ListOneTimeRuns',
          // ListSchedules takes no resource: it can only be granted on "*".
          actions: ['scheduler:ListSchedules'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'PassSchedulerRole',
          actions: ['iam:PassRole'],
          resources: [this.role.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
        new iam.PolicyStatement({
          sid: 'EnqueueNow',
          actions: ['sqs:SendMessage', 'sqs:GetQueueUrl'],
          resources: [arns.queue(env, app.queueNamePattern)],
        }),
        ...uniqueEnqueueStatements(app, env),
      ],
    });
    // cdk-nag names each wildcard finding by the resource as it prints it (tokens as <AWS::...>).
    const shown = nagEnvironment(this);
    const queueWildcard = {
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${arns.queue(shown, app.queueNamePattern)}]`,
      reason: `The app's queues, all named ${app.queueNamePattern}: one ARN for hundreds of jobs, where an ARN per queue would pass IAM's policy size limits.`,
    };
    Validations.of(this.producerPolicy).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'ListSchedules supports no resource-level permission: it can only be granted on *.',
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${arns.schedule(shown, app.scheduleGroupName, app.oneTimeRunNamePattern)}]`,
        reason: `One-time runs are named <job>--run-<random id> when enqueue creates them; job names hold no "--", so the pattern matches one-time runs of the app's group only.`,
      },
      queueWildcard,
    );
    Validations.of(this.role).acknowledge(queueWildcard);
  }
}

/**
 * `enqueue(..., { uniqueKey })` reserves and records keys in the idempotency table, under
 * each job's `<stack>--<job>--unique` leading key: one pattern for all jobs, none of their
 * handlers' records. No statement when the app has no table.
 */
function uniqueEnqueueStatements(app: AppPlan, env: AwsEnvironment): iam.PolicyStatement[] {
  const table = app.idempotencyTable;
  if (!table) return [];
  const statement = keySpaceStatement(arns.table(env, table.name), table.uniqueEnqueueKeyPattern);
  statement.sid = 'UniqueEnqueues';
  return [statement];
}
