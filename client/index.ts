/**
 * The bgjobs client: enqueue jobs, emit events, and look after queues and dead
 * letters, with the same code against AWS and the local runtime.
 *
 * @example
 * const bgjobs = createClient({ jobs });
 * await bgjobs.enqueue('process', { samples: 1000 });
 * await bgjobs.emit('ReportRequested', { reportId: 'r-1', period: 'week' }, { source: 'bgjobs.example' });
 */
import type { JobDefinition, PayloadOf } from '../core/job.ts';
import { BacklogGate, type BacklogOptions } from './backlog.ts';
import { type ClientOptions, createContext } from './context.ts';
import {
  type DeadLetter,
  listDeadLetters,
  purgeDeadLetters,
  type RedriveOptions,
  redrive,
  type SelectionResult,
  type SelectOptions,
  showDeadLetter,
} from './dead-letters.ts';
import { duplicatesReader } from './duplicates.ts';
import { type EmitResult, emit, emitMany } from './emit.ts';
import {
  type DuplicateReceipt,
  type EnqueueManyOptions,
  type EnqueueReceipt,
  type EnqueueResult,
  enqueue,
  enqueueMany,
  type SentReceipt,
} from './enqueue.ts';
import { type LocalMemory, readLocalMemory } from './local-memory.ts';
import { oldestAgeReader } from './oldest-age.ts';
import { isPaused, setPaused } from './pause.ts';
import {
  type EmitEntry,
  type EmitOptions,
  type PreparedEvent,
  prepareEvent,
} from './prepare-event.ts';
import type { EnqueueOptions } from './prepare-message.ts';
import { type JobQueueCounts, jobQueueCounts } from './queue-counts.ts';
import type { RunAtOptions } from './run-at.ts';
import { cancelRun, listRuns, type ScheduledReceipt, type ScheduledRun } from './scheduled-runs.ts';
import { type JobStatus, jobStatus } from './status.ts';
import { locateMessages, type Whereabouts } from './whereabouts.ts';

export type { ClientOptions } from './context.ts';
export { decideNextRun, type NextRun, nextRunText } from './next-run.ts';
export type {
  DeadLetter,
  DuplicateReceipt,
  EmitEntry,
  EmitOptions,
  EmitResult,
  EnqueueReceipt,
  EnqueueResult,
  JobQueueCounts,
  JobStatus,
  LocalMemory,
  PreparedEvent,
  RunAtOptions,
  ScheduledReceipt,
  ScheduledRun,
  SelectionResult,
  SentReceipt,
  Whereabouts,
};

type NameOf<Jobs extends readonly JobDefinition[]> = Jobs[number]['name'];
type PayloadFor<Jobs extends readonly JobDefinition[], N> = PayloadOf<
  Extract<Jobs[number], { name: N }>
>;

