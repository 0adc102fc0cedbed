import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { BacklogFullError } from '../core/errors.ts';

/** How long a backlog figure is reused, so that enqueue does not double the SQS calls. */
export const BACKLOG_CACHE_MS = 1000;
const WAIT_POLL_MS = 250;

export interface BacklogOptions {
  /** What to do when the queue holds more than `maxBacklog`. @default 'reject' */
  readonly onBacklog?: 'reject' | 'wait';
  /** With `wait`: the longest wait before rejecting. @default 30_000 */
  readonly maxWaitMs?: number;
}

/**
 * Producer back-pressure: a job's `maxBacklog` against its queue's visible
 * messages. One cached figure per queue serves concurrent enqueues.
 */
export class BacklogGate {
  readonly #sqs: SQSClient;
  readonly #now: () => number;
  readonly #cache = new Map<string, { at: number; value: Promise<number> }>();

  constructor(sqs: SQSClient, now: () => number = Date.now) {
    this.#sqs = sqs;
    this.#now = now;
  }

  /** Resolves when there is room; rejects with BacklogFullError otherwise. */
  async admit(
    jobName: string,
    queueUrl: string,
    maxBacklog: number,
    options: BacklogOptions = {},
  ): Promise<void> {
    const started = this.#now();
    const maxWaitMs = options.maxWaitMs ?? 30_000;
    for (;;) {
      const backlog = await this.backlog(queueUrl);
      if (backlog < maxBacklog) return;
      const waited = this.#now() - started;
      if (options.onBacklog !== 'wait') throw new BacklogFullError(jobName, backlog, maxBacklog);
      if (waited >= maxWaitMs) throw new BacklogFullError(jobName, backlog, maxBacklog, waited);
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(WAIT_POLL_MS, maxWaitMs - waited)),
      );
      this.#cache.delete(queueUrl);
    }
  }

  /** Visible messages in the queue, at most BACKLOG_CACHE_MS old. */
  backlog(queueUrl: string): Promise<number> {
    const cached = this.#cache.get(queueUrl);
    if (cached && this.#now() - cached.at < BACKLOG_CACHE_MS) return cached.value;
    const value = this.#sqs
      .send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      )
      .then((r) => Number(r.Attributes?.ApproximateNumberOfMessages ?? 0));
    value.catch(() => this.#cache.delete(queueUrl));
    this.#cache.set(queueUrl, { at: this.#now(), value });
    return value;
  }

  /** Counts messages just sent, so a cached figure does not let a burst overshoot. */
  noteSent(queueUrl: string, count: number): void {
    const cached = this.#cache.get(queueUrl);
    if (cached)
      this.#cache.set(queueUrl, { at: cached.at, value: cached.value.then((n) => n + count) });
  }
}
