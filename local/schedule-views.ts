import type { JobPlan } from '../core/plan.ts';
import type { RuleRegistry } from './eventbridge/rules.ts';
import type { Scheduler } from './eventbridge/schedule-rules.ts';
import type { LocalScheduler } from './scheduler/start.ts';

/** One schedule of a job, rule or Scheduler schedule, as `npm start`, the dashboard and status show it. */
export interface ScheduleView {
  readonly name: string;
  readonly service: 'rule' | 'scheduler';
  readonly expression: string;
  /** `UTC` for a rule. */
  readonly timeZone: string;
  readonly state: 'ENABLED' | 'DISABLED';
  /** The next run's time by the runtime's own timers; undefined while disabled or when none is left. */
  readonly nextRun: Date | undefined;
}

/** Every schedule of a job, in the order of its definition: rules, then Scheduler schedules. */
export function scheduleViews(
  job: JobPlan,
  rules: RuleRegistry,
  ruleScheduler: Scheduler,
  scheduler: LocalScheduler,
): ScheduleView[] {
  const fromRules = job.rules.flatMap((plan) => {
    const rule = rules.get(plan.name);
    if (!rule?.scheduleExpression) return [];
    const enabled = rule.state === 'ENABLED';
    return [
      {
        name: rule.name,
        service: 'rule' as const,
        expression: rule.scheduleExpression,
        timeZone: 'UTC',
        state: rule.state,
        nextRun: enabled ? ruleScheduler.nextFireTime(rule.name) : undefined,
      },
    ];
  });
  const fromScheduler = scheduler
    .schedulesOf(job)
    .map((s) => ({ ...s, service: 'scheduler' as const }));
  return [...fromRules, ...fromScheduler];
}

/** The earliest next run among a job's schedules. */
export function earliestRun(views: readonly ScheduleView[]): Date | undefined {
  const times = views.flatMap((v) => (v.nextRun ? [v.nextRun.getTime()] : []));
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}
