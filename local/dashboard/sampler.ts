import { SQSClient } from '@aws-sdk/client-sqs';
import { nextRunText } from '../../client/next-run.ts';
import { queueCounts } from '../../client/queue-counts.ts';
import { zonedRunText } from '../../client/schedule-status.ts';
import { triggerOf } from '../../client/status.ts';
import { toError } from '../../core/errors.ts';
import type { JobDefinition } from '../../core/job.ts';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import type { RuntimeEvents } from '../runtime.ts';
import { type DeadLetterList, readDeadLetters } from './dead-letters.ts';
import type { DashboardSource, JobFigures } from './figures.ts';
import {
  type MemoryColumns,
  MemoryRing,
  type MemorySample,
  memorySample,
} from './memory-series.ts';
import { DurationWindow } from './percentiles.ts';
import { SampleRing, type SeriesColumns } from './series.ts';

interface JobState {
  readonly ring: SampleRing;
  readonly durations: DurationWindow;
  tally: { processed: number; failed: number; batchFailed: number };
  readonly totals: { processed: number; failed: number; batchFailed: number; duplicates: number };
  /** When each suppressed duplicate of the last day was acknowledged (epoch ms, oldest first). */
  readonly duplicateTimes: number[];
  deadLetters: DeadLetterList;
  problem: string | null;
}

export const SAMPLE_INTERVAL_MS = 1000;
export const HISTORY_SECONDS = 600;
export const DURATION_WINDOW_SECONDS = 60;
/** `bgjobs status` counts suppressed duplicates over the last day, on AWS (CloudWatch) and here. */
export const DUPLICATES_WINDOW_SECONDS = 86_400;

/**
 * Every second, per job: GetQueueAttributes of the queue and the dead-letter
 * queue, the newest dead letters (read without receiving them), and the
 * outcome events counted since the previous tick; and the memory of the
 * runtime and of its SQS endpoint. Keeps the last 10 minutes.
 */
export class Sampler {
  readonly #source: DashboardSource;
  readonly #jobs: readonly JobDefinition[];
  readonly #sqs: SQSClient;
  readonly #state = new Map<string, JobState>();
  readonly #memory = new MemoryRing(HISTORY_SECONDS * (1000 / SAMPLE_INTERVAL_MS));
  readonly #onSample: () => void;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> = Promise.resolve();

