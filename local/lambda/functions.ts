import type { EventEmitter } from 'node:events';
import { BgjobsError } from '../../core/errors.ts';
import type { AppPlan } from '../../core/plan.ts';
import type { RuntimeEvents } from '../runtime-events.ts';
import type { JobQueueSet } from '../sqs/queues.ts';
import type { LocalSqs } from '../sqs/start.ts';
import { EventSourceMapping } from './event-source-mapping.ts';
import { localJobFunction } from './job-function.ts';
import { readableLogLine } from './log-line.ts';
import { outcomeLine, wholeBatchLine } from './outcome-line.ts';
import { WorkerPool } from './worker-pool.ts';

export interface LocalFunctions {
  /** The job's event source mapping (receiving, paused or not). */
  mapping(job: string): EventSourceMapping;
  /** Batches in flight now and at most so far. */
  concurrency(job: string): { inFlight: number; peak: number };
  /** Stops receiving, then waits up to `graceMs` for batches in flight; returns how many did not finish. */
  drain(graceMs: number): Promise<number>;
  /** Terminates every worker. */
  close(): Promise<void>;
}

/**
 * Lambda, locally: per job a pool of warm workers running the job's bundle
 * (the function) and an event source mapping that feeds it from the job's
 * queue, both from the job's plan.
 */
export async function startFunctions(options: {
  readonly plan: AppPlan;
  readonly sqs: LocalSqs;
  /** Where idempotent jobs find their table; undefined when no job has one. */
  readonly dynamodbEndpoint: string | undefined;
  readonly queues: ReadonlyMap<string, JobQueueSet>;
  readonly jobsDir: string;
  readonly events: EventEmitter<RuntimeEvents>;
  readonly log: (line: string) => void;
  /** Print the jobs' log lines as CloudWatch gets them (JSON), not one readable line each. */
  readonly jsonLogs: boolean;
}): Promise<LocalFunctions> {
  const { plan, sqs, events, log } = options;
  const mappings = new Map<string, EventSourceMapping>();
  const pools: WorkerPool[] = [];
  const peaks = new Map<string, number>();
  for (const job of plan.jobs) {
    const queues = options.queues.get(job.name) as JobQueueSet;
    const fn = await localJobFunction({
      app: plan,
      job,
      jobsDir: options.jobsDir,
      queues,
      sqsEndpoint: sqs.endpoint,
      dynamodbEndpoint: options.dynamodbEndpoint,
    });
    const pool = new WorkerPool({
      size: job.eventSourceMapping.maxConcurrency,
      timeoutMs: job.function.timeoutSeconds * 1000,
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
      settings: job.eventSourceMapping,
      sqs: sqs.client,
      queueUrl: queues.queue.url,
      queueArn: queues.queue.arn,
      invoke: (event) => pool.invoke(event),
      onInFlight: (inFlight) => peaks.set(job.name, Math.max(peaks.get(job.name) ?? 0, inFlight)),
      onBatch: (batch) => {
        const line = wholeBatchLine(
          new Date(),
          job.name,
          batch,
          job.queue.spec.visibilityTimeoutSeconds,
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
    mapping.start();
  }

  const mappingOf = (job: string) => {
    const mapping = mappings.get(job);
    if (!mapping) {
      throw new BgjobsError(`unknown job "${job}"; jobs: ${[...mappings.keys()].join(', ')}`);
    }
    return mapping;
  };
  return {
    mapping: mappingOf,
    concurrency: (job) => ({ inFlight: mappingOf(job).inFlight, peak: peaks.get(job) ?? 0 }),
    drain: async (graceMs) => {
      const unfinished = await Promise.all([...mappings.values()].map((m) => m.stop(graceMs)));
      return unfinished.reduce((a, b) => a + b, 0);
    },
    close: async () => {
      await Promise.all(pools.map((pool) => pool.close()));
    },
  };
}
