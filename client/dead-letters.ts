import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTES } from '../core/dead-letter-attributes.ts';
import { toError } from '../core/errors.ts';
import { SQS_MAX_BATCH_ENTRIES } from '../core/limits.ts';
import type { ClientContext } from './context.ts';
import { sleep } from './retry.ts';

/** A dead letter as operators see it: the message, and why it failed when bgjobs put it there. */
export interface DeadLetter {
  /** The id in the dead-letter queue: what `redrive` and `purge` take. */
  readonly messageId: string;
  /** The id it had when it was enqueued (SQS's redrive policy keeps ids; bgjobs's send records it). */
  readonly originalMessageId: string;
  readonly body: string;
  readonly sentAt: Date;
  readonly receiveCount: number;
  /** Set when the handler dead-lettered it (permanent failure); absent when SQS's redrive policy moved it. */
  readonly error: string | undefined;
  readonly reason: string | undefined;
  readonly attempt: number | undefined;
  readonly failedAt: string | undefined;
}

export interface SelectOptions {
  /** Only these message ids. @default - every dead letter */
  readonly ids?: readonly string[];
  /** Report what would happen; change nothing. */
  readonly dryRun?: boolean;
  /** At most this many dead letters per run. @default 10_000 */
  readonly max?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RedriveOptions extends SelectOptions {
  /** Sends per second back to the job's queue. @default 50 */
  readonly ratePerSecond?: number;
}

export interface SelectionResult {
  /** Message ids acted on (or that would be, with dryRun). */
  readonly selected: readonly string[];
  /** Asked-for ids that are not in the dead-letter queue. */
  readonly notFound: readonly string[];
  readonly failed: readonly { messageId: string; error: string }[];
}

/** While a run holds dead letters, other readers do not see them; then they are released. */
const HOLD_SECONDS = 300;

export async function listDeadLetters(
  ctx: ClientContext,
  jobName: string,
  max = 100,
): Promise<DeadLetter[]> {
  const url = await deadLetterQueueUrl(ctx, jobName);
  const messages = await receiveAll(ctx, url, max, 30);
  await release(ctx, url, messages);
  return messages.map(toDeadLetter);
}

/** One dead letter by id: receives only until it turns up, then hands everything back. */
export async function showDeadLetter(
  ctx: ClientContext,
  jobName: string,
  messageId: string,
  max = 10_000,
): Promise<DeadLetter | undefined> {
  const url = await deadLetterQueueUrl(ctx, jobName);
  const messages = await receiveAll(ctx, url, max, 30, (m) => m.MessageId === messageId);
  await release(ctx, url, messages);
  const found = messages.find((m) => m.MessageId === messageId);
  return found ? toDeadLetter(found) : undefined;
}

/**
 * Moves dead letters back to the job's queue (all, or the chosen ids), at a
 * bounded rate: send first, then delete, so a failure in between makes a
 * duplicate, never a loss. Uses ReceiveMessage/SendMessage/DeleteMessage,
 * which work on AWS and on the local endpoint alike.
 */
export async function redrive(
  ctx: ClientContext,
  jobName: string,
  options: RedriveOptions = {},
): Promise<SelectionResult> {
  const job = ctx.job(jobName);
  const sourceUrl = await ctx.queueUrl(ctx.plan(job.name).queue.name);
  return withSelection(
    ctx,
    jobName,
    options,
    async (message) => {
      const groupId = message.Attributes?.MessageGroupId;
      await ctx.sqs.send(
        new SendMessageCommand({
          QueueUrl: sourceUrl,
          MessageBody: message.Body ?? '',
          MessageAttributes: originalAttributes(message),
          // A redriven FIFO message must not be taken for a duplicate of its first send.
          ...(groupId
            ? {
                MessageGroupId: groupId,
                MessageDeduplicationId: `${message.MessageId}-redrive-${Date.now()}`,
              }
            : {}),
        }),
      );
    },
    options.ratePerSecond ?? 50,
  );
}

/** Deletes dead letters (all, or the chosen ids). With dryRun it only counts them. */
export async function purgeDeadLetters(
  ctx: ClientContext,
  jobName: string,
  options: SelectOptions = {},
): Promise<SelectionResult> {
  return withSelection(ctx, jobName, options, async () => {}, Number.POSITIVE_INFINITY);
}

async function withSelection(
  ctx: ClientContext,
  jobName: string,
  options: SelectOptions,
  beforeDelete: (message: Message) => Promise<void>,
  ratePerSecond: number,
): Promise<SelectionResult> {
  const url = await deadLetterQueueUrl(ctx, jobName);
  const held = await receiveAll(ctx, url, options.max ?? 10_000, HOLD_SECONDS);
  const wanted = options.ids ? new Set(options.ids) : undefined;
  const selected = wanted ? held.filter((m) => wanted.has(m.MessageId ?? '')) : held;
  const present = new Set(held.map((m) => m.MessageId));
  const notFound = (options.ids ?? []).filter((id) => !present.has(id));
  const failed: { messageId: string; error: string }[] = [];
  const keep = held.filter((m) => !selected.includes(m));
  if (options.dryRun) {
    await release(ctx, url, held);
    return { selected: selected.map((m) => m.MessageId ?? ''), notFound, failed };
  }
  const intervalMs = 1000 / ratePerSecond;
  const started = Date.now();
  const done: string[] = [];
  for (const [i, message] of selected.entries()) {
    const due = started + i * intervalMs;
    if (due > Date.now()) await sleep(due - Date.now());
    try {
      await beforeDelete(message);
      await ctx.sqs.send(
        new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }),
      );
      done.push(message.MessageId ?? '');
    } catch (error) {
      failed.push({ messageId: message.MessageId ?? '', error: toError(error).message });
      keep.push(message);
    }
    options.onProgress?.(i + 1, selected.length);
  }
  await release(ctx, url, keep);
  return { selected: done, notFound, failed };
}

