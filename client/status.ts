import { toError } from '../core/errors.ts';
import type { JobDefinition } from '../core/job.ts';
import type { ClientContext } from './context.ts';
import type { NextRun } from './next-run.ts';
import { isPaused } from './pause.ts';
import { jobQueueCounts } from './queue-counts.ts';
import { countPendingRuns, readSchedules, type ScheduleStatus } from './schedule-status.ts';

export interface JobStatus {
  readonly job: string;
  readonly trigger: string;
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  readonly deadLetters: number;
  /** Seconds the oldest message has waited, when the source can tell (see docs/cli.md). */
  readonly oldestAgeSeconds: number | undefined;
  /** Whether the job has a schedule (a rule or a Scheduler schedule). */
  readonly scheduled: boolean;
  /**
   * The soonest next run among its schedules (see `decideNextRun`); undefined without a
   * schedule, or when they could not be read (then a problem says why).
   */
  readonly nextRun: NextRun | undefined;
  /** Each schedule with its state and next run; undefined when they could not be read. */
  readonly schedules: readonly ScheduleStatus[] | undefined;
  /** One-time runs not yet run; undefined when Scheduler could not be read. */
  readonly pendingRuns: number | undefined;
  readonly paused: boolean | undefined;
  /**
   * Records of an idempotent job acknowledged without running its handler in
   * the last day; undefined for a job without idempotency, or when unread.
   */
  readonly duplicatesSuppressed: number | undefined;
  /** Parts that could not be read, e.g. no permission to read the event source mapping. */
  readonly problems: readonly string[];
}

/** Queue depths, dead letters, oldest age, next scheduled run and paused state of a job. */
export async function jobStatus(
  ctx: ClientContext,
  jobName: string,
  oldestAge: (queueName: string) => Promise<number | undefined>,
  now: Date = new Date(),
  duplicates?: (jobName: string, metricsNamespace: string) => Promise<number>,
): Promise<JobStatus> {
  const job = ctx.job(jobName);
  const plan = ctx.plan(job.name);
  const problems: string[] = [];
  const attempt = async <T>(what: string, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      problems.push(`${what}: ${toError(error).message}`);
      return undefined;
    }
  };
  const [counts, paused, age, schedules, pendingRuns, duplicatesSuppressed] = await Promise.all([
    jobQueueCounts(ctx, job.name),
    attempt('paused state', () => isPaused(ctx, job)),
    attempt('oldest message age', () => oldestAge(plan.queue.name)),
    job.schedules.length > 0 ? attempt('schedules', () => readSchedules(ctx, plan, now)) : [],
    attempt('pending one-time runs', () => countPendingRuns(ctx, plan)),
    job.idempotency && duplicates
      ? attempt('suppressed duplicates', () => duplicates(job.name, ctx.app.metricsNamespace))
      : undefined,
  ]);
  return {
    job: job.name,
    trigger: triggerOf(job),
    visible: counts.visible,
    inFlight: counts.inFlight,
    delayed: counts.delayed,
    deadLetters: counts.deadLetters,
    oldestAgeSeconds: age,
    scheduled: job.schedules.length > 0,
    nextRun: schedules && soonest(schedules),
    schedules,
    pendingRuns,
    paused,
    duplicatesSuppressed,
    problems,
  };
}

export function triggerOf(job: JobDefinition): string {
  const triggers = [...job.schedules.map((s) => s.expression), ...(job.events ? ['events'] : [])];
  return triggers.join(' + ') || 'on demand';
}

/** The soonest run among a job's schedules; disabled only when every one is. */
export function soonest(schedules: readonly ScheduleStatus[]): NextRun | undefined {
  if (schedules.length === 0) return undefined;
  const runs = schedules.map((s) => s.nextRun);
  const times = runs.flatMap((run) => (run.kind === 'at' ? [run.at.getTime()] : []));
  if (times.length > 0) return { kind: 'at', at: new Date(Math.min(...times)) };
  return (
    runs.find((run) => run.kind === 'every') ??
    (runs.every((run) => run.kind === 'disabled') ? { kind: 'disabled' } : { kind: 'never' })
  );
}
