import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { LocalMemory } from '../client/local-memory.ts';
import { duration } from '../core/time-text.ts';
import type { FloodCounter, FloodCounts } from './flood-count.ts';
import { memoryLines, memoryNow } from './flood-memory.ts';
import type { FloodWatch } from './flood-watch.ts';

/** One reading during a flood: what was sent and where the flood's messages are now. */
export interface FloodSnapshot extends FloodCounts {
  readonly elapsedMs: number;
  readonly sent: number;
  readonly sendFailed: number;
  /** The local runtime's and its SQS endpoint's memory; undefined on AWS. */
  readonly memory: LocalMemory | undefined;
}

/** The flood's messages still in the queue: backlog, in flight, delayed, less those of others. */
export function remaining(s: FloodSnapshot): number {
  return Math.max(0, s.backlog + s.inFlight + s.delayed - s.others);
}

/** Sent, less what is still in the queue or went to the dead-letter queue. */
export function processed(s: FloodSnapshot): number {
  return Math.max(0, s.sent - remaining(s) - s.deadLetters);
}

export interface FloodView {
  update(snapshot: FloodSnapshot): void;
  stop(): void;
}

/**
 * Live bars on a terminal (stderr); one plain line a second when stderr is
 * not a terminal; nothing with --json, which prints only the summary.
 */
export function floodView(total: number, json: boolean | undefined): FloodView {
  if (json) return { update: () => {}, stop: () => {} };
  if (!process.stderr.isTTY) {
    let lastLineAt = Number.NEGATIVE_INFINITY;
    return {
      update: (s) => {
        if (s.elapsedMs - lastLineAt < 1000) return;
        lastLineAt = s.elapsedMs;
        const memory = s.memory ? `  memory: ${memoryNow(s.memory)}` : '';
        process.stderr.write(
          `${(s.elapsedMs / 1000).toFixed(1)} s  sent ${s.sent}  backlog ${s.backlog}  in flight ${s.inFlight}  processed ${processed(s)}  dead letters ${s.deadLetters}${memory}\n`,
        );
      },
      stop: () => {},
    };
  }
  const bars = new MultiBar(
    { format: '{label} |{bar}| {value}/{total}', hideCursor: true, clearOnComplete: false },
    Presets.shades_grey,
  );
  const rows: Record<string, SingleBar> = {};
  for (const label of ['sent', 'backlog', 'in flight', 'processed', 'dead letters']) {
    rows[label] = bars.create(total, 0, { label: label.padEnd(12) });
  }
  // Text, not a bar: the runtime's memory stays flat while the endpoint's grows with the backlog.
  const memoryRow = bars.create(0, 0, { text: '' }, { format: '{text}' });
  return {
    update: (s) => {
      rows.sent?.update(s.sent);
      rows.backlog?.update(s.backlog);
      rows['in flight']?.update(s.inFlight);
      rows.processed?.update(processed(s));
      rows['dead letters']?.update(s.deadLetters);
      if (s.memory) memoryRow.update(0, { text: `memory       ${memoryNow(s.memory)}` });
    },
    stop: () => bars.stop(),
  };
}

export function summaryText(job: string, summary: ReturnType<typeof floodSummary>): string {
  const drained = summary.drained
    ? `drained ${duration(summary.drainSeconds ?? 0)} after the last send`
    : 'NOT drained: messages are still in the queue';
  const others =
    summary.othersCountedOut > 0
      ? [
          `  ${summary.othersCountedOut} messages queued before the flood were counted out (SQS cannot tell them apart)`,
        ]
      : [];
  return [
    `flood ${job}: ${summary.requested} messages at ${summary.ratePerSecond}/s for ${summary.durationSeconds} s`,
    `  sent          ${summary.sent}${summary.sendFailed > 0 ? ` (${summary.sendFailed} failed to send)` : ''}`,
    `  processed     ${summary.processed}`,
    `  dead letters  ${summary.deadLetters}`,
    `  peak backlog  ${summary.peakBacklog}, peak in flight ${summary.peakInFlight}`,
    ...(summary.memory ? memoryLines(summary.memory) : []),
    `  ${drained}`,
    ...others,
  ].join('\n');
}

export function floodSummary(
  plan: { job: string; ratePerSecond: number; durationSeconds: number; requested: number },
  watched: FloodWatch,
  lastSendMs: number,
  errors: readonly string[],
  countedBy: FloodCounter['countedBy'],
) {
  const { last, peaks, drainedAtMs, memory } = watched;
  return {
    ...plan,
    countedBy,
    sent: last.sent,
    sendFailed: last.sendFailed,
    processed: processed(last),
    deadLetters: last.deadLetters,
    peakBacklog: peaks.backlog,
    peakInFlight: peaks.inFlight,
    drained: drainedAtMs !== undefined,
    drainSeconds: drainedAtMs === undefined ? null : Math.max(0, drainedAtMs - lastSendMs) / 1000,
    elapsedSeconds: last.elapsedMs / 1000,
    othersCountedOut: last.others,
    memory,
    errors,
  };
}
