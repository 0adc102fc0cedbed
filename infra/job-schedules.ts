import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import type { AppPlan, JobPlan } from '../core/plan.ts';
import { recurringScheduleRequest } from '../core/schedule-requests.ts';
import { stackEnvironment } from './stack-environment.ts';

export interface JobSchedulesProps {
  /** The job's plan: its EventBridge Scheduler schedules, each with its target. */
  readonly plan: JobPlan;
  /** The names the schedules share: the scheduler role (made by `SchedulerAccess`). */
  readonly app: Pick<AppPlan, 'schedulerRoleName'>;
}

/**
 * A job's EventBridge Scheduler schedules (`AWS::Scheduler::Schedule`), as the plan gives
 * them: in the app's group, in their time zone, with their flexible window and dates; the
 * target sends an EventBridge-shaped event with the schedule's payload to the job's queue
 * (FIFO: the plan's message group), retried for about one period, then put on the job's rule
 * dead-letter queue. The same request the local runtime makes (`core/schedule-requests.ts`).
 * The role and group are referred to by name: they live in the shared stack.
 */
export class JobSchedules extends Construct {
  readonly schedules: readonly scheduler.CfnSchedule[];

  constructor(scope: Construct, id: string, props: JobSchedulesProps) {
    super(scope, id);
    const env = stackEnvironment(this);
    this.schedules = props.plan.schedules.map((planned, i) => {
      const request = recurringScheduleRequest(props.app, planned, env);
      const target = request.Target;
      return new scheduler.CfnSchedule(this, i === 0 ? 'Schedule' : `Schedule${i + 1}`, {
        name: request.Name,
        groupName: request.GroupName,
        description: request.Description,
        scheduleExpression: request.ScheduleExpression,
        scheduleExpressionTimezone: request.ScheduleExpressionTimezone,
        startDate: request.StartDate?.toISOString(),
        endDate: request.EndDate?.toISOString(),
        state: request.State,
        flexibleTimeWindow: {
          mode: request.FlexibleTimeWindow.Mode,
          maximumWindowInMinutes: request.FlexibleTimeWindow.MaximumWindowInMinutes,
        },
        target: {
          arn: target.Arn,
          roleArn: target.RoleArn,
          input: target.Input,
          retryPolicy: {
            maximumRetryAttempts: target.RetryPolicy.MaximumRetryAttempts,
            maximumEventAgeInSeconds: target.RetryPolicy.MaximumEventAgeInSeconds,
          },
          deadLetterConfig: target.DeadLetterConfig && { arn: target.DeadLetterConfig.Arn },
          sqsParameters: target.SqsParameters && {
            messageGroupId: target.SqsParameters.MessageGroupId,
          },
        },
      });
    });
  }
}
