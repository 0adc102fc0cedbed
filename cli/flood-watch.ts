import type { BgjobsClient, JobStatus } from '../client/index.ts';
import type { JobDefinition } from '../core/index.ts';
import type { Publishing } from './flood-publish.ts';
import type { FloodSnapshot, FloodView } from './flood-view.ts';

const POLL_MS = 500;
/** Readings in a row with an empty queue before the backlog counts as drained (the counts are approximate). */
const QUIET_READINGS = 2;

export interface FloodWatch {
  readonly last: FloodSnapshot;
  readonly peaks: { backlog: number; inFlight: number };
  /** When the queue was first seen empty for good after the last send; undefined when it never was. */
  readonly drainedAtMs: number | undefined;
}

/** Reads the job's status every POLL_MS until publishing is done and the queue stays empty, or time runs out. */
export async function watchUntilDrained(
  client: BgjobsClient<readonly JobDefinition[]>,
  before: JobStatus,
  publishing: Publishing,
  view: FloodView,
  options: { drainTimeoutMs: number; interrupted: () => boolean },
): Promise<FloodWatch> {
  const peaks = { backlog: 0, inFlight: 0 };
  const quiet: FloodSnapshot[] = [];
  for (;;) {
    const status = await client.status(before.job);
    const last: FloodSnapshot = {
      elapsedMs: Date.now() - publishing.startedAt,
      sent: publishing.sent(),
      sendFailed: publishing.failed(),
      backlog: status.visible,
      inFlight: status.inFlight,
      delayed: status.delayed,
      deadLetters: status.deadLetters - before.deadLetters,
    };
    peaks.backlog = Math.max(peaks.backlog, last.backlog);
    peaks.inFlight = Math.max(peaks.inFlight, last.inFlight);
    view.update(last);
    const empty = last.backlog + last.inFlight + last.delayed === 0;
    if (publishing.isDone() && empty) quiet.push(last);
    else quiet.length = 0;
    const timedOut =
      publishing.isDone() && Date.now() - publishing.lastSendAt() > options.drainTimeoutMs;
    if (quiet.length >= QUIET_READINGS || options.interrupted() || timedOut) {
      const drainedAtMs = quiet.length >= QUIET_READINGS ? quiet[0]?.elapsedMs : undefined;
      return { last, peaks, drainedAtMs };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