async function deadLetterQueueUrl(ctx: ClientContext, jobName: string): Promise<string> {
  return ctx.queueUrl(ctx.plan(jobName).deadLetterQueue.name);
}

/** Receives until the queue has nothing more to give, `max` are held, or `found` matches one; each is invisible for `holdSeconds`. */
async function receiveAll(
  ctx: ClientContext,
  url: string,
  max: number,
  holdSeconds: number,
  found: (message: Message) => boolean = () => false,
): Promise<Message[]> {
  const held: Message[] = [];
  while (held.length < max && !held.some(found)) {
    const { Messages = [] } = await ctx.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(SQS_MAX_BATCH_ENTRIES, max - held.length),
        VisibilityTimeout: holdSeconds,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    held.push(...Messages);
  }
  return held;
}

/** Makes held messages visible again at once. */
async function release(
  ctx: ClientContext,
  url: string,
  messages: readonly Message[],
): Promise<void> {
  for (let i = 0; i < messages.length; i += SQS_MAX_BATCH_ENTRIES) {
    const chunk = messages.slice(i, i + SQS_MAX_BATCH_ENTRIES);
    await ctx.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: chunk.map((m, index) => ({
          Id: String(index),
          ReceiptHandle: m.ReceiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
}

function originalAttributes(message: Message): Record<string, MessageAttributeValue> | undefined {
  const entries = Object.entries(message.MessageAttributes ?? {}).filter(
    ([name]) => !name.startsWith('bgjobs.'),
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function toDeadLetter(message: Message): DeadLetter {
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  const attempt = attribute(DEAD_LETTER_ATTRIBUTES.attempt);
  return {
    messageId: message.MessageId ?? '',
    originalMessageId: attribute(DEAD_LETTER_ATTRIBUTES.messageId) ?? message.MessageId ?? '',
    body: message.Body ?? '',
    sentAt: new Date(Number(message.Attributes?.SentTimestamp ?? 0)),
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    error: attribute(DEAD_LETTER_ATTRIBUTES.error),
    reason: attribute(DEAD_LETTER_ATTRIBUTES.reason),
    attempt: attempt === undefined ? undefined : Number(attempt),
    failedAt: attribute(DEAD_LETTER_ATTRIBUTES.failedAt),
  };
}
