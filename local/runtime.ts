import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { LocalMemory } from '../client/local-memory.ts';
import type { BgjobsError } from '../core/errors.ts';
import type { JobDefinition } from '../core/job.ts';
import { LOCAL_DATA_DIR, LOCAL_PORTS } from '../core/local-environment.ts';
import { type AppPlan, planApp } from '../core/plan.ts';
import type { Clock } from './clock.ts';
import { startDashboard } from './dashboard/index.ts';
import { type LocalDynamoDb, startDynamoDb } from './dynamodb/start.ts';
import { startEventBus } from './eventbridge/endpoint.ts';
import { RuleRegistry } from './eventbridge/rules.ts';
import { startScheduler } from './eventbridge/schedule-rules.ts';
import { startTargets } from './eventbridge/start-targets.ts';
import { startLambdaApi } from './lambda/api.ts';
import { type LocalFunctions, startFunctions } from './lambda/functions.ts';
import { processMemory } from './process-memory.ts';
import type { RuntimeEvents } from './runtime-events.ts';
import { earliestRun, type ScheduleView, scheduleViews } from './schedule-views.ts';
import { startLocalScheduler } from './scheduler/start.ts';
import { Shutdown } from './shutdown.ts';
import { ensureJobQueues, type JobQueueSet } from './sqs/queues.ts';
import { startSqs } from './sqs/start.ts';

export type { RuntimeEvents } from './runtime-events.ts';
export type { ScheduleView } from './schedule-views.ts';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

export interface LocalRuntimeOptions {
  /** The jobs to run. */
  readonly jobs: readonly JobDefinition[];
  /** @default - `jobs/` at the project root; job `x` lives in `<jobsDir>/x.ts` */
  readonly jobsDir?: string;
  /** Prefix of every queue and rule name, as in the stack. @default 'bgjobs' */
  readonly stackName?: string;
  /** @default 9324; 0 picks a free port */
  readonly sqsPort?: number;
  /**
   * Use this SQS-compatible endpoint instead of starting fauxqs (`sqsPort` then does
   * nothing; `dataDir` holds only the Scheduler's state). @default - the embedded fauxqs
   */
  readonly sqsEndpoint?: string;
  /** The embedded DynamoDB (idempotency table), started only when a job needs it. @default 9329; 0 picks a free port */
  readonly dynamodbPort?: number;
  /** Use this DynamoDB-compatible endpoint instead of the embedded one. @default - the embedded one */
  readonly dynamodbEndpoint?: string;
  /** @default 9325; 0 picks a free port */
  readonly eventsPort?: number;
  /** The Lambda API for event source mappings (pause, resume). @default 9326; 0 picks a free port */
  readonly lambdaPort?: number;
  /** The local dashboard, on 127.0.0.1. @default 9327; 0 picks a free port */
  readonly dashboardPort?: number;
  /** The EventBridge Scheduler API (schedules, one-time runs). @default 9328; 0 picks a free port */
  readonly schedulerPort?: number;
  /** Where in its flexible window a schedule's run starts; tests pass a fixed one. @default Math.random */
  readonly random?: () => number;
  /** Where fauxqs and the Scheduler keep their SQLite state; `false` keeps it in memory. @default '.bgjobs/data' */
  readonly dataDir?: string | false;
  /** Delete the persisted state first. @default false */
  readonly fresh?: boolean;
  /** The scheduler's clock; tests pass a scaled one. @default the system clock */
  readonly clock?: Clock;
  /** How long stop() waits for batches in flight. @default 10_000 */
  readonly shutdownGraceMs?: number;
  /** Where the runtime's lines and the jobs' log lines go. @default console.log */
  readonly log?: (line: string) => void;
  /**
   * Pass the jobs' own log lines on as the JSON CloudWatch gets (Powertools
   * lines, EMF metrics), instead of one readable line per entry. @default false
   */
  readonly jsonLogs?: boolean;
}

