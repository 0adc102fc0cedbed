import { DEAD_LETTER_ATTRIBUTES } from '../core/dead-letter-attributes.ts';
import type { ClientContext } from './context.ts';
import { loopbackEndpoint } from './local-endpoint.ts';
import { type InspectedMessage, inspectQueue } from './queue-messages.ts';

/** Where some messages of a job are now. */
export interface Whereabouts {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  /**
   * In the job's dead-letter queue: moved there by SQS after `maxReceiveCount`
   * receives (same message id), or dead-lettered by the handler (`bgjobs.message-id`).
   */
  readonly deadLettered: number;
}

/**
 * Counts the given messages where they are: in the job's queue by state, or in
 * its dead-letter queue; a message in neither was deleted (processed). Only an
 * endpoint that lists messages without receiving them can tell (the local
 * runtime's fauxqs); elsewhere, SQS on AWS included, the answer is undefined.
 */
export async function locateMessages(
  ctx: ClientContext,
  jobName: string,
  messageIds: ReadonlySet<string>,
): Promise<Whereabouts | undefined> {
  const endpoint = await loopbackEndpoint(ctx.sqs);
  if (!endpoint) return undefined;
  const plan = ctx.plan(jobName);
  const [queue, deadLetterQueue] = await Promise.all([
    inspectQueue(endpoint, plan.queue.name),
    inspectQueue(endpoint, plan.deadLetterQueue.name),
  ]);
  if (!queue || !deadLetterQueue) return undefined;
  return countWhereabouts(queue, deadLetterQueue, messageIds);
}

/** The counts of `messageIds` among a queue's and its dead-letter queue's messages. */
export function countWhereabouts(
  queue: readonly InspectedMessage[],
  deadLetterQueue: readonly InspectedMessage[],
  messageIds: ReadonlySet<string>,
): Whereabouts {
  const counts = { visible: 0, inFlight: 0, delayed: 0, deadLettered: 0 };
  for (const message of queue) if (messageIds.has(message.messageId)) counts[message.state] += 1;
  for (const letter of deadLetterQueue) {
    const original = letter.attributes[DEAD_LETTER_ATTRIBUTES.messageId] ?? letter.messageId;
    if (messageIds.has(original)) counts.deadLettered += 1;
  }
  return counts;
}
