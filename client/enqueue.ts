import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { BacklogFullError, InvalidEnqueueOptionsError, toError } from '../core/errors.ts';
import {
  SQS_MAX_BATCH_ENTRIES,
  SQS_MAX_DELAY_SECONDS,
  SQS_MAX_MESSAGE_BYTES,
} from '../core/limits.ts';
import type { BacklogGate, BacklogOptions } from './backlog.ts';
import type { ClientContext } from './context.ts';
import {
  type EnqueueOptions,
  messageBytes,
  type PreparedMessage,
  prepareMessage,
} from './prepare-message.ts';
import { entryRetryDelayMs, MAX_ENTRY_ATTEMPTS, mapConcurrent, sleep } from './retry.ts';
import { type RunAtOptions, whenToRun } from './run-at.ts';
import { createOneTimeRun, type ScheduledReceipt } from './scheduled-runs.ts';
import { SEND_TIMEOUT_MS, uniqueKeys } from './unique-enqueue.ts';

/**
 * What `enqueue` did: sent the message (perhaps with SQS's delay), scheduled a
 * one-time run, or found a message sent with the same `uniqueKey` in its window.
 */
export type EnqueueReceipt = SentReceipt | ScheduledReceipt | DuplicateReceipt;

export interface SentReceipt {
  readonly kind: 'sent';
  readonly messageId: string;
}

/**
 * Nothing sent: a message with the same `uniqueKey` was enqueued within its
 * window, and `messageId` is that message's id.
 */
export interface DuplicateReceipt {
  readonly kind: 'duplicate';
  readonly messageId: string;
}

export type EnqueueResult =
  | { readonly index: number; readonly ok: true; readonly messageId: string }
  | { readonly index: number; readonly ok: false; readonly error: string };

export interface EnqueueManyOptions extends BacklogOptions {
  /** SendMessageBatch calls in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Called as entries are settled, for progress bars. */
  readonly onProgress?: (settled: number, total: number) => void;
}

/** A unique key is reserved when its message is sent: a run scheduled for later is sent by Scheduler. */
export function uniqueLaterRunError(jobName: string): InvalidEnqueueOptionsError {
  return new InvalidEnqueueOptionsError(
    `job "${jobName}": uniqueKey cannot travel with a run scheduled for later (the key is reserved when the message is sent, and a one-time schedule sends it later); allowed: a delay of at most ${SQS_MAX_DELAY_SECONDS} s`,
  );
}

/**
 * Sends one validated message to the job's queue and returns its message id; with a
 * `runAt` or `delay` past what SQS can hold (900 s; any on a FIFO queue), creates a one-time
 * schedule that sends the same body then, and returns its id (the backlog is checked when
 * it reaches the queue, not now).
 */
export async function enqueue(
  ctx: ClientContext,
  gate: BacklogGate,
  jobName: string,
  payload: unknown,
  options: EnqueueOptions & RunAtOptions & BacklogOptions = {},
  now: Date = new Date(),
): Promise<EnqueueReceipt> {
  const job = ctx.job(jobName);
  const when = whenToRun(job, options, now);
  const { runAt: _runAt, delay: _delay, ...messageOptions } = options;
  if (when.kind === 'schedule') {
    if (job.settings.fifo && !job.settings.fifo.contentBasedDeduplication) {
      throw new InvalidEnqueueOptionsError(
        `job "${job.name}": a FIFO job takes runs for later only with fifo.contentBasedDeduplication on (EventBridge Scheduler sends no deduplication id)`,
      );
    }
    if (options.deduplicationId !== undefined) {
      throw new InvalidEnqueueOptionsError(
        `job "${job.name}": deduplicationId cannot travel with a run scheduled for later (EventBridge Scheduler sends none; the queue's content-based deduplication applies)`,
      );
    }
    if (options.uniqueKey !== undefined) throw uniqueLaterRunError(job.name);
    const message = prepareMessage(job, payload, messageOptions);
    return createOneTimeRun(ctx, ctx.plan(job.name), message, when.at);
  }
  const delaySeconds = when.kind === 'delay' ? when.delaySeconds : messageOptions.delaySeconds;
  const message = prepareMessage(job, payload, { ...messageOptions, delaySeconds });
  const plan = ctx.plan(job.name);
  const queueUrl = await ctx.queueUrl(plan.queue.name);
  if (job.settings.maxBacklog)
    await gate.admit(job.name, queueUrl, job.settings.maxBacklog, options);
  const send = async (abortSignal?: AbortSignal): Promise<string> => {
    const response = await ctx.sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, ...message }),
      { abortSignal },
    );
    gate.noteSent(queueUrl, 1);
    return response.MessageId ?? '';
  };
  const { uniqueKey, uniqueForSeconds } = options;
  if (uniqueKey === undefined || uniqueForSeconds === undefined || !plan.uniqueEnqueues) {
    return { kind: 'sent', messageId: await send() };
  }
  const keys = uniqueKeys(plan.uniqueEnqueues, ctx.dynamodb, ctx.now);
  const reservation = await keys.reserve(uniqueKey, uniqueForSeconds);
  if (reservation.kind === 'sent') return { kind: 'duplicate', messageId: reservation.messageId };
  let messageId: string;
  try {
    // Shorter than the reservation, so that no other producer takes the key over mid-send.
    messageId = await send(AbortSignal.timeout(SEND_TIMEOUT_MS));
  } catch (error) {
    await keys.release(uniqueKey, reservation.token).catch(() => {
      // Not released: the reservation lapses by itself after PENDING_MS.
    });
    throw error;
  }
  // Sent: a failure to record the id only shortens how long the key holds (see unique-enqueue.ts).
  await keys.confirm(uniqueKey, reservation.token, messageId).catch(() => undefined);
  return { kind: 'sent', messageId };
}

