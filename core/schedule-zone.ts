import awsCronParser from 'aws-cron-parser';
import { instantsOf, type WallTime, wallTimeAt, wallTimeMs } from './time-zone.ts';

type ParsedCron = ReturnType<typeof awsCronParser.parse>;

/** Enough wall-clock matches to step over any run of skipped (nonexistent or past) times. */
const MAX_STEPS = 1000;

/**
 * The next run of a cron expression in a time zone, strictly after `after`,
 * with EventBridge Scheduler's daylight-saving rules: a wall-clock time that
 * does not exist (clocks went forward past it) is skipped; a time that occurs
 * twice (clocks went back over it) runs once, at its first occurrence.
 *
 * aws-cron-parser computes in UTC, so wall-clock times are handed to it as if
 * they were UTC and mapped back to instants in the zone.
 */
export function nextCronTimeInZone(
  cron: ParsedCron,
  after: Date,
  timeZone: string,
): Date | undefined {
  let wall = wallTimeMs(wallTimeAt(after, timeZone));
  for (let step = 0; step < MAX_STEPS; step++) {
    // Cron runs on whole minutes, strictly after the current wall-clock minute.
    const from = Math.floor(wall / 60_000) * 60_000 + 60_000;
    const next = awsCronParser.next(cron, new Date(from - 1));
    if (!next) return undefined;
    wall = next.getTime();
    const [first] = instantsOf(fieldsOf(next), timeZone);
    // No instant: a time skipped when clocks went forward. One at or before `after`:
    // the first occurrence of a repeated time, which has run already.
    if (first && first.getTime() > after.getTime()) return first;
  }
  return undefined;
}

function fieldsOf(utc: Date): WallTime {
  return {
    year: utc.getUTCFullYear(),
    month: utc.getUTCMonth() + 1,
    day: utc.getUTCDate(),
    hour: utc.getUTCHours(),
    minute: utc.getUTCMinutes(),
    second: utc.getUTCSeconds(),
  };
}
