import type { SQSRecord } from 'aws-lambda';
import type { JobLogger, JobMetrics, RunnableJob } from '../core/job.ts';
import type { RecordOutcome } from '../core/outcomes.ts';
import { type RecordRun, runRecord } from './run-record.ts';

export interface BatchRun {
  readonly job: RunnableJob;
  readonly logger: JobLogger;
  readonly metrics: JobMetrics;
  readonly remainingTimeMs: () => number;
  /** Stop taking records when less than this is left. */
  readonly stopMarginMs: number;
  readonly signal: AbortSignal;
  readonly stopped: RecordRun['stopped'];
  readonly deadLetter: RecordRun['deadLetter'];
  readonly now: () => number;
  readonly random: () => number;
  /**
   * Called for each record once it has an outcome (logging, metrics), in the
   * order of the records, whatever order they finished in. `startedAt` is
   * undefined for a record that was not started.
   */
  readonly onOutcome: (record: SQSRecord, outcome: RecordOutcome, startedAt?: number) => void;
}

/**
 * Runs the records of a batch, up to the job's `recordConcurrency` at once,
 * and returns an outcome for each, in order. Standard queue: records start in
 * order and a failure does not stop the batch. FIFO: a record starts only once
 * the earlier records of its message group are done, so groups run side by
 * side and each stays in order; a group stops at its first failure and its
 * later records are not started. Near the timeout no record is started.
 */
export async function processBatch(
  records: readonly SQSRecord[],
  run: BatchRun,
): Promise<RecordOutcome[]> {
  const fifo = run.job.settings.fifo !== undefined;
  const order = new InRecordOrder(records, run.onOutcome);
  const waiting = new Waiting(records, fifo);
  const recordRun: RecordRun = {
    job: run.job,
    context: {
      jobName: run.job.name,
      logger: run.logger,
      metrics: run.metrics,
      remainingTimeMs: run.remainingTimeMs,
      signal: run.signal,
    },
    stopped: run.stopped,
    deadLetter: run.deadLetter,
    now: run.now,
    random: run.random,
  };

  const workers = Math.min(run.job.settings.recordConcurrency, records.length);
  const batch: Batch = { records, run, recordRun, fifo, waiting, order };
  await Promise.all(Array.from({ length: workers }, () => work(batch)));
  return order.outcomes;
}

interface Batch {
  readonly records: readonly SQSRecord[];
  readonly run: BatchRun;
  readonly recordRun: RecordRun;
  readonly fifo: boolean;
  readonly waiting: Waiting;
  readonly order: InRecordOrder;
}

/** One worker: takes the next record that may start and runs it, until none is left for it. */
async function work({ records, run, recordRun, fifo, waiting, order }: Batch): Promise<void> {
  for (let index = waiting.take(); index !== undefined; index = waiting.take()) {
    const record = records[index] as SQSRecord;
    if (fifo && waiting.groupFailed(record)) {
      order.settle(index, notStarted(record, 'fifo-group-failed'));
    } else if (run.signal.aborted || run.remainingTimeMs() < run.stopMarginMs) {
      waiting.done(record, false);
      order.settle(index, notStarted(record, 'near-timeout'));
    } else {
      const startedAt = run.now();
      const outcome = await runRecord(record, recordRun, startedAt);
      waiting.done(record, outcome.status !== 'retry');
      order.settle(index, outcome, startedAt);
    }
  }
}

function notStarted(
  record: SQSRecord,
  reason: 'near-timeout' | 'fifo-group-failed',
): RecordOutcome {
  return { messageId: record.messageId, status: 'not-started', reason };
}

/**
 * The records not started yet. On a standard queue they are taken in order;
 * on FIFO, the first one whose message group has no record running.
 */
class Waiting {
  readonly #records: readonly SQSRecord[];
  readonly #fifo: boolean;
  #next = 0;
  /** FIFO only: indices not taken yet, in order (a FIFO batch holds at most 10). */
  readonly #left: number[];
  readonly #running = new Set<string>();
  readonly #failed = new Set<string>();

  constructor(records: readonly SQSRecord[], fifo: boolean) {
    this.#records = records;
    this.#fifo = fifo;
    this.#left = fifo ? records.map((_, i) => i) : [];
  }

  take(): number | undefined {
    if (!this.#fifo) return this.#next < this.#records.length ? this.#next++ : undefined;
    const at = this.#left.findIndex((i) => !this.#running.has(groupOf(this.#records[i])));
    if (at < 0) return undefined;
    const [index] = this.#left.splice(at, 1) as [number];
    this.#running.add(groupOf(this.#records[index]));
    return index;
  }

  groupFailed(record: SQSRecord): boolean {
    const group = groupOf(record);
    if (!this.#failed.has(group)) return false;
    this.#running.delete(group);
    return true;
  }

  /** The record is over; a record that must come back stops its FIFO group. */
  done(record: SQSRecord, ok: boolean): void {
    if (!this.#fifo) return;
    const group = groupOf(record);
    this.#running.delete(group);
    if (!ok) this.#failed.add(group);
  }
}

function groupOf(record: SQSRecord | undefined): string {
  return record?.attributes.MessageGroupId ?? '';
}

/** Hands outcomes on in record order: an outcome waits for those of the records before it. */
class InRecordOrder {
  readonly outcomes: RecordOutcome[];
  readonly #records: readonly SQSRecord[];
  readonly #startedAt: (number | undefined)[];
  readonly #onOutcome: BatchRun['onOutcome'];
  #handedOn = 0;

  constructor(records: readonly SQSRecord[], onOutcome: BatchRun['onOutcome']) {
    this.#records = records;
    this.outcomes = new Array(records.length);
    this.#startedAt = new Array(records.length);
    this.#onOutcome = onOutcome;
  }

  settle(index: number, outcome: RecordOutcome, startedAt?: number): void {
    this.outcomes[index] = outcome;
    this.#startedAt[index] = startedAt;
    while (this.#handedOn < this.#records.length) {
      const ready = this.outcomes[this.#handedOn];
      if (ready === undefined) return;
      const record = this.#records[this.#handedOn] as SQSRecord;
      const started = this.#startedAt[this.#handedOn];
      this.#handedOn += 1;
      this.#onOutcome(record, ready, started);
    }
  }
}
