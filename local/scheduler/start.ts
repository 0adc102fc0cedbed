import type { EventEmitter } from 'node:events';
import { BgjobsError } from '../../core/errors.ts';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import type { AppPlan, JobPlan } from '../../core/plan.ts';
import { recurringScheduleRequest, type ScheduleRequest } from '../../core/schedule-requests.ts';
import { type Clock, systemClock } from '../clock.ts';
import { sqsSender } from '../eventbridge/rule-targets.ts';
import { startTargetDeliveries } from '../eventbridge/target-deliveries.ts';
import type { RuntimeEvents } from '../runtime-events.ts';
import type { LocalSqs } from '../sqs/start.ts';
import { startSchedulerApi } from './api.ts';
import {
  createGroup,
  createSchedule,
  deleteSchedule,
  type OperationDeps,
  updateSchedule,
} from './operations.ts';
import type { ScheduleRecord } from './records.ts';
import { runDelivery } from './run-delivery.ts';
import { type ScheduleRun, startScheduleRunner } from './runner.ts';
import { scheduleRunLine } from './schedule-run-line.ts';
import { ScheduleStore } from './store.ts';

/** A job's Scheduler schedule as the runtime shows it. */
export interface LocalSchedule {
  readonly name: string;
  readonly expression: string;
  readonly timeZone: string;
  readonly state: 'ENABLED' | 'DISABLED';
  /** Its next run's time; undefined while disabled or when none is left. */
  readonly nextRun: Date | undefined;
}

export interface LocalScheduler {
  /** `http://127.0.0.1:PORT` of the Scheduler API. */
  readonly endpoint: string;
  /** The job's recurring Scheduler schedules, as they are now. */
  schedulesOf(job: JobPlan): LocalSchedule[];
  /** One-time runs of the job not yet run: `ListSchedules` with the job's prefix. */
  pendingRuns(job: JobPlan): number;
  /** Pause and resume: the job's recurring schedules are disabled or enabled. */
  setEnabled(job: JobPlan, enabled: boolean): void;
  /** Stops the API, the timers and retries (a run waiting to retry is reported abandoned). */
  stop(): Promise<void>;
}

/**
 * The local EventBridge Scheduler: its API on 127.0.0.1, schedules in SQLite under the data
 * folder (in memory without one), runs sent to their SQS targets with retries and dead
 * letters. At start it creates the app's group and the plan's recurring schedules, as the
 * stack would, and deletes recurring schedules the plan no longer has; one-time runs stay.
 */
export async function startLocalScheduler(options: {
  readonly plan: AppPlan;
  readonly port: number;
  readonly dataDir: string | undefined;
  readonly sqs: LocalSqs;
  readonly clock: Clock | undefined;
  readonly random?: () => number;
  readonly events: EventEmitter<RuntimeEvents>;
  readonly log: (line: string) => void;
}): Promise<LocalScheduler> {
  const { plan, sqs, events, log } = options;
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const store = new ScheduleStore(options.dataDir, now);
  const jobOf = (record: ScheduleRecord) =>
    plan.jobs.find((job) => record.Target.Arn.endsWith(`:${job.queue.name}`))?.name;
  const deliveries = startTargetDeliveries<ScheduleRun>({
    send: sqsSender(sqs.client),
    clock: options.clock,
    onReport: (report) => {
      const line = scheduleRunLine(report);
      if (line) log(line);
      events.emit('scheduleRun', report);
      if (report.outcome !== 'delivered') {
        const error = new BgjobsError(
          line ?? `schedule ${report.source.record.Name}: ${report.outcome}`,
        );
        events.emit('problem', { job: jobOf(report.source.record), error });
      }
    },
  });
  const queueUrl = (arn: string) =>
    `${sqs.endpoint}/${LOCAL_ENVIRONMENT.account}/${arn.split(':').at(-1)}`;
  const runner = startScheduleRunner({
    store,
    clock: options.clock,
    random: options.random,
    deliver: (run) => deliveries.deliver(runDelivery(run, queueUrl)),
  });
  const deps: OperationDeps = {
    store,
    now,
    onChange: (groupName, name, record) => runner.update(groupName, name, record),
  };
  try {
    ensurePlannedSchedules(plan, deps);
  } catch (error) {
    await runner.stop();
    store.close();
    throw error;
  }
  const api = await startSchedulerApi({ port: options.port, deps }).catch(async (error) => {
    await runner.stop();
    store.close();
    throw error;
  });
  const recordOf = (name: string) => store.schedule(plan.scheduleGroupName, name)?.record;
  return {
    endpoint: api.endpoint,
    schedulesOf: (job) =>
      job.schedules.flatMap((s) => {
        const record = recordOf(s.name);
        if (!record) return [];
        return [
          {
            name: s.name,
            expression: record.ScheduleExpression,
            timeZone: record.ScheduleExpressionTimezone,
            state: record.State,
            nextRun: runner.nextRun(plan.scheduleGroupName, s.name),
          },
        ];
      }),
    pendingRuns: (job) => store.pendingCount(job.oneTimeRuns.groupName, job.oneTimeRunPrefix),
    setEnabled: (job, enabled) => {
      for (const s of job.schedules) {
        const record = recordOf(s.name);
        if (!record) continue;
        const updated: ScheduleRecord = {
          ...record,
          State: enabled ? 'ENABLED' : 'DISABLED',
          LastModificationDate: now() / 1000,
        };
        store.putSchedule(updated);
        runner.update(updated.GroupName, updated.Name, updated);
      }
    },
    stop: async () => {
      await api.stop();
      await runner.stop();
      await deliveries.stop();
      store.close();
    },
  };
}

/** The app's group and the plan's recurring schedules, through the API's own operations. */
function ensurePlannedSchedules(plan: AppPlan, deps: OperationDeps): void {
  const groupName = plan.scheduleGroupName;
  if (!deps.store.group(groupName)) createGroup(deps, groupName);
  const planned = new Set<string>();
  for (const job of plan.jobs) {
    for (const schedule of job.schedules) {
      planned.add(schedule.name);
      const body = wireBody(recurringScheduleRequest(plan, schedule, LOCAL_ENVIRONMENT));
      if (deps.store.schedule(groupName, schedule.name)) updateSchedule(deps, schedule.name, body);
      else createSchedule(deps, schedule.name, body);
    }
  }
  // A recurring schedule the plan no longer has goes, as a deploy would remove it; one-time runs stay.
  const oneTimePrefixes = plan.jobs.map((job) => job.oneTimeRunPrefix);
  for (const { record } of deps.store.schedules({ groupName })) {
    const oneTime = oneTimePrefixes.some((prefix) => record.Name.startsWith(prefix));
    if (!planned.has(record.Name) && !oneTime) {
      deleteSchedule(deps, record.Name, new URLSearchParams({ groupName }));
    }
  }
}

/** A request as it travels: dates as epoch seconds. */
function wireBody(request: ScheduleRequest): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(request, (key, value) =>
      (key === 'StartDate' || key === 'EndDate') && typeof value === 'string'
        ? new Date(value).getTime() / 1000
        : value,
    ),
  );
}