/**
 * Sends many payloads: each is validated first (an invalid one gets an error
 * result and is not sent), the rest go in batches of at most 10 entries and
 * SQS's total size, several batches at once. Entries SQS reports as failed
 * through no fault of the sender are retried with backoff. Returns one result
 * per payload, in order; none is dropped silently.
 */
export async function enqueueMany(
  ctx: ClientContext,
  gate: BacklogGate,
  jobName: string,
  payloads: readonly unknown[],
  given: EnqueueManyOptions & EnqueueOptions & RunAtOptions = {},
): Promise<EnqueueResult[]> {
  const job = ctx.job(jobName);
  if (given.uniqueKey !== undefined || given.uniqueForSeconds !== undefined) {
    throw new InvalidEnqueueOptionsError(
      `job "${job.name}": uniqueKey is for enqueue, one message at a time; enqueueMany would give every payload the same key`,
    );
  }
  const when = whenToRun(job, given, new Date());
  if (when.kind === 'schedule') {
    throw new InvalidEnqueueOptionsError(
      `job "${job.name}": enqueueMany delays up to ${SQS_MAX_DELAY_SECONDS} s (SQS's delay, standard queues); a later run is one schedule each: use enqueue with runAt or delay`,
    );
  }
  const { runAt: _runAt, delay: _delay, ...rest } = given;
  const options = when.kind === 'delay' ? { ...rest, delaySeconds: when.delaySeconds } : rest;
  const results: EnqueueResult[] = new Array(payloads.length);
  const ready: { index: number; message: PreparedMessage }[] = [];
  payloads.forEach((payload, index) => {
    try {
      ready.push({ index, message: prepareMessage(job, payload, options) });
    } catch (error) {
      results[index] = { index, ok: false, error: toError(error).message };
    }
  });
  let settled = payloads.length - ready.length;
  options.onProgress?.(settled, payloads.length);
  const queueUrl = await ctx.queueUrl(ctx.plan(job.name).queue.name);

  await mapConcurrent(chunkBatches(ready), options.concurrency ?? 8, async (batch) => {
    const refused = await admission(gate, job.name, queueUrl, job.settings.maxBacklog, options);
    const sent = refused
      ? batch.map((item) => ({ index: item.index, ok: false as const, error: refused }))
      : await sendBatch(ctx, queueUrl, batch);
    for (const result of sent) {
      results[result.index] = result;
      settled += 1;
    }
    if (!refused) gate.noteSent(queueUrl, batch.length);
    options.onProgress?.(settled, payloads.length);
  });
  return results;
}

/** Back-pressure per batch: a refusal becomes each entry's error, so no result is lost. */
async function admission(
  gate: BacklogGate,
  jobName: string,
  queueUrl: string,
  maxBacklog: number | undefined,
  options: BacklogOptions,
): Promise<string | undefined> {
  if (!maxBacklog) return undefined;
  try {
    await gate.admit(jobName, queueUrl, maxBacklog, options);
    return undefined;
  } catch (error) {
    if (error instanceof BacklogFullError) return error.message;
    throw error;
  }
}

/** Splits messages into batches of at most 10 entries and SQS's maximum total size. */
export function chunkBatches<T extends { message: PreparedMessage }>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = messageBytes(item.message);
    if (
      current.length === SQS_MAX_BATCH_ENTRIES ||
      (current.length > 0 && bytes + size > SQS_MAX_MESSAGE_BYTES)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

async function sendBatch(
  ctx: ClientContext,
  queueUrl: string,
  batch: readonly { index: number; message: PreparedMessage }[],
): Promise<EnqueueResult[]> {
  const results: EnqueueResult[] = [];
  let pending = [...batch];
  for (let attempt = 1; pending.length > 0; attempt++) {
    const entries: SendMessageBatchRequestEntry[] = pending.map((item) => ({
      Id: String(item.index),
      ...item.message,
    }));
    let retry: typeof pending = [];
    try {
      const response = await ctx.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
      );
      const byId = new Map(pending.map((item) => [String(item.index), item]));
      for (const ok of response.Successful ?? []) {
        results.push({ index: Number(ok.Id), ok: true, messageId: ok.MessageId ?? '' });
        byId.delete(ok.Id ?? '');
      }
      for (const failed of response.Failed ?? []) {
        const item = byId.get(failed.Id ?? '');
        if (!item) continue;
        byId.delete(failed.Id ?? '');
        const reason = `${failed.Code}: ${failed.Message ?? ''}`;
        if (failed.SenderFault || attempt >= MAX_ENTRY_ATTEMPTS) {
          results.push({
            index: item.index,
            ok: false,
            error: `SQS refused the message (${reason})`,
          });
        } else retry.push(item);
      }
      // An entry SQS mentioned in neither list is not assumed sent.
      retry.push(...byId.values());
    } catch (error) {
      if (attempt >= MAX_ENTRY_ATTEMPTS) {
        const reason = toError(error).message;
        results.push(
          ...pending.map((item) => ({
            index: item.index,
            ok: false as const,
            error: `send failed: ${reason}`,
          })),
        );
        retry = [];
      } else retry = pending;
    }
    pending = retry;
    if (pending.length > 0) await sleep(entryRetryDelayMs(attempt));
  }
  return results;
}
