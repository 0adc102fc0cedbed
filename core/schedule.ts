import awsCronParser from 'aws-cron-parser';
import { type WallTime, wallTimeMs } from './time-zone.ts';

/**
 * A validated schedule expression: `rate` and `cron` as EventBridge rules and
 * Scheduler take them (one-minute granularity), and Scheduler's one-time `at`
 * (a wall-clock time, read in the schedule's time zone).
 */
export type Schedule =
  | { readonly kind: 'rate'; readonly expression: string; readonly intervalSeconds: number }
  | { readonly kind: 'cron'; readonly expression: string; readonly cron: ParsedCron }
  | { readonly kind: 'at'; readonly expression: string; readonly at: WallTime };

type ParsedCron = ReturnType<typeof awsCronParser.parse>;

const AT_PATTERN = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const AT_HINT = 'at(yyyy-mm-ddThh:mm:ss), e.g. at(2027-01-04T09:00:00)';
const RATE_PATTERN = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86_400 };

/**
 * Field rules of AWS cron: minutes hours day-of-month month day-of-week year.
 * Day-of-week numbers run 1 (SUN) to 7 (SAT).
 */
const CRON_FIELDS = [
  { name: 'minutes', chars: /^[\d,\-*/]+$/ },
  { name: 'hours', chars: /^[\d,\-*/]+$/ },
  { name: 'day-of-month', chars: /^(\?|[\d,\-*/LW]+)$/ },
  { name: 'month', chars: /^[\dA-Z,\-*/]+$/ },
  { name: 'day-of-week', chars: /^(\?|[\dA-Z,\-*/L#]+)$/ },
  { name: 'year', chars: /^[\d,\-*/]+$/ },
] as const;

const CRON_HINT =
  'cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 12 * * ? *)';
const RATE_HINT =
  'rate(value unit) with a positive integer and minute(s), hour(s) or day(s), e.g. rate(5 minutes)';

/** Returns the parsed schedule, or the list of problems with the expression. */
export function parseSchedule(
  expression: string,
): { schedule: Schedule; problems?: undefined } | { schedule?: undefined; problems: string[] } {
  if (typeof expression !== 'string') return { problems: ['schedule must be a string'] };
  if (expression.startsWith('rate(')) return parseRate(expression);
  if (expression.startsWith('cron(')) return parseCron(expression);
  if (expression.startsWith('at(')) return parseAt(expression);
  return {
    problems: [
      `schedule is ${JSON.stringify(expression)}; allowed: ${RATE_HINT}, ${CRON_HINT}, or ${AT_HINT}`,
    ],
  };
}

function parseAt(expression: string) {
  const fields = AT_PATTERN.exec(expression)?.slice(1).map(Number);
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = fields ?? [];
  const at = { year, month, day, hour, minute, second };
  const check = new Date(wallTimeMs(at));
  const valid =
    fields !== undefined &&
    check.getUTCFullYear() === year &&
    check.getUTCMonth() + 1 === month &&
    check.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60;
  if (!valid)
    return { problems: [`schedule is ${JSON.stringify(expression)}; allowed: ${AT_HINT}`] };
  return { schedule: { kind: 'at' as const, expression, at } };
}

function parseRate(expression: string) {
  const match = RATE_PATTERN.exec(expression);
  const value = Number(match?.[1]);
  const unit = match?.[2] ?? '';
  const singular = unit.replace(/s$/, '');
  const problem = (why: string) => ({
    problems: [`schedule is ${JSON.stringify(expression)}; ${why}`],
  });
  if (!match) return problem(`allowed: ${RATE_HINT}`);
  if (value < 1) return problem('the rate value must be a positive integer');
  if (value === 1 && unit !== singular)
    return problem(`a value of 1 takes the singular unit "${singular}"`);
  if (value > 1 && unit === singular)
    return problem(`a value over 1 takes the plural unit "${singular}s"`);
  const intervalSeconds = value * (UNIT_SECONDS[singular] ?? 0);
  return { schedule: { kind: 'rate' as const, expression, intervalSeconds } };
}

function parseCron(expression: string) {
  const inner = /^cron\((.*)\)$/.exec(expression)?.[1];
  const fields = inner?.trim().split(/\s+/) ?? [];
  const problems: string[] = [];
  const say = (why: string) => problems.push(`schedule is ${JSON.stringify(expression)}; ${why}`);
  if (fields.length !== 6) {
    say(`a cron expression has 6 fields, got ${fields.length}; allowed: ${CRON_HINT}`);
    return { problems };
  }
  CRON_FIELDS.forEach((field, i) => {
    const value = (fields[i] ?? '').toUpperCase();
    if (!field.chars.test(value))
      say(`${field.name} field "${fields[i]}" has characters it does not allow`);
  });
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    say('exactly one of day-of-month and day-of-week must be "?" (AWS cron cannot set both)');
  }
  if (dayOfWeek?.includes('#') && !/^([1-7]|[A-Z]{3})#[1-5]$/i.test(dayOfWeek)) {
    say(
      `day-of-week field "${dayOfWeek}" must be one weekday and an occurrence from 1 to 5, e.g. 6#3`,
    );
  }
  if (problems.length > 0) return { problems };
  let cron: ParsedCron;
  try {
    cron = awsCronParser.parse(fields.join(' '));
  } catch (error) {
    say(`cron could not be parsed: ${(error as Error).message}`);
    return { problems };
  }
  if (!awsCronParser.next(cron, new Date())) say('it never fires again');
  if (problems.length > 0) return { problems };
  return { schedule: { kind: 'cron' as const, expression, cron } };
}

/**
 * Where a `rate` counts its periods from when no rule creation time is given: the Unix
 * epoch. The local scheduler uses it, so a rate's next fire time is a pure function of
 * the expression and the clock (`rate(5 minutes)` fires at :00, :05, ... UTC).
 */
export const RATE_EPOCH = new Date(0);

/**
 * When a schedule fires next, strictly after `after` (UTC).
 * A rate fires every interval counted from `anchor`: EventBridge counts from the rule's
 * creation, which no API returns; the local scheduler counts from `RATE_EPOCH`.
 *
 * @example
 * nextFireTime(rate5min, new Date('2026-03-02T10:02:10Z')); // 2026-03-02T10:05:00Z
 */
export function nextFireTime(
  schedule: Schedule,
  after: Date,
  anchor: Date = RATE_EPOCH,
): Date | undefined {
  if (schedule.kind === 'at') {
    const at = new Date(wallTimeMs(schedule.at));
    return at.getTime() > after.getTime() ? at : undefined;
  }
  if (schedule.kind === 'rate') {
    const periodMs = schedule.intervalSeconds * 1000;
    const elapsed = after.getTime() - anchor.getTime();
    const periods = Math.floor(elapsed / periodMs) + 1;
    return new Date(anchor.getTime() + Math.max(1, periods) * periodMs);
  }
  // aws-cron-parser returns `after` itself when it matches; EventBridge fires on whole minutes.
  const from = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
  return awsCronParser.next(schedule.cron, new Date(from.getTime() - 1)) ?? undefined;
}

/** A fixed instant to measure cron periods from, so the same expression always plans the same way. */
const PERIOD_REFERENCE = new Date('2025-01-01T00:00:00Z');

/**
 * The shortest time between two runs of a schedule, in seconds (a rate's
 * interval; for a cron, the smallest gap among its next runs after a fixed
 * date). A rule's target keeps retrying an event at most this long, so a
 * recovered target never receives a backlog of stale runs.
 */
export function schedulePeriodSeconds(schedule: Schedule): number | undefined {
  if (schedule.kind === 'rate') return schedule.intervalSeconds;
  if (schedule.kind === 'at') return undefined;
  let previous = nextFireTime(schedule, PERIOD_REFERENCE);
  let shortest: number | undefined;
  for (let i = 0; i < 24 && previous; i++) {
    const next = nextFireTime(schedule, previous);
    if (!next) break;
    const gap = (next.getTime() - previous.getTime()) / 1000;
    shortest = shortest === undefined ? gap : Math.min(shortest, gap);
    previous = next;
  }
  return shortest;
}
