import { DisableRuleCommand, EnableRuleCommand } from '@aws-sdk/client-eventbridge';
import {
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import {
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { JobDefinition } from '../core/job.ts';
import type { ClientContext } from './context.ts';

/** The rules of a job as the stack names them, with the bus each lives on. */
export function jobRules(ctx: ClientContext, job: JobDefinition): { name: string; bus: string }[] {
  return ctx.plan(job.name).rules.map((rule) => ({ name: rule.name, bus: rule.busName }));
}

/**
 * Pauses or resumes a job: its rules and its EventBridge Scheduler schedules stop or
 * start sending, and its event source mapping stops or starts receiving. Messages wait in
 * the queue meanwhile (one-time runs are left as they are). The same calls work on AWS and
 * against the local runtime.
 */
export async function setPaused(
  ctx: ClientContext,
  jobName: string,
  paused: boolean,
): Promise<void> {
  const job = ctx.job(jobName);
  for (const rule of jobRules(ctx, job)) {
    const input = { Name: rule.name, EventBusName: rule.bus };
    await ctx.eventBridge.send(
      paused ? new DisableRuleCommand(input) : new EnableRuleCommand(input),
    );
  }
  for (const schedule of ctx.plan(job.name).schedules) {
    const current = await ctx.scheduler.send(
      new GetScheduleCommand({ Name: schedule.name, GroupName: schedule.groupName }),
    );
    await ctx.scheduler.send(
      new UpdateScheduleCommand({
        ...updatableFields(current),
        State: paused ? 'DISABLED' : 'ENABLED',
      }),
    );
  }
  for (const mapping of await mappingsOf(ctx, job)) {
    await ctx.lambda.send(
      new UpdateEventSourceMappingCommand({ UUID: mapping.UUID, Enabled: !paused }),
    );
  }
}

/** Paused means no event source mapping is receiving (rules may be on or off). */
export async function isPaused(ctx: ClientContext, job: JobDefinition): Promise<boolean> {
  const mappings = await mappingsOf(ctx, job);
  return (
    mappings.length > 0 && mappings.every((m) => m.State === 'Disabled' || m.State === 'Disabling')
  );
}

async function mappingsOf(ctx: ClientContext, job: JobDefinition) {
  const response = await ctx.lambda.send(
    new ListEventSourceMappingsCommand({ FunctionName: ctx.plan(job.name).function.name }),
  );
  return response.EventSourceMappings ?? [];
}

/** UpdateSchedule replaces the whole schedule: everything GetSchedule said goes back, as AWS advises. */
function updatableFields(current: GetScheduleCommandOutput) {
  return {
    Name: current.Name,
    GroupName: current.GroupName,
    ScheduleExpression: current.ScheduleExpression,
    ScheduleExpressionTimezone: current.ScheduleExpressionTimezone,
    StartDate: current.StartDate,
    EndDate: current.EndDate,
    Description: current.Description,
    FlexibleTimeWindow: current.FlexibleTimeWindow,
    Target: current.Target,
    KmsKeyArn: current.KmsKeyArn,
    ActionAfterCompletion: current.ActionAfterCompletion,
  };
}