  readonly #onOutcome = ({ job, outcome }: RuntimeEvents['outcome'][0]) => {
    const state = this.#state.get(job);
    if (!state) return;
    // Not started is neither: the record was handed back untouched.
    if (outcome.status === 'not-started') return;
    if (outcome.status === 'duplicate') {
      const now = Date.now();
      state.totals.duplicates += 1;
      state.duplicateTimes.push(now);
      // Pruned here too, so a day's times are all that is kept while nobody reads them.
      pruneBefore(state.duplicateTimes, now - DUPLICATES_WINDOW_SECONDS * 1000);
      return;
    }
    const field = outcome.status === 'succeeded' ? 'processed' : 'failed';
    state.tally[field] += 1;
    state.totals[field] += 1;
    state.durations.add(Date.now(), outcome.durationMs);
  };

  readonly #onBatch = ({ job, size, settlement }: RuntimeEvents['batch'][0]) => {
    const state = this.#state.get(job);
    if (!state || !settlement.wholeBatchReason) return;
    state.tally.batchFailed += size;
    state.totals.batchFailed += size;
  };

  constructor(source: DashboardSource, jobs: readonly JobDefinition[], onSample: () => void) {
    this.#source = source;
    this.#jobs = jobs;
    this.#onSample = onSample;
    this.#sqs = new SQSClient({
      endpoint: source.sqsEndpoint,
      region: LOCAL_ENVIRONMENT.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    for (const job of jobs) {
      this.#state.set(job.name, {
        ring: new SampleRing(HISTORY_SECONDS * (1000 / SAMPLE_INTERVAL_MS)),
        durations: new DurationWindow(DURATION_WINDOW_SECONDS * 1000),
        tally: { processed: 0, failed: 0, batchFailed: 0 },
        totals: { processed: 0, failed: 0, batchFailed: 0, duplicates: 0 },
        duplicateTimes: [],
        deadLetters: { available: true, total: 0, latest: [] },
        problem: null,
      });
    }
  }

  start(): void {
    this.#source.events.on('outcome', this.#onOutcome);
    this.#source.events.on('batch', this.#onBatch);
    const loop = () => {
      const started = Date.now();
      this.#tick = this.#sampleAll().then(this.#onSample);
      // The next tick keeps the cadence, and never overlaps a slow one.
      this.#tick.then(() => {
        if (this.#timer)
          this.#timer = setTimeout(loop, Math.max(0, started + SAMPLE_INTERVAL_MS - Date.now()));
      });
    };
    this.#timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#source.events.off('outcome', this.#onOutcome);
    this.#source.events.off('batch', this.#onBatch);
    await this.#tick;
    this.#sqs.destroy();
  }

  figures(job: string): JobFigures {
    const state = this.#state.get(job) as JobState;
    const definition = this.#jobs.find((j) => j.name === job) as JobDefinition;
    const now = new Date();
    const views = this.#source.schedules(job);
    const soonest = views
      .filter((v) => v.nextRun)
      .sort((a, b) => (a.nextRun?.getTime() ?? 0) - (b.nextRun?.getTime() ?? 0))[0];
    const viewText = (v: (typeof views)[number]) =>
      v.nextRun
        ? zonedRunText(v.nextRun, v.timeZone, now)
        : nextRunText({ kind: v.state === 'DISABLED' ? 'disabled' : 'never' });
    return {
      job,
      trigger: triggerOf(definition),
      maxConcurrency: definition.settings.maxConcurrency,
      paused: this.#source.isPaused(job),
      nextRun: soonest?.nextRun?.toISOString() ?? null,
      nextRunText: soonest
        ? viewText(soonest)
        : views.length === 0
          ? '-'
          : nextRunText({
              kind: views.every((v) => v.state === 'DISABLED') ? 'disabled' : 'never',
            }),
      schedules: views.map((v) => ({
        name: v.name,
        service: v.service,
        expression: v.expression,
        timeZone: v.timeZone,
        state: v.state,
        nextRun: v.nextRun?.toISOString() ?? null,
        nextRunText: viewText(v),
      })),
      pendingRuns: this.#source.pendingRuns(job),
      batchesInFlight: this.#source.concurrency(job).inFlight,
      totals: { ...state.totals },
      durations: state.durations.percentiles(Date.now()) ?? null,
      latest: state.ring.latest() ?? null,
      deadLetters: state.deadLetters,
      problem: state.problem,
    };
  }

  /** Records of the job acknowledged as duplicates in the last `DUPLICATES_WINDOW_SECONDS`. */
  duplicatesSuppressed(job: string, now = Date.now()): number {
    const times = (this.#state.get(job) as JobState).duplicateTimes;
    pruneBefore(times, now - DUPLICATES_WINDOW_SECONDS * 1000);
    return times.length;
  }

  series(job: string): SeriesColumns {
    return (this.#state.get(job) as JobState).ring.columns();
  }

  /** The newest memory sample; null before the first. */
  memory(): MemorySample | null {
    return this.#memory.latest() ?? null;
  }

  memorySeries(): MemoryColumns {
    return this.#memory.columns();
  }

  async #sampleAll(): Promise<void> {
    const at = Date.now();
    await Promise.all([
      ...this.#jobs.map((job) => this.#sampleJob(job.name, at)),
      // A tick without a memory reading (the endpoint just ended) leaves a gap, not a zero.
      this.#source.memory().then(
        (memory) => this.#memory.push(memorySample(at, memory)),
        () => {},
      ),
    ]);
  }

  async #sampleJob(job: string, at: number): Promise<void> {
    const state = this.#state.get(job) as JobState;
    const queues = this.#source.queues.get(job);
    if (!queues) return;
    // Taken before the awaits, so each outcome is counted in exactly one sample.
    const tally = state.tally;
    state.tally = { processed: 0, failed: 0, batchFailed: 0 };
    try {
      const [queue, dlq, deadLetters] = await Promise.all([
        queueCounts(this.#sqs, queues.queue.url),
        queueCounts(this.#sqs, queues.deadLetterQueue.url),
        readDeadLetters(this.#source.sqsEndpoint, queues.deadLetterQueue.name),
      ]);
      state.ring.push({
        at,
        ...queue,
        deadLetters: dlq.visible + dlq.inFlight + dlq.delayed,
        ...tally,
      });
      state.deadLetters = deadLetters;
      state.problem = null;
    } catch (error) {
      state.problem = `could not sample: ${toError(error).message}`;
      // Not lost: these outcomes are counted in the next sample that succeeds.
      for (const key of Object.keys(tally) as (keyof typeof tally)[])
        state.tally[key] += tally[key];
    }
  }
}

/** Drops the times before `sinceMs` from the front of `times` (oldest first). */
function pruneBefore(times: number[], sinceMs: number): void {
  let stale = 0;
  while (stale < times.length && (times[stale] ?? 0) < sinceMs) stale += 1;
  if (stale > 0) times.splice(0, stale);
}
