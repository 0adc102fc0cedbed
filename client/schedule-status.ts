/**
 * Each schedule of a job as `bgjobs status` reads it, on AWS and locally: a rule's state
 * (DescribeRule), a Scheduler schedule's state (GetSchedule), and when each runs next, in its
 * own time zone and in UTC; the count of pending one-time runs (ListSchedules with the job's
 * prefix).
 */
import { DescribeRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import type { JobPlan } from '../core/plan.ts';
import { duration, utcTime, zonedTime } from '../core/time-text.ts';
import type { ClientContext } from './context.ts';
import { loopbackEndpoint } from './local-endpoint.ts';
import { decideNextRun, type NextRun } from './next-run.ts';
import { listRunSummaries } from './scheduled-runs.ts';

export interface ScheduleStatus {
  readonly name: string;
  readonly service: 'rule' | 'scheduler';
  readonly expression: string;
  readonly timeZone: string;
  readonly state: 'ENABLED' | 'DISABLED';
  readonly nextRun: NextRun;
}

/** Reads every schedule of the job (one call each); rejects when one cannot be read. */
export async function readSchedules(
  ctx: ClientContext,
  plan: JobPlan,
  now: Date,
): Promise<ScheduleStatus[]> {
  const rules = plan.rules.filter((rule) => rule.kind === 'schedule' && rule.schedule);
  const [local, ruleStates, scheduleStates] = await Promise.all([
    loopbackEndpoint(ctx.eventBridge),
    Promise.all(
      rules.map((rule) =>
        ctx.eventBridge.send(
          new DescribeRuleCommand({ Name: rule.name, EventBusName: rule.busName }),
        ),
      ),
    ),
    Promise.all(
      plan.schedules.map((s) =>
        ctx.scheduler.send(new GetScheduleCommand({ Name: s.name, GroupName: s.groupName })),
      ),
    ),
  ]);
  const fromRules = rules.map((rule, i): ScheduleStatus => {
    const state = ruleStates[i]?.State === 'DISABLED' ? 'DISABLED' : 'ENABLED';
    return {
      name: rule.name,
      service: 'rule',
      expression: rule.scheduleExpression ?? '',
      timeZone: 'UTC',
      state,
      nextRun: decideNextRun(
        // biome-ignore lint/style/noNonNullAssertion: filtered on rule.schedule above
        { parsed: rule.schedule!, timeZone: 'UTC', startDate: undefined, endDate: undefined },
        state,
        now,
        local !== undefined,
      ),
    };
  });
  const fromScheduler = plan.schedules.map((s, i): ScheduleStatus => {
    const state = scheduleStates[i]?.State === 'DISABLED' ? 'DISABLED' : 'ENABLED';
    const { schedule } = s;
    return {
      name: s.name,
      service: 'scheduler',
      expression: schedule.expression,
      timeZone: schedule.timeZone,
      state,
      nextRun: decideNextRun(schedule, state, now, local !== undefined),
    };
  });
  return [...fromRules, ...fromScheduler];
}

/** One-time runs of the job not yet run. */
export async function countPendingRuns(ctx: ClientContext, plan: JobPlan): Promise<number> {
  return (await listRunSummaries(ctx, plan.name)).length;
}

/**
 * `2027-01-04 09:00:00 Europe/Berlin (08:00:00 UTC, in 3 h)`; in UTC just the UTC time,
 * as `nextRunText` writes it.
 */
export function zonedRunText(at: Date, timeZone: string, now: Date): string {
  const inSeconds = Math.max(0, (at.getTime() - now.getTime()) / 1000);
  if (timeZone === 'UTC') return `${utcTime(at, now)} (in ${duration(inSeconds)})`;
  return `${zonedTime(at, timeZone)} (${utcTime(at, now)}, in ${duration(inSeconds)})`;
}
