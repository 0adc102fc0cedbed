import { type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { SQS_MAX_BATCH_ENTRIES } from '../../core/limits.ts';
import type { JobPlan } from '../../core/plan.ts';
import { type BatchSettlement, type InvocationResult, settleBatch } from './batch-result.ts';
import { deleteRecords, handBack } from './mapping-calls.ts';
import { toLambdaRecord } from './sqs-record.ts';

/** Longest long poll, in seconds; shorter than SQS's 20 so that stopping is prompt. */
const LONG_POLL_SECONDS = 5;
/** Pause after a failed receive, like Lambda's pollers backing off from an unreachable queue. */
const RECEIVE_ERROR_BACKOFF_MS = 1000;
/**
 * Receives out at once while messages keep coming: Lambda "starts processing
 * five batches at a time" once a queue is active; an empty queue gets one long poll.
 */
const ACTIVE_POLLERS = 5;

export interface EventSourceMappingOptions {
  /** Batch size, window and maximum concurrency, from the job's plan. */
  readonly settings: JobPlan['eventSourceMapping'];
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly invoke: (event: { Records: SQSRecord[] }) => Promise<InvocationResult>;
  readonly onBatch?: (batch: {
    records: readonly SQSRecord[];
    result: InvocationResult;
    settlement: BatchSettlement;
  }) => void;
  readonly onError?: (error: Error) => void;
  /** Called whenever the number of batches in flight changes. */
  readonly onInFlight?: (inFlight: number) => void;
}

/**
 * Lambda's SQS event source mapping, locally: long polling, batches of up to
 * `batchSize` gathered across receives within the batching window, at most
 * `maxConcurrency` invocations at once (a receive takes a slot too, so none
 * happens while the cap is reached), and the partial batch response applied by
 * deleting only what succeeded, after the function returned and outside its
 * slot, as Lambda's poller does. An empty queue gets one long poll at a time;
 * while receives bring messages, up to five gather batches at once, so that
 * the next batch is on its way while the last is handled.
 */
export class EventSourceMapping {
  readonly #options: EventSourceMappingOptions;
  readonly #stopping = new AbortController();
  /** Invocations running: each holds a slot until the function returns. */
  readonly #inFlight = new Set<Promise<unknown>>();
  /** Batches not settled yet: invoked, or what succeeded not yet deleted. */
  readonly #settling = new Set<Promise<unknown>>();
  readonly #polls = new Set<Promise<void>>();
  /** Whether the last receive came back empty: then one long poll at a time. */
  #idle = true;
  #slotFreed: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  #enabled = true;

  constructor(options: EventSourceMappingOptions) {
    this.#options = options;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Pausing stops receiving; batches in flight finish. */
  setEnabled(enabled: boolean): void {
    this.#enabled = enabled;
    this.#slotFreed?.();
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /**
   * Stops receiving, then waits up to `graceMs` for the batches in flight to
   * settle: their invocations returned and what succeeded deleted. Returns how
   * many did not.
   */
  async stop(graceMs: number): Promise<number> {
    this.#stopping.abort();
    this.#slotFreed?.();
    await this.#loop;
    await Promise.all(this.#polls);
    const pending = [...this.#settling];
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    await Promise.race([Promise.allSettled(pending), timedOut]);
    clearTimeout(timer);
    return this.#settling.size;
  }

  async #run(): Promise<void> {
    const { maxConcurrency } = this.#options.settings;
    while (!this.#stopping.signal.aborted) {
      const slotsTaken = this.#inFlight.size + this.#polls.size;
      if (
        slotsTaken >= maxConcurrency ||
        this.#polls.size >= ACTIVE_POLLERS ||
        (this.#idle && this.#polls.size > 0) ||
        !this.#enabled
      ) {
        await new Promise<void>((resolve) => {
          this.#slotFreed = resolve;
        });
        continue;
      }
      const poll = this.#poll().finally(() => {
        this.#polls.delete(poll);
        this.#slotFreed?.();
      });
      this.#polls.add(poll);
    }
  }

  /** Gathers one batch and hands it to the function; the slot stays taken until the function returns. */
  async #poll(): Promise<void> {
    const messages = await this.#gatherBatch();
    this.#idle = messages.length === 0;
    if (messages.length === 0) return;
    // Paused or stopping while a long poll was out: hand the messages back at once.
    if (!this.#enabled || this.#stopping.signal.aborted) await this.#handBack(messages);
    else this.#dispatch(messages);
  }

  /**
   * Invokes the function with the batch. Its slot is free again when the
   * function returns, as a Lambda invocation's concurrency is; deleting what
   * succeeded follows, as Lambda's poller does it after the invocation.
   */
  #dispatch(messages: Message[]): void {
    const records = messages.map((m) => toLambdaRecord(m, this.#options.queueArn));
    const invocation = this.#options.invoke({ Records: records }).finally(() => {
      this.#inFlight.delete(invocation);
      this.#options.onInFlight?.(this.#inFlight.size);
      this.#slotFreed?.();
    });
    this.#inFlight.add(invocation);
    this.#options.onInFlight?.(this.#inFlight.size);
    const settled = invocation
      .then((result) => this.#settle(records, result))
      .finally(() => this.#settling.delete(settled));
    this.#settling.add(settled);
  }

  async #settle(records: SQSRecord[], result: InvocationResult): Promise<void> {
    const settlement = settleBatch(records, result);
    await this.#delete(settlement.succeeded);
    this.#options.onBatch?.({ records, result, settlement });
  }

  /** Receives until the batch is full, or the window (counted from the first message) ends. */
  async #gatherBatch(): Promise<Message[]> {
    const { batchSize, maxBatchingWindowSeconds } = this.#options.settings;
    const windowMs = maxBatchingWindowSeconds * 1000;
    const batch: Message[] = [];
    let windowEnds = Number.POSITIVE_INFINITY;
    while (batch.length < batchSize && !this.#stopping.signal.aborted && this.#enabled) {
      const leftMs = windowEnds - Date.now();
      if (batch.length > 0 && leftMs <= 0) break;
      const waitSeconds =
        batch.length === 0
          ? LONG_POLL_SECONDS
          : Math.min(LONG_POLL_SECONDS, Math.ceil(leftMs / 1000));
      const received = await this.#receive(
        Math.min(SQS_MAX_BATCH_ENTRIES, batchSize - batch.length),
        waitSeconds,
      );
      // A failed receive ends the gather: the mapping goes back to one poll at a time.
      if (received === undefined) break;
      if (received.length > 0 && batch.length === 0) windowEnds = Date.now() + windowMs;
      batch.push(...received);
      if (windowMs === 0 && batch.length > 0) break;
    }
    return batch;
  }

  #handBack(messages: readonly Message[]): Promise<void> {
    const { sqs, queueUrl, onError } = this.#options;
    return handBack(sqs, queueUrl, messages, onError);
  }

  #delete(records: readonly SQSRecord[]): Promise<void> {
    const { sqs, queueUrl, onError } = this.#options;
    return deleteRecords(sqs, queueUrl, records, onError);
  }

  /** The messages received, or undefined when the receive failed (reported, then backed off). */
  async #receive(max: number, waitSeconds: number): Promise<Message[] | undefined> {
    try {
      const response = await this.#options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.#options.queueUrl,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: this.#stopping.signal },
      );
      return response.Messages ?? [];
    } catch (error) {
      if (this.#stopping.signal.aborted) return [];
      this.#options.onError?.(
        new Error(`receive failed: ${(error as Error).message}`, { cause: error }),
      );
      await sleep(RECEIVE_ERROR_BACKOFF_MS, this.#stopping.signal);
      return undefined;
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
