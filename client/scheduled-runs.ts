/**
 * One-time runs: `enqueue` with a `runAt` (or `delay`) past SQS's 15 minutes creates an
 * EventBridge Scheduler schedule `at(...)` in the app's group, named `<job>--run-<id>`, that
 * sends the body `enqueue` would have sent to the job's queue and is deleted once it ran.
 * `cancel` deletes it; `list` reads the job's pending ones. Same calls on AWS and locally.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  type ScheduleSummary,
} from '@aws-sdk/client-scheduler';
import { ScheduledRunNotFoundError } from '../core/errors.ts';
import type { AwsEnvironment } from '../core/local-environment.ts';
import type { JobPlan } from '../core/plan.ts';
import { ONE_TIME_RUN_ID_LENGTH } from '../core/plan-checks.ts';
import { oneTimeRunRequest, type ScheduleRequest } from '../core/schedule-requests.ts';
import type { ClientContext } from './context.ts';
import type { PreparedMessage } from './prepare-message.ts';
import { mapConcurrent } from './retry.ts';

/** What `enqueue` returns for a run it scheduled. */
export interface ScheduledReceipt {
  readonly kind: 'scheduled';
  readonly messageId?: undefined;
  /** Cancels it: `cancel(job, id)`. */
  readonly id: string;
  readonly runAt: Date;
  readonly scheduleName: string;
}

/** A pending one-time run, as `scheduled.list` shows it. */
export interface ScheduledRun {
  readonly id: string;
  readonly scheduleName: string;
  /** When it runs (UTC); undefined when its schedule could not be read. */
  readonly runAt: Date | undefined;
  readonly state: string | undefined;
}

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A random id of `ONE_TIME_RUN_ID_LENGTH` lowercase letters and digits (the plan checks names with it). */
function newRunId(): string {
  return [...randomBytes(ONE_TIME_RUN_ID_LENGTH)].map((b) => ID_ALPHABET[b % 36]).join('');
}

/** The schedule `enqueue` creates for a run at `at`, in the account and region of the job's queue. */
async function oneTimeRunSchedule(
  ctx: ClientContext,
  job: JobPlan,
  message: PreparedMessage,
  at: Date,
  id: string,
): Promise<ScheduleRequest> {
  const env = await environmentOf(ctx, job);
  return oneTimeRunRequest(ctx.app, job, env, {
    id,
    at,
    body: message.MessageBody,
    messageGroupId: message.MessageGroupId,
  });
}

export async function createOneTimeRun(
  ctx: ClientContext,
  job: JobPlan,
  message: PreparedMessage,
  at: Date,
): Promise<ScheduledReceipt> {
  const id = newRunId();
  const request = await oneTimeRunSchedule(ctx, job, message, at, id);
  await ctx.scheduler.send(new CreateScheduleCommand({ ...request }));
  return {
    kind: 'scheduled',
    id,
    runAt: new Date(Math.ceil(at.getTime() / 1000) * 1000),
    scheduleName: request.Name,
  };
}

/** Deletes a pending one-time run; `ScheduledRunNotFoundError` when there is none by that id. */
export async function cancelRun(ctx: ClientContext, jobName: string, id: string): Promise<void> {
  const job = ctx.plan(jobName);
  if (!/^[a-z0-9]+$/.test(id)) throw new ScheduledRunNotFoundError(job.name, id);
  try {
    await ctx.scheduler.send(
      new DeleteScheduleCommand({
        Name: job.oneTimeRunName(id),
        GroupName: job.oneTimeRuns.groupName,
      }),
    );
  } catch (error) {
    if (
      error instanceof ResourceNotFoundException ||
      (error as Error).name === 'ResourceNotFoundException'
    ) {
      throw new ScheduledRunNotFoundError(job.name, id);
    }
    throw error;
  }
}

/** The job's one-time run schedules: `ListSchedules` with its prefix, every page. */
export async function listRunSummaries(
  ctx: ClientContext,
  jobName: string,
): Promise<ScheduleSummary[]> {
  const job = ctx.plan(jobName);
  const all: ScheduleSummary[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ctx.scheduler
      .send(
        new ListSchedulesCommand({
          GroupName: job.oneTimeRuns.groupName,
          NamePrefix: job.oneTimeRunPrefix,
          NextToken,
        }),
      )
      .catch((error: Error) => {
        if (error.name === 'ResourceNotFoundException')
          return { Schedules: [], NextToken: undefined };
        throw error;
      });
    all.push(...(page.Schedules ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

/** The job's pending one-time runs with their times (one `GetSchedule` each), soonest first. */
export async function listRuns(ctx: ClientContext, jobName: string): Promise<ScheduledRun[]> {
  const job = ctx.plan(jobName);
  const summaries = await listRunSummaries(ctx, jobName);
  const runs = await mapConcurrent(summaries, 8, async (summary) => {
    const name = summary.Name ?? '';
    const schedule = await ctx.scheduler
      .send(new GetScheduleCommand({ Name: name, GroupName: job.oneTimeRuns.groupName }))
      .catch(() => undefined);
    return {
      id: job.oneTimeRunId(name),
      scheduleName: name,
      runAt: schedule
        ? atOf(schedule.ScheduleExpression, schedule.ScheduleExpressionTimezone)
        : undefined,
      state: summary.State,
    };
  });
  return runs.sort((a, b) => (a.runAt?.getTime() ?? Infinity) - (b.runAt?.getTime() ?? Infinity));
}

/** The instant of a one-time run's `at(...)`; bgjobs writes them in UTC. */
function atOf(expression: string | undefined, timeZone: string | undefined): Date | undefined {
  const match = /^at\((.+)\)$/.exec(expression ?? '');
  if (!match || (timeZone ?? 'UTC') !== 'UTC') return undefined;
  return new Date(`${match[1]}Z`);
}

/**
 * The partition, region and account of the job's queue: the account from its URL
 * (`https://sqs.<region>.amazonaws.com/<account>/<name>`), the region from the SQS client.
 */
async function environmentOf(ctx: ClientContext, job: JobPlan): Promise<AwsEnvironment> {
  const url = await ctx.queueUrl(job.queue.name);
  const account = decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean)[0] ?? '');
  const region = await ctx.sqs.config.region();
  return { partition: partitionOf(region), region, account };
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