export interface LocalRuntime {
  /** `http://127.0.0.1:PORT` of the embedded SQS endpoint. */
  readonly sqsEndpoint: string;
  /** `http://127.0.0.1:PORT` of the DynamoDB endpoint; undefined when no job uses the idempotency table. */
  readonly dynamodbEndpoint: string | undefined;
  /** The process id of the embedded SQS endpoint (a process of its own); undefined for an external one. */
  readonly sqsEndpointPid: number | undefined;
  /** `http://127.0.0.1:PORT` of the EventBridge endpoint. */
  readonly eventsEndpoint: string;
  /** `http://127.0.0.1:PORT` of the Lambda endpoint (event source mappings). */
  readonly lambdaEndpoint: string;
  /** `http://127.0.0.1:PORT/` of the local dashboard. */
  readonly dashboardUrl: string;
  /** `http://127.0.0.1:PORT` of the EventBridge Scheduler endpoint. */
  readonly schedulerEndpoint: string;
  readonly plan: AppPlan;
  readonly stackName: string;
  readonly busName: string;
  readonly queues: ReadonlyMap<string, JobQueueSet>;
  readonly rules: RuleRegistry;
  readonly events: EventEmitter<RuntimeEvents>;
  /** Batches in flight now and at most so far, per job. */
  concurrency(job: string): { inFlight: number; peak: number };
  /** This process's memory and the embedded SQS endpoint's (`bgjobs flood`, the dashboard). */
  memory(): Promise<LocalMemory>;
  /** The local equivalent of disabling a job's rules and event source mapping. */
  pause(job: string): void;
  resume(job: string): void;
  isPaused(job: string): boolean;
  /** The earliest next run among the job's schedules (rules and Scheduler schedules). */
  nextScheduledRun(job: string): Date | undefined;
  /** Each schedule of the job, with its state and next run. */
  schedules(job: string): ScheduleView[];
  /** One-time runs of the job not yet run. */
  pendingRuns(job: string): number;
  /** Stops receiving, waits a bounded time for batches in flight, then closes everything. */
  stop(): Promise<void>;
}

