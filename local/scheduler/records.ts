/**
 * Schedules and groups as the local Scheduler keeps them: in the API's own shape (what
 * `GetSchedule` and `GetScheduleGroup` return), dates as epoch seconds, as they travel.
 */

export interface TargetRecord {
  readonly Arn: string;
  readonly RoleArn: string;
  readonly Input?: string;
  readonly RetryPolicy: {
    readonly MaximumRetryAttempts: number;
    readonly MaximumEventAgeInSeconds: number;
  };
  readonly DeadLetterConfig?: { readonly Arn: string };
  readonly SqsParameters?: { readonly MessageGroupId?: string };
}

export interface ScheduleRecord {
  readonly Arn: string;
  readonly Name: string;
  readonly GroupName: string;
  readonly Description?: string;
  readonly ScheduleExpression: string;
  readonly ScheduleExpressionTimezone: string;
  readonly StartDate?: number;
  readonly EndDate?: number;
  readonly State: 'ENABLED' | 'DISABLED';
  readonly FlexibleTimeWindow: {
    readonly Mode: 'OFF' | 'FLEXIBLE';
    readonly MaximumWindowInMinutes?: number;
  };
  readonly Target: TargetRecord;
  readonly ActionAfterCompletion: 'NONE' | 'DELETE';
  readonly CreationDate: number;
  readonly LastModificationDate: number;
}

export interface GroupRecord {
  readonly Arn: string;
  readonly Name: string;
  readonly State: 'ACTIVE';
  readonly CreationDate: number;
  readonly LastModificationDate: number;
}

/** Scheduler's own group, always there, never deleted. */
export const DEFAULT_GROUP = 'default';
