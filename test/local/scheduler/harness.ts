import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { JobDefinition } from '../../../core/job.ts';
import { LOCAL_CREDENTIALS } from '../../../core/local-environment.ts';
import { type AppPlan, planApp } from '../../../core/plan.ts';
import type { Clock } from '../../../local/clock.ts';
import type { DeliveryReport } from '../../../local/eventbridge/target-deliveries.ts';
import type { RuntimeEvents } from '../../../local/runtime-events.ts';
import type { ScheduleRun } from '../../../local/scheduler/runner.ts';
import { type LocalScheduler, startLocalScheduler } from '../../../local/scheduler/start.ts';
import { ensureJobQueues, type JobQueueSet } from '../../../local/sqs/queues.ts';
import { type LocalSqs, startSqs } from '../../../local/sqs/start.ts';

export interface SchedulerFixture {
  readonly plan: AppPlan;
  readonly sqs: LocalSqs;
  readonly queues: Map<string, JobQueueSet>;
  readonly scheduler: LocalScheduler;
  readonly client: SchedulerClient;
  readonly reports: DeliveryReport<ScheduleRun>[];
  /** Resolves once `count` run reports (any outcome but retrying) have come in. */
  settled(count: number): Promise<void>;
  /** Stops the Scheduler only (SQS stays): a restart on the same data folder follows. */
  restart(clock: Clock): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The local Scheduler on a free port with the jobs' queues on an embedded fauxqs, persisted
 * in a temporary data folder (the default mode), on the given clock.
 */
export async function startSchedulerFixture(
  jobs: readonly JobDefinition[],
  clock: Clock,
  random: () => number = () => 0,
): Promise<SchedulerFixture> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bgjobs-scheduler-'));
  const plan = planApp(jobs);
  const sqs = await startSqs({
    port: 0,
    dataDir,
    // The calls that follow fail on their own; this says why.
    onExit: (error) => console.error(`scheduler fixture: ${error.message}`),
  });
  const queues = new Map<string, JobQueueSet>();
  for (const job of plan.jobs) queues.set(job.name, await ensureJobQueues(sqs.client, job));
  const events = new EventEmitter<RuntimeEvents>();
  const reports: DeliveryReport<ScheduleRun>[] = [];
  const waiters: (() => void)[] = [];
  events.on('scheduleRun', (report) => {
    if (report.outcome === 'retrying') return;
    reports.push(report);
    for (const wake of waiters.splice(0)) wake();
  });
  events.on('problem', () => {});
  const start = (at: Clock) =>
    startLocalScheduler({ plan, port: 0, dataDir, sqs, clock: at, random, events, log: () => {} });
  let scheduler = await start(clock);
  const client = () =>
    new SchedulerClient({
      endpoint: scheduler.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
  const fixture: SchedulerFixture = {
    plan,
    sqs,
    queues,
    get scheduler() {
      return scheduler;
    },
    client: client(),
    reports,
    settled: async (count) => {
      while (reports.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    restart: async (at) => {
      await scheduler.stop();
      scheduler = await start(at);
      (fixture as { client: SchedulerClient }).client = client();
    },
    stop: async () => {
      await scheduler.stop();
      await sqs.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return fixture;
}
