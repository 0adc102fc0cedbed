import type { BgjobsClient } from '../client/index.ts';
import { toError } from '../core/errors.ts';
import type { JobDefinition } from '../core/index.ts';

const TICK_MS = 100;

export interface Publishing {
  readonly startedAt: number;
  /** Messages SQS accepted so far. */
  sent(): number;
  /** The ids SQS gave the messages sent so far. */
  sentIds(): ReadonlySet<string>;
  failed(): number;
  /** Distinct reasons entries were not sent. */
  errors(): string[];
  /** Resolves when every message is sent or failed; `lastSendAt` is then final. */
  readonly finished: Promise<void>;
  isDone(): boolean;
  lastSendAt(): number;
  /** Sends nothing more (Ctrl-C). */
  stop(): void;
}

/**
 * Enqueues `requested` copies of a payload at `ratePerSecond`: each tick sends
 * what is due since the last one with one enqueueMany call. The first message
 * goes alone, so that a payload or option the job refuses fails before the flood.
 */
export async function publish(
  client: BgjobsClient<readonly JobDefinition[]>,
  job: string,
  payload: unknown,
  ratePerSecond: number,
  requested: number,
): Promise<Publishing> {
  const first = await client.enqueue(job, payload);
  const startedAt = Date.now();
  const sentIds = new Set(first.messageId === undefined ? [] : [first.messageId]);
  let sent = 1;
  let failed = 0;
  let scheduled = 1;
  let stopped = false;
  let done = false;
  let lastSendAt = startedAt;
  const errors = new Set<string>();
  const chunk = async (count: number) => {
    try {
      const results = await client.enqueueMany(job, Array(count).fill(payload));
      for (const result of results) {
        if (result.ok) {
          sent += 1;
          sentIds.add(result.messageId);
        } else {
          failed += 1;
          errors.add(result.error);
        }
      }
    } catch (error) {
      failed += count;
      errors.add(toError(error).message);
    }
    lastSendAt = Date.now();
  };
  const finished = (async () => {
    const chunks: Promise<void>[] = [];
    while (scheduled < requested && !stopped) {
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
      const due = Math.min(
        requested,
        1 + Math.floor((ratePerSecond * (Date.now() - startedAt)) / 1000),
      );
      if (due > scheduled) chunks.push(chunk(due - scheduled));
      scheduled = Math.max(scheduled, due);
    }
    await Promise.all(chunks);
    done = true;
  })();
  return {
    startedAt,
    sent: () => sent,
    sentIds: () => sentIds,
    failed: () => failed,
    errors: () => [...errors],
    finished,
    isDone: () => done,
    lastSendAt: () => lastSendAt,
    stop: () => {
      stopped = true;
    },
  };
}
