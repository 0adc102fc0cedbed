import { nextFireTime, RATE_EPOCH, type Schedule } from './schedule.ts';
import { nextCronTimeInZone } from './schedule-zone.ts';
import { instantsOf, type WallTime } from './time-zone.ts';

/** When an EventBridge Scheduler schedule may run: its expression, time zone and dates. */
export interface ScheduleTiming {
  readonly parsed: Schedule;
  readonly timeZone: string;
  readonly startDate: Date | undefined;
  readonly endDate: Date | undefined;
}

/**
 * The next run of an EventBridge Scheduler schedule strictly after `after`, as Scheduler
 * computes it: a cron in its time zone (a skipped wall-clock time does not run, a repeated
 * one runs once: `schedule-zone.ts`); a rate every period of elapsed time, counted from
 * `anchor`; a one-time `at()` at its wall-clock time in the zone (the first, if it repeats).
 * No recurring run before `startDate` or after `endDate`; Scheduler ignores both for `at()`.
 *
 * @example
 * nextScheduleRun({ parsed: cron9amWeekdays, timeZone: 'Europe/Berlin', startDate: undefined, endDate: undefined },
 *   new Date('2027-01-03T12:00:00Z')); // 2027-01-04T08:00:00Z
 */
export function nextScheduleRun(
  timing: ScheduleTiming,
  after: Date,
  anchor: Date = timing.startDate ?? RATE_EPOCH,
): Date | undefined {
  const { parsed, timeZone, startDate, endDate } = timing;
  if (parsed.kind === 'at') {
    const at = atInstant(parsed.at, timeZone);
    return at && at.getTime() > after.getTime() ? at : undefined;
  }
  // A recurring schedule's first run is at or after its start date.
  const from =
    startDate && startDate.getTime() > after.getTime() ? new Date(startDate.getTime() - 1) : after;
  const next =
    parsed.kind === 'rate'
      ? nextFireTime(parsed, from, anchor)
      : nextCronTimeInZone(parsed.cron, from, timeZone);
  if (!next || (endDate && next.getTime() > endDate.getTime())) return undefined;
  return next;
}

/** The instant a one-time schedule's wall-clock time names in its zone; undefined in a gap. */
export function atInstant(at: WallTime, timeZone: string): Date | undefined {
  return instantsOf(at, timeZone)[0];
}

/**
 * How long after its time a run with a flexible window starts: a random delay within the
 * window, as Scheduler spreads runs out; 0 without one.
 *
 * @param random - a number in [0, 1); injectable so tests are deterministic
 */
export function flexibleDelayMs(
  flexibleWindowMinutes: number | undefined,
  random: () => number = Math.random,
): number {
  if (!flexibleWindowMinutes) return 0;
  return Math.floor(random() * flexibleWindowMinutes * 60_000);
}

/**
 * A one-time expression for an instant, in UTC, rounded up to the whole second so the run
 * is never early.
 *
 * @example atExpression(new Date('2027-01-04T08:00:00.250Z')); // 'at(2027-01-04T08:00:01)'
 */
export function atExpression(instant: Date): string {
  const seconds = Math.ceil(instant.getTime() / 1000) * 1000;
  return `at(${new Date(seconds).toISOString().slice(0, 19)})`;
}