/**
 * Runs every job on this machine with AWS's semantics, from the same plan the
 * stack is built from: fauxqs as SQS, one event source mapping and pool of warm
 * workers per job running the job's Lambda bundle (what `cdk deploy` ships),
 * the schedule rules with their SQS targets, an
 * EventBridge endpoint, the Lambda API for event source mappings, and the
 * dashboard. Each is started by a function of its own; this only wires them.
 *
 * @example
 * const runtime = await startLocalRuntime({ jobs, sqsPort: 0, eventsPort: 0, dataDir: false });
 * await runtime.stop();
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const plan = planApp(options.jobs, { stackName: options.stackName });
  const log = options.log ?? ((line: string) => console.log(line));
  for (const warning of plan.warnings) log(`warning: ${warning}`);
  const events = new EventEmitter<RuntimeEvents>();
  const rules = new RuleRegistry(plan);
  const shutdown = new Shutdown();
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= shutdown.run();
    return stopped;
  };
  // Without its endpoint the runtime can neither receive nor delete: it says so and stops.
  // While starting, the start fails with that error instead.
  let started = false;
  let endpointEnded: BgjobsError | undefined;
  const onEndpointExit = (error: BgjobsError) => {
    endpointEnded = error;
    if (!started) return;
    log(`${error.message}; stopping`);
    events.emit('problem', { job: undefined, error });
    stop()
      .catch((stopError: unknown) => log(String(stopError)))
      .finally(() => events.emit('fatal', { error }));
  };
  try {
    // Computed once: with `fresh` it empties the folder first.
    const dataDir = dataDirOf(options);
    const sqs = await startSqs({
      port: options.sqsPort ?? LOCAL_PORTS.sqs,
      dataDir,
      external: options.sqsEndpoint,
      onExit: onEndpointExit,
    });
    shutdown.add('SQS endpoint', () => sqs.stop());
    const queues = new Map<string, JobQueueSet>();
    for (const job of plan.jobs) queues.set(job.name, await ensureJobQueues(sqs.client, job));
    const dynamodb = await startIdempotencyTable(plan, options, dataDir, log);
    if (dynamodb) shutdown.add('DynamoDB endpoint', () => dynamodb.stop());

    const functions = await startFunctions({
      plan,
      sqs,
      dynamodbEndpoint: dynamodb?.endpoint,
      queues,
      jobsDir: options.jobsDir ?? path.join(PROJECT_ROOT, 'jobs'),
      events,
      log,
      jsonLogs: options.jsonLogs ?? false,
    });
    shutdown.add('workers', () => functions.close());

    const targets = startTargets({ sqs, queues, clock: options.clock, events, log });
    // Stopped after the scheduler and the bus, while SQS is still up: events still waiting
    // for a retry are then reported (and logged whole) as abandoned.
    shutdown.add('rule targets', () => targets.stop());
    const deliver = targets.deliver;
    const scheduler = startScheduler({
      rules,
      deliver,
      clock: options.clock,
      onFire: (rule, event) => events.emit('delivered', { rule, event }),
      onError: (rule, error) => {
        log(`schedule ${rule.name}: could not deliver: ${error.message}`);
        events.emit('problem', { job: rule.job.name, error });
      },
    });
    shutdown.add('schedule rules', () => scheduler.stop());

    const schedules = await startLocalScheduler({
      plan,
      port: options.schedulerPort ?? LOCAL_PORTS.scheduler,
      dataDir,
      sqs,
      clock: options.clock,
      random: options.random,
      events,
      log,
    });
    shutdown.add('Scheduler', () => schedules.stop());

    const bus = await startEventBus({
      rules,
      busName: plan.eventBusName,
      port: options.eventsPort ?? LOCAL_PORTS.events,
      deliver,
      onMatched: (rule, event) => events.emit('delivered', { rule, event }),
      onUnmatched: (event) => {
        log(
          `event ${event.id} (${event.source} / ${event['detail-type']}) matched no rule; nothing was sent`,
        );
        events.emit('unmatched', { event });
      },
      onDeliveryError: (rule, event, error) => {
        log(`event ${event.id} matched ${rule.name} but could not be delivered: ${error.message}`);
        events.emit('problem', { job: rule.job.name, error });
      },
    });
    shutdown.add('EventBridge endpoint', () => bus.stop());

    const memory = async (): Promise<LocalMemory> => ({
      runtime: processMemory(),
      sqsEndpoint: (await sqs.memory()) ?? null,
    });
    const lambdaApi = await startLambdaApi({
      port: options.lambdaPort ?? LOCAL_PORTS.lambda,
      memory,
      mappings: plan.jobs.map((job) => ({
        uuid: randomUUID(),
        job,
        eventSourceArn: queues.get(job.name)?.queue.arn ?? '',
        isEnabled: () => functions.mapping(job.name).enabled,
        setEnabled: (enabled: boolean) => functions.mapping(job.name).setEnabled(enabled),
      })),
    });
    shutdown.add('Lambda endpoint', () => lambdaApi.stop());
    shutdown.add('event source mappings', () => drainBatches(functions, options, log));

    const setPaused = (job: string, paused: boolean) => {
      functions.mapping(job).setEnabled(!paused);
      for (const rule of rules.forJob(job)) rule.state = paused ? 'DISABLED' : 'ENABLED';
      schedules.setEnabled(plan.job(job), !paused);
    };
    const views = (job: string) => scheduleViews(plan.job(job), rules, scheduler, schedules);
    const handle: Omit<LocalRuntime, 'dashboardUrl'> = {
      sqsEndpoint: sqs.endpoint,
      dynamodbEndpoint: dynamodb?.endpoint,
      sqsEndpointPid: sqs.pid,
      eventsEndpoint: bus.endpoint,
      lambdaEndpoint: lambdaApi.endpoint,
      plan,
      stackName: plan.stackName,
      busName: plan.eventBusName,
      queues,
      rules,
      events,
      concurrency: (job) => functions.concurrency(job),
      memory,
      pause: (job) => setPaused(job, true),
      resume: (job) => setPaused(job, false),
      isPaused: (job) => !functions.mapping(job).enabled,
      schedulerEndpoint: schedules.endpoint,
      nextScheduledRun: (job) => earliestRun(views(job)),
      schedules: views,
      pendingRuns: (job) => schedules.pendingRuns(plan.job(job)),
      stop,
    };
    const dashboard = await startDashboard({
      port: options.dashboardPort ?? LOCAL_PORTS.dashboard,
      jobs: options.jobs,
      source: handle,
    });
    shutdown.add('dashboard', () => dashboard.stop());
    if (endpointEnded) throw endpointEnded;
    started = true;
    return { ...handle, dashboardUrl: dashboard.url };
  } catch (error) {
    await shutdown.run().catch((stopError: unknown) => log(String(stopError)));
    throw endpointEnded ?? error;
  }
}

/** DynamoDB with the app's idempotency table, as the stack has it only when some job uses it. */
async function startIdempotencyTable(
  plan: AppPlan,
  options: LocalRuntimeOptions,
  dataDir: string | undefined,
  log: (line: string) => void,
): Promise<LocalDynamoDb | undefined> {
  if (!plan.idempotencyTable) return undefined;
  return startDynamoDb({
    port: options.dynamodbPort ?? LOCAL_PORTS.dynamodb,
    dataDir,
    table: plan.idempotencyTable,
    external: options.dynamodbEndpoint,
    onError: (error) => log(`DynamoDB endpoint: expiring items failed: ${error.message}`),
  });
}

/** The data folder, emptied first with `fresh`; undefined keeps everything in memory. */
function dataDirOf(options: LocalRuntimeOptions): string | undefined {
  if (options.dataDir === false) return undefined;
  const dataDir = path.resolve(options.dataDir ?? path.join(PROJECT_ROOT, LOCAL_DATA_DIR));
  if (options.fresh) rmSync(dataDir, { recursive: true, force: true });
  return dataDir;
}

/** Receiving stops first; batches in flight get the grace period, then the workers are closed. */
async function drainBatches(
  functions: LocalFunctions,
  options: LocalRuntimeOptions,
  log: (line: string) => void,
): Promise<void> {
  const graceMs = options.shutdownGraceMs ?? 10_000;
  const left = await functions.drain(graceMs);
  if (left > 0) {
    log(
      `${left} batch(es) did not finish in ${graceMs} ms; their messages come back after the visibility timeout`,
    );
  }
}
