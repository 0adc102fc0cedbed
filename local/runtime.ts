import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BgjobsError } from '../core/errors.ts';
import type { JobDefinition } from '../core/job.ts';
import type { EventBridgeEvent } from '../core/messages.ts';
import { DEFAULT_STACK_NAME, eventBusName } from '../core/naming.ts';
import type { RecordOutcome } from '../core/outcomes.ts';
import type { Clock } from './clock.ts';
import { startDashboard } from './dashboard/index.ts';
import { startEventBus } from './eventbridge/endpoint.ts';
import { LOCAL_REGION, type LocalRule, RuleRegistry } from './eventbridge/rules.ts';
import { startScheduler } from './eventbridge/schedule-rules.ts';
import { startLambdaApi } from './lambda/api.ts';
import type { BatchSettlement, InvocationResult } from './lambda/batch-result.ts';
import { EventSourceMapping } from './lambda/event-source-mapping.ts';
import { localJobFunction } from './lambda/job-function.ts';
import { readableLogLine } from './lambda/log-line.ts';
import { outcomeLine, wholeBatchLine } from './lambda/outcome-line.ts';
import { WorkerPool } from './lambda/worker-pool.ts';
import { ensureJobQueues, type JobQueueSet } from './sqs/queues.ts';
import { startSqsServer } from './sqs/server.ts';

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
   * Use this SQS-compatible endpoint instead of starting fauxqs (`sqsPort`,
   * `dataDir` and `fresh` then do nothing). @default - the embedded fauxqs
   */
  readonly sqsEndpoint?: string;
  /** @default 9325; 0 picks a free port */
  readonly eventsPort?: number;
  /** The Lambda API for event source mappings (pause, resume). @default 9326; 0 picks a free port */
  readonly lambdaPort?: number;
  /** The local dashboard, on 127.0.0.1. @default 9327; 0 picks a free port */
  readonly dashboardPort?: number;
  /** Where fauxqs keeps its SQLite state; `false` keeps it in memory. @default '.bgjobs/data' */
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

export interface RuntimeEvents {
  outcome: [{ job: string; messageId: string; attempt: number; outcome: RecordOutcome }];
  batch: [{ job: string; size: number; result: InvocationResult; settlement: BatchSettlement }];
  delivered: [{ rule: LocalRule; event: EventBridgeEvent }];
  unmatched: [{ event: EventBridgeEvent }];
  problem: [{ job: string | undefined; error: Error }];
}

export interface LocalRuntime {
  /** `http://127.0.0.1:PORT` of the embedded SQS endpoint. */
  readonly sqsEndpoint: string;
  /** `http://127.0.0.1:PORT` of the EventBridge endpoint. */
  readonly eventsEndpoint: string;
  /** `http://127.0.0.1:PORT` of the Lambda endpoint (event source mappings). */
  readonly lambdaEndpoint: string;
  /** `http://127.0.0.1:PORT/` of the local dashboard. */
  readonly dashboardUrl: string;
  readonly stackName: string;
  readonly busName: string;
  readonly queues: ReadonlyMap<string, JobQueueSet>;
  readonly rules: RuleRegistry;
  readonly events: EventEmitter<RuntimeEvents>;
  /** Batches in flight now and at most so far, per job. */
  concurrency(job: string): { inFlight: number; peak: number };
  /** The local equivalent of disabling a job's rules and event source mapping. */
  pause(job: string): void;
  resume(job: string): void;
  isPaused(job: string): boolean;
  nextScheduledRun(job: string): Date | undefined;
  /** Stops receiving, waits a bounded time for batches in flight, then closes everything. */
  stop(): Promise<void>;
}

