import type { LocalMemory } from '../client/local-memory.ts';
import type { FloodCounter } from './flood-count.ts';
import { type FloodMemory, withReading } from './flood-memory.ts';
import type { Publishing } from './flood-publish.ts';
import { type FloodSnapshot, type FloodView, remaining } from './flood-view.ts';

const POLL_MS = 500;
/** Readings in a row with an empty queue before the backlog counts as drained (the counts are approximate). */
const QUIET_READINGS = 2;

export interface FloodWatch {
  readonly last: FloodSnapshot;
  readonly peaks: { backlog: number; inFlight: number };
  /** When none of the flood's messages was left in the queue, for good, after the last send; undefined when never. */
  readonly drainedAtMs: number | undefined;
  /** The local runtime's and its SQS endpoint's memory over the flood; null on AWS. */
  readonly memory: FloodMemory | null;
}

/**
 * Counts the flood's messages every POLL_MS until publishing is done and none is
 * left in the queue, or time runs out.
 */
export async function watchUntilDrained(
  counter: FloodCounter,
  publishing: Publishing,
  view: FloodView,
  options: {
    drainTimeoutMs: number;
    interrupted: () => boolean;
    /** Where the flood's memory figures come from (undefined on AWS), and the first reading. */
    memory: { read: () => Promise<LocalMemory | undefined>; atStart: LocalMemory | undefined };
  },
): Promise<FloodWatch> {
  const peaks = { backlog: 0, inFlight: 0 };
  let memory = withReading(null, options.memory.atStart);
  const quiet: FloodSnapshot[] = [];
  for (;;) {
    // The counts of the messages sent up to now, read after taking them.
    const sent = publishing.sent();
    const sendFailed = publishing.failed();
    const [counts, reading] = await Promise.all([
      counter.read(new Set(publishing.sentIds())),
      options.memory.read(),
    ]);
    memory = withReading(memory, reading);
    const last: FloodSnapshot = {
      elapsedMs: Date.now() - publishing.startedAt,
      sent,
      sendFailed,
      ...counts,
      memory: reading,
    };
    peaks.backlog = Math.max(peaks.backlog, last.backlog);
    peaks.inFlight = Math.max(peaks.inFlight, last.inFlight);
    view.update(last);
    const empty = remaining(last) === 0;
    if (publishing.isDone() && empty) quiet.push(last);
    else quiet.length = 0;
    const timedOut =
      publishing.isDone() && Date.now() - publishing.lastSendAt() > options.drainTimeoutMs;
    if (quiet.length >= QUIET_READINGS || options.interrupted() || timedOut) {
      const drainedAtMs = quiet.length >= QUIET_READINGS ? quiet[0]?.elapsedMs : undefined;
      return { last, peaks, drainedAtMs, memory };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
