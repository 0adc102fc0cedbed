/**
 * What bgjobs asks EventBridge Scheduler for, in the API's own shape (`CreateSchedule`),
 * worked out once from the plan: the stack's recurring schedules (`infra/job-schedules.ts`),
 * the local runtime's (created through its own Scheduler API), and the one-time runs
 * `enqueue` creates.
 */
import { arns } from './arns.ts';
import type { AwsEnvironment } from './local-environment.ts';
import { schedulerTargetInput } from './messages.ts';
import type { JobPlan, SchedulePlan } from './plan.ts';
import { atExpression } from './schedule-runs.ts';

/** The fields of `CreateSchedule` (and `UpdateSchedule`) bgjobs sets. */
export interface ScheduleRequest {
  readonly Name: string;
  readonly GroupName: string;
  readonly Description?: string;
  readonly ScheduleExpression: string;
  readonly ScheduleExpressionTimezone: string;
  readonly StartDate?: Date;
  readonly EndDate?: Date;
  readonly State: 'ENABLED' | 'DISABLED';
  readonly FlexibleTimeWindow: {
    readonly Mode: 'OFF' | 'FLEXIBLE';
    readonly MaximumWindowInMinutes?: number;
  };
  readonly Target: ScheduleTargetRequest;
  readonly ActionAfterCompletion: 'NONE' | 'DELETE';
}

export interface ScheduleTargetRequest {
  readonly Arn: string;
  readonly RoleArn: string;
  readonly Input: string;
  readonly RetryPolicy: {
    readonly MaximumRetryAttempts: number;
    readonly MaximumEventAgeInSeconds: number;
  };
  readonly DeadLetterConfig?: { readonly Arn: string };
  readonly SqsParameters?: { readonly MessageGroupId: string };
}

/** The names Scheduler needs besides the job's: the role it assumes. */
export interface SchedulerApp {
  readonly schedulerRoleName: string;
}

/**
 * A recurring schedule of a job as the stack creates it: its expression in its zone, its
 * window and dates, and a target that sends an EventBridge-shaped event with the schedule's
 * payload to the job's queue (FIFO: the plan's group), retried for about one period, then
 * put on the rule dead-letter queue.
 */
export function recurringScheduleRequest(
  app: SchedulerApp,
  schedule: SchedulePlan,
  env: AwsEnvironment,
): ScheduleRequest {
  const { schedule: definition, target } = schedule;
  const window = definition.flexibleWindowMinutes;
  return {
    Name: schedule.name,
    GroupName: schedule.groupName,
    Description: schedule.description,
    ScheduleExpression: definition.expression,
    ScheduleExpressionTimezone: definition.timeZone,
    ...(definition.startDate && { StartDate: definition.startDate }),
    ...(definition.endDate && { EndDate: definition.endDate }),
    State: 'ENABLED',
    FlexibleTimeWindow: window
      ? { Mode: 'FLEXIBLE', MaximumWindowInMinutes: window }
      : { Mode: 'OFF' },
    Target: {
      Arn: arns.queue(env, target.queueName),
      RoleArn: arns.role(env, app.schedulerRoleName),
      Input: schedulerTargetInput({
        account: env.account,
        region: env.region,
        payload: definition.payload,
      }),
      RetryPolicy: {
        MaximumRetryAttempts: target.retryAttempts,
        MaximumEventAgeInSeconds: target.maxEventAgeSeconds,
      },
      DeadLetterConfig: { Arn: arns.queue(env, target.deadLetterQueueName) },
      ...(target.messageGroupId && { SqsParameters: { MessageGroupId: target.messageGroupId } }),
    },
    ActionAfterCompletion: 'NONE',
  };
}

/**
 * A one-time run: `at(...)` in UTC, deleted by Scheduler after it ran, whose target sends
 * `body` (exactly what `enqueue` would have sent) to the job's queue.
 */
export function oneTimeRunRequest(
  app: SchedulerApp,
  job: Pick<JobPlan, 'name' | 'oneTimeRunName' | 'oneTimeRuns'>,
  env: AwsEnvironment,
  run: {
    readonly id: string;
    readonly at: Date;
    readonly body: string;
    readonly messageGroupId: string | undefined;
  },
): ScheduleRequest {
  const plan = job.oneTimeRuns;
  return {
    Name: job.oneTimeRunName(run.id),
    GroupName: plan.groupName,
    Description: `One-time run of the bgjobs job "${job.name}"`,
    ScheduleExpression: atExpression(run.at),
    ScheduleExpressionTimezone: 'UTC',
    State: 'ENABLED',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      Arn: arns.queue(env, plan.queueName),
      RoleArn: arns.role(env, app.schedulerRoleName),
      Input: run.body,
      RetryPolicy: {
        MaximumRetryAttempts: plan.retryAttempts,
        MaximumEventAgeInSeconds: plan.maxEventAgeSeconds,
      },
      ...(plan.deadLetterQueueName && {
        DeadLetterConfig: { Arn: arns.queue(env, plan.deadLetterQueueName) },
      }),
      ...(run.messageGroupId && { SqsParameters: { MessageGroupId: run.messageGroupId } }),
    },
    ActionAfterCompletion: 'DELETE',
  };
}