/**
 * Runs every job on this machine with AWS's semantics: fauxqs as SQS, one
 * event source mapping and pool of warm workers per job running the job's
 * Lambda bundle (what `cdk deploy` ships), the schedules, and an EventBridge endpoint.
 *
 * @example
 * const runtime = await startLocalRuntime({ jobs, sqsPort: 0, eventsPort: 0, dataDir: false });
 * await runtime.stop();
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const stackName = options.stackName ?? DEFAULT_STACK_NAME;
  const busName = eventBusName(stackName);
  const jobsDir = options.jobsDir ?? path.join(PROJECT_ROOT, 'jobs');
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir =
    options.dataDir === false
      ? undefined
      : path.resolve(options.dataDir ?? path.join(PROJECT_ROOT, '.bgjobs', 'data'));
  if (dataDir && options.fresh) rmSync(dataDir, { recursive: true, force: true });
  const events = new EventEmitter<RuntimeEvents>();
  const rules = new RuleRegistry(stackName, busName, options.jobs);

  const stoppers: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
  };
  try {
    const sqsServer = options.sqsEndpoint
      ? { endpoint: options.sqsEndpoint }
      : await startSqsServer({ port: options.sqsPort ?? 9324, dataDir });
    if ('stop' in sqsServer) stoppers.push(() => sqsServer.stop());
    const sqs = new SQSClient({
      endpoint: sqsServer.endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

    const queues = new Map<string, JobQueueSet>();
    for (const job of options.jobs)
      queues.set(job.name, await ensureJobQueues(sqs, stackName, job));

    const deliver = async (job: JobDefinition, body: string) => {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queues.get(job.name)?.queue.url,
          MessageBody: body,
          ...(job.settings.fifo ? { MessageGroupId: job.settings.fifo.defaultGroupId } : {}),
        }),
      );
    };

    const mappings = new Map<string, EventSourceMapping>();
    const functionNames = new Map<string, string>();
    const pools: WorkerPool[] = [];
    const peaks = new Map<string, number>();
    for (const job of options.jobs) {
      const set = queues.get(job.name) as JobQueueSet;
      const fn = await localJobFunction({
        job,
        jobsDir,
        stackName,
        region: LOCAL_REGION,
        queues: set,
        sqsEndpoint: sqsServer.endpoint,
      });
      functionNames.set(job.name, fn.functionName);
      const pool = new WorkerPool({
        size: job.settings.maxConcurrency,
        timeoutMs: job.settings.timeoutSeconds * 1000,
        config: fn.config,
        environment: fn.environment,
        onOutcome: (report) => {
          log(outcomeLine(new Date(), job.name, report));
          events.emit('outcome', { job: job.name, ...report });
        },
        onLogLine: (line) => {
          const shown = options.jsonLogs ? line : readableLogLine(line, job.name, new Date());
          if (shown !== undefined) log(shown);
        },
      });
      pools.push(pool);
      const mapping = new EventSourceMapping({
        job,
        sqs,
        queueUrl: set.queue.url,
        queueArn: set.queue.arn,
        invoke: (event) => pool.invoke(event),
        onInFlight: (inFlight) => peaks.set(job.name, Math.max(peaks.get(job.name) ?? 0, inFlight)),
        onBatch: (batch) => {
          const line = wholeBatchLine(
            new Date(),
            job.name,
            batch,
            job.settings.visibilityTimeoutSeconds,
          );
          if (line) log(line);
          events.emit('batch', { job: job.name, size: batch.records.length, ...batch });
        },
        onError: (error) => {
          log(`${job.name}: ${error.message}`);
          events.emit('problem', { job: job.name, error });
        },
      });
      mappings.set(job.name, mapping);
    }
    stoppers.push(() => Promise.all(pools.map((pool) => pool.close())));

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
    stoppers.push(async () => scheduler.stop());

    const bus = await startEventBus({
      rules,
      busName,
      port: options.eventsPort ?? 9325,
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
    stoppers.push(() => bus.stop());

    const lambdaApi = await startLambdaApi({
      port: options.lambdaPort ?? 9326,
      mappings: options.jobs.map((job) => {
        const mapping = mappings.get(job.name) as EventSourceMapping;
        return {
          uuid: randomUUID(),
          job,
          functionName: functionNames.get(job.name) ?? '',
          eventSourceArn: queues.get(job.name)?.queue.arn ?? '',
          isEnabled: () => mapping.enabled,
          setEnabled: (enabled: boolean) => mapping.setEnabled(enabled),
        };
      }),
    });
    stoppers.push(() => lambdaApi.stop());

    const graceMs = options.shutdownGraceMs ?? 10_000;
    // Receiving stops first, the pools close after the grace period, then the endpoints.
    stoppers.push(async () => {
      const unfinished = await Promise.all(
        [...mappings.values()].map((mapping) => mapping.stop(graceMs)),
      );
      const left = unfinished.reduce((a, b) => a + b, 0);
      if (left > 0) {
        log(
          `${left} batch(es) did not finish in ${graceMs} ms; their messages come back after the visibility timeout`,
        );
      }
    });
    for (const mapping of mappings.values()) mapping.start();

    const mappingOf = (job: string) => {
      const mapping = mappings.get(job);
      if (!mapping)
        throw new BgjobsError(`unknown job "${job}"; jobs: ${[...mappings.keys()].join(', ')}`);
      return mapping;
    };
    const setPaused = (job: string, paused: boolean) => {
      mappingOf(job).setEnabled(!paused);
      for (const rule of rules.forJob(job)) rule.state = paused ? 'DISABLED' : 'ENABLED';
    };
    let stopped: Promise<void> | undefined;
    const handle: Omit<LocalRuntime, 'dashboardUrl'> = {
      sqsEndpoint: sqsServer.endpoint,
      eventsEndpoint: bus.endpoint,
      lambdaEndpoint: lambdaApi.endpoint,
      stackName,
      busName,
      queues,
      rules,
      events,
      concurrency: (job) => ({ inFlight: mappingOf(job).inFlight, peak: peaks.get(job) ?? 0 }),
      pause: (job) => setPaused(job, true),
      resume: (job) => setPaused(job, false),
      isPaused: (job) => !mappingOf(job).enabled,
      nextScheduledRun: (job) => {
        const rule = rules.forJob(job).find((r) => r.scheduleExpression);
        return rule ? scheduler.nextFireTime(rule.name) : undefined;
      },
      stop: () => {
        stopped ??= stopAll();
        return stopped;
      },
    };
    const dashboard = await startDashboard({
      port: options.dashboardPort ?? 9327,
      jobs: options.jobs,
      source: handle,
    });
    stoppers.push(() => dashboard.stop());
    return { ...handle, dashboardUrl: dashboard.url };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