export interface BgjobsClient<Jobs extends readonly JobDefinition[]> {
  readonly stackName: string;
  /**
   * Sends the job a message; with `runAt` or `delay` it runs later: SQS's delay up to 15
   * minutes, a one-time EventBridge Scheduler schedule past that (`kind: 'scheduled'`, with
   * the `id` that cancels it).
   *
   * @example
   * await bgjobs.enqueue('digest', payload, { runAt: new Date('2027-01-04T08:00:00Z') });
   * const { id } = await bgjobs.enqueue('digest', payload, { delay: '3d' });
   * await bgjobs.cancel('digest', id);
   */
  enqueue<N extends NameOf<Jobs>>(
    job: N,
    payload: PayloadFor<Jobs, N>,
    options?: EnqueueOptions & RunAtOptions & BacklogOptions,
  ): Promise<EnqueueReceipt>;
  enqueueMany<N extends NameOf<Jobs>>(
    job: N,
    payloads: readonly PayloadFor<Jobs, N>[],
    options?: EnqueueManyOptions & EnqueueOptions & RunAtOptions,
  ): Promise<EnqueueResult[]>;
  /** Cancels a pending one-time run; `ScheduledRunNotFoundError` when it ran already or never existed. */
  cancel(job: NameOf<Jobs>, id: string): Promise<void>;
  readonly scheduled: {
    /** The job's pending one-time runs, soonest first. */
    list(job: NameOf<Jobs>): Promise<ScheduledRun[]>;
  };
  /**
   * Puts an event on the stack's bus, checked first: what EventBridge refuses, and a detail
   * that fails the schema of a job whose rule matches it. `jobs` are the jobs it reaches.
   */
  emit(
    detailType: string,
    detail: unknown,
    options?: EmitOptions,
  ): Promise<{ eventId: string; jobs: readonly string[] | undefined }>;
  emitMany(entries: readonly EmitEntry[]): Promise<EmitResult[]>;
  /** Checks an event exactly as `emit` does and returns what it would put; sends nothing. */
  checkEvent(detailType: string, detail: unknown, options?: EmitOptions): PreparedEvent;
  status(job: NameOf<Jobs>): Promise<JobStatus>;
  /** Only the queue counts and dead letters of `status`: two GetQueueAttributes calls, cheap to poll. */
  counts(job: NameOf<Jobs>): Promise<JobQueueCounts>;
  /**
   * Where these messages of the job are now (queue states, dead-letter queue), or
   * undefined where the endpoint cannot list messages without receiving them (AWS).
   */
  locate(job: NameOf<Jobs>, messageIds: ReadonlySet<string>): Promise<Whereabouts | undefined>;
  /**
   * The local runtime's memory and its SQS endpoint's (each a process of its own),
   * or undefined on AWS, where the Lambda client does not point at this machine.
   */
  localMemory(): Promise<LocalMemory | undefined>;
  /** Whether no event source mapping of the job is receiving (the `paused` of `status`). */
  isPaused(job: NameOf<Jobs>): Promise<boolean>;
  pause(job: NameOf<Jobs>): Promise<void>;
  resume(job: NameOf<Jobs>): Promise<void>;
  readonly deadLetters: {
    list(job: NameOf<Jobs>, max?: number): Promise<DeadLetter[]>;
    show(job: NameOf<Jobs>, messageId: string): Promise<DeadLetter | undefined>;
    redrive(job: NameOf<Jobs>, options?: RedriveOptions): Promise<SelectionResult>;
    purge(job: NameOf<Jobs>, options?: SelectOptions): Promise<SelectionResult>;
  };
}

export function createClient<const Jobs extends readonly JobDefinition[]>(
  options: ClientOptions & { readonly jobs: Jobs },
): BgjobsClient<Jobs> {
  const ctx = createContext(options);
  const gate = new BacklogGate(ctx.sqs);
  const oldestAge = oldestAgeReader(ctx.sqs);
  const duplicates = duplicatesReader(ctx.sqs);
  return {
    stackName: ctx.stackName,
    enqueue: (job, payload, opts) => enqueue(ctx, gate, job, payload, opts),
    enqueueMany: (job, payloads, opts) => enqueueMany(ctx, gate, job, payloads, opts),
    cancel: (job, id) => cancelRun(ctx, job, id),
    scheduled: { list: (job) => listRuns(ctx, job) },
    emit: (detailType, detail, opts) => emit(ctx, detailType, detail, opts),
    emitMany: (entries) => emitMany(ctx, entries),
    checkEvent: (detailType, detail, opts) => prepareEvent(ctx, { detailType, detail, ...opts }),
    status: (job) => jobStatus(ctx, job, oldestAge, new Date(), duplicates),
    counts: (job) => jobQueueCounts(ctx, job),
    locate: (job, messageIds) => locateMessages(ctx, job, messageIds),
    localMemory: () => readLocalMemory(ctx),
    isPaused: (job) => isPaused(ctx, ctx.job(job)),
    pause: (job) => setPaused(ctx, job, true),
    resume: (job) => setPaused(ctx, job, false),
    deadLetters: {
      list: (job, max) => listDeadLetters(ctx, job, max),
      show: (job, messageId) => showDeadLetter(ctx, job, messageId),
      redrive: (job, opts) => redrive(ctx, job, opts),
      purge: (job, opts) => purgeDeadLetters(ctx, job, opts),
    },
  };
}
