import type { BgjobsClient, JobQueueCounts } from '../client/index.ts';
import type { JobDefinition } from '../core/index.ts';

/** Where the flood's own messages are, in one reading. */
export interface FloodCounts {
  readonly backlog: number;
  readonly inFlight: number;
  readonly delayed: number;
  /** The flood's messages in the dead-letter queue. */
  readonly deadLetters: number;
  /** Messages of other senders still in backlog, in flight and delayed (see `floodCounter`). */
  readonly others: number;
}

export interface FloodCounter {
  readonly countedBy: 'message ids' | 'queue counts';
  read(sentIds: ReadonlySet<string>): Promise<FloodCounts>;
}

/**
 * Counts only the messages the flood sent. Where the endpoint lists messages
 * without receiving them (the local runtime), by their ids: exact, whatever else
 * is queued or in flight. On AWS only the queue's counts exist: the messages
 * queued before the flood are counted out for as long as that many remain.
 */
export async function floodCounter(
  client: BgjobsClient<readonly JobDefinition[]>,
  job: string,
  before: JobQueueCounts,
): Promise<FloodCounter> {
  if (await client.locate(job, new Set())) {
    return {
      countedBy: 'message ids',
      read: async (sentIds) => {
        const where = await client.locate(job, sentIds);
        if (!where) throw new Error(`the SQS endpoint no longer lists the messages of ${job}`);
        const { visible, inFlight, delayed, deadLettered } = where;
        return { backlog: visible, inFlight, delayed, deadLetters: deadLettered, others: 0 };
      },
    };
  }
  let others = queued(before);
  return {
    countedBy: 'queue counts',
    read: async () => {
      const counts = await client.counts(job);
      others = othersStillQueued(others, queued(counts));
      return {
        backlog: counts.visible,
        inFlight: counts.inFlight,
        delayed: counts.delayed,
        deadLetters: counts.deadLetters - before.deadLetters,
        others,
      };
    },
  };
}

/**
 * Messages queued before the flood can only leave, so at most as many remain as
 * the fewest the queue has held since. (Other senders' messages sent during the
 * flood are not known, and are counted as the flood's.)
 */
export function othersStillQueued(previous: number, queuedNow: number): number {
  return Math.min(previous, queuedNow);
}

function queued(counts: JobQueueCounts): number {
  return counts.visible + counts.inFlight + counts.delayed;
}
