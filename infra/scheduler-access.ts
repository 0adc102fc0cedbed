import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import type { AppPlan } from '../core/plan.ts';

export interface SchedulerAccessProps {
  /** The app's plan: its schedule group, its scheduler role and every job's queues. */
  readonly app: AppPlan;
}

/**
 * What the app's EventBridge Scheduler schedules share, for the shared stack: the schedule
 * group of the stack's schedules and one-time runs; the role Scheduler assumes, which may
 * only send to the app's job queues and their targets' dead-letter queues (ARNs built from
 * the plan's names, no wildcard), and only for schedules of this account's group; and a
 * managed policy for producers (apps that `enqueue` with `runAt`): create, read and delete
 * one-time runs, pass the role to Scheduler, send to the job queues.
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
    const stack = Stack.of(this);
    const queueArn = (name: string) => stack.formatArn({ service: 'sqs', resource: name });
    const scheduleArn = (name: string) =>
      stack.formatArn({
        service: 'scheduler',
        resource: 'schedule',
        resourceName: `${app.scheduleGroupName}/${name}`,
      });

    this.group = new scheduler.CfnScheduleGroup(this, 'Group', { name: app.scheduleGroupName });

    const targets = new Set<string>();
    for (const job of app.jobs) {
      targets.add(job.queue.name);
      if (job.ruleDeadLetterQueue) targets.add(job.ruleDeadLetterQueue.name);
      if (job.oneTimeRuns.deadLetterQueueName) targets.add(job.oneTimeRuns.deadLetterQueueName);
    }
    this.role = new iam.Role(this, 'Role', {
      roleName: app.schedulerRoleName,
      description: `EventBridge Scheduler sends the scheduled runs of the ${app.stackName} jobs`,
      // Only Scheduler, for this account's schedules in the app's group (confused-deputy guard).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': scheduleArn('*') },
        },
      }),
      inlinePolicies: {
        SendToJobQueues: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['sqs:SendMessage'],
              resources: [...targets].sort().map(queueArn),
            }),
          ],
        }),
      },
    });

    const oneTimeRuns = app.jobs.map((job) => scheduleArn(`${job.oneTimeRunPrefix}*`));
    this.producerPolicy = new iam.ManagedPolicy(this, 'ProducerPolicy', {
      description: `Lets an app enqueue the ${app.stackName} jobs now or later, and cancel and list their one-time runs`,
      statements: [
        new iam.PolicyStatement({
          sid: 'OneTimeRuns',
          actions: [
            'scheduler:CreateSchedule',
            'scheduler:GetSchedule',
            'scheduler:DeleteSchedule',
          ],
          resources: oneTimeRuns,
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
          resources: app.jobs.map((job) => queueArn(job.queue.name)),
        }),
      ],
    });
    // cdk-nag names each wildcard finding by the resource as it prints it (tokens as <AWS::...>).
    const shown = (value: string, token: string) =>
      Token.isUnresolved(value) ? `<${token}>` : value;
    const region = shown(stack.region, 'AWS::Region');
    const account = shown(stack.account, 'AWS::AccountId');
    // A literal where the region is known (cdk.json's partition-literals flag), a token elsewhere.
    const partition = shown(stack.partition, 'AWS::Partition');
    Validations.of(this.producerPolicy).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'ListSchedules supports no resource-level permission: it can only be granted on *.',
      },
      ...app.jobs.map((job) => ({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:${partition}:scheduler:${region}:${account}:schedule/${app.scheduleGroupName}/${job.oneTimeRunPrefix}*]`,
        reason: `One-time runs of "${job.name}" are named ${job.oneTimeRunPrefix}<random id> when enqueue creates them: the * stands for that id only.`,
      })),
    );
  }
}
