/**
 * Runs the stored schedules when Scheduler would: a recurring schedule at each time of its
 * expression in its zone, within its dates, started at a random point of its flexible window;
 * a one-time schedule once, then deleted (`ActionAfterCompletion: DELETE`) or kept as
 * completed (`NONE`). A one-time schedule that came due while the runtime was stopped runs at
 * start, as Scheduler would have run it; recurring times missed while stopped are not replayed.
 * Every time is the injected clock's.
 */
import { toError } from '../../core/errors.ts';
import { flexibleDelayMs, nextScheduleRun } from '../../core/schedule-runs.ts';
import { type Clock, setLongTimeout, systemClock } from '../clock.ts';
import type { ScheduleRecord } from './records.ts';
import type { ScheduleStore } from './store.ts';
import { timingOf } from './timing.ts';

/** One run of a schedule: what to send and the time it was scheduled for. */
export interface ScheduleRun {
  readonly record: ScheduleRecord;
  readonly scheduledTime: Date;
}

export interface ScheduleRunnerOptions {
  readonly store: ScheduleStore;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Where in its flexible window a run starts. @default Math.random */
  readonly random?: () => number;
  /** Sends a run to its target; resolves once the first attempt is made (retries follow). */
  readonly deliver: (run: ScheduleRun) => Promise<void>;
  /** @default - stderr */
  readonly onError?: (record: ScheduleRecord, error: Error) => void;
}

export interface ScheduleRunner {
  /** Arms a schedule after it was created or changed; undefined disarms it (deleted). */
  update(groupName: string, name: string, record: ScheduleRecord | undefined): void;
  /** The time of the schedule's next run, undefined when none is due (disabled, ended, done). */
  nextRun(groupName: string, name: string): Date | undefined;
  /** Clears every timer and waits for runs being handed to their targets. */
  stop(): Promise<void>;
}

/** The earliest instant a Date holds: a one-time schedule's time is always after it. */
const EARLIEST = new Date(-8_640_000_000_000_000);

interface Armed {
  readonly due: Date;
  readonly cancel: () => void;
}

export function startScheduleRunner(options: ScheduleRunnerOptions): ScheduleRunner {
  const { store, deliver } = options;
  const clock = options.clock ?? systemClock;
  const onError =
    options.onError ?? ((record, error) => console.error(`schedule ${record.Name}:`, error));
  const armed = new Map<string, Armed>();
  const running = new Set<Promise<void>>();
  let stopped = false;
  const key = (groupName: string, name: string) => `${groupName}/${name}`;

  function disarm(id: string): void {
    const current = armed.get(id);
    current?.cancel();
    armed.delete(id);
  }

  /** Arms the next run strictly after `after` (a one-time schedule: its time, even if past). */
  function arm(record: ScheduleRecord, after: Date): void {
    const id = key(record.GroupName, record.Name);
    disarm(id);
    if (stopped || record.State === 'DISABLED') return;
    const timing = timingOf(record);
    const due =
      timing.parsed.kind === 'at'
        ? nextScheduleRun(timing, EARLIEST)
        : nextScheduleRun(timing, after);
    if (!due) return;
    const window = record.FlexibleTimeWindow.MaximumWindowInMinutes;
    const startAt = due.getTime() + flexibleDelayMs(window, options.random);
    const cancel = setLongTimeout(clock, startAt, (nowMs) => wake(record, due, nowMs));
    armed.set(id, { due, cancel });
  }

  function wake(record: ScheduleRecord, due: Date, nowMs: number): void {
    if (stopped) return;
    armed.delete(key(record.GroupName, record.Name));
    const oneTime = timingOf(record).parsed.kind === 'at';
    if (!oneTime) arm(record, new Date(Math.max(due.getTime(), nowMs - 1)));
    run(record, due, oneTime);
  }

  function run(record: ScheduleRecord, scheduledTime: Date, oneTime: boolean): void {
    const work = (async () => {
      try {
        await deliver({ record, scheduledTime });
      } catch (error) {
        onError(record, toError(error));
      }
      if (!oneTime) return;
      // Completed: Scheduler deletes it, or keeps it (NONE) without running it again.
      if (record.ActionAfterCompletion === 'DELETE')
        store.deleteSchedule(record.GroupName, record.Name);
      else store.markCompleted(record.GroupName, record.Name, clock.now());
    })();
    running.add(work);
    work.finally(() => running.delete(work));
  }

  const now = new Date(clock.now());
  for (const { record, completedAtMs } of store.schedules()) {
    if (completedAtMs === undefined) arm(record, now);
  }

  return {
    update(groupName, name, record) {
      if (record) arm(record, new Date(clock.now()));
      else disarm(key(groupName, name));
    },
    nextRun(groupName, name) {
      const due = armed.get(key(groupName, name))?.due;
      return due && new Date(due);
    },
    async stop() {
      stopped = true;
      for (const id of [...armed.keys()]) disarm(id);
      while (running.size > 0) await Promise.all(running);
    },
  };
}
