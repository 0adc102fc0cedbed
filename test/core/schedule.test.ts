import { describe, expect, it } from 'vitest';
import { nextFireTime, parseSchedule, type Schedule } from '../../core/schedule.ts';

function schedule(expression: string): Schedule {
  const parsed = parseSchedule(expression);
  if (!parsed.schedule) throw new Error(parsed.problems.join('; '));
  return parsed.schedule;
}

/** The next `count` fire times after `from`, as ISO strings. */
function fires(expression: string, from: string, count = 3): string[] {
  const times: string[] = [];
  let after = new Date(from);
  for (let i = 0; i < count; i++) {
    const next = nextFireTime(schedule(expression), after, new Date(from));
    if (!next) break;
    times.push(next.toISOString());
    after = next;
  }
  return times;
}

// 2026-11-27T07:58Z is a Friday.
const FRIDAY = '2026-11-27T07:58:00.000Z';

describe('parseSchedule: rate', () => {
  it.each([
    ['rate(1 minute)', 60],
    ['rate(5 minutes)', 300],
    ['rate(1 hour)', 3600],
    ['rate(12 hours)', 43_200],
    ['rate(1 day)', 86_400],
    ['rate(7 days)', 604_800],
  ])('accepts %s as an interval of %i s', (expression, seconds) => {
    expect(schedule(expression)).toEqual({ kind: 'rate', expression, intervalSeconds: seconds });
  });

  it.each([
    ['rate(1 minutes)', 'a value of 1 takes the singular unit "minute"'],
    ['rate(2 hour)', 'a value over 1 takes the plural unit "hours"'],
    ['rate(0 minutes)', 'the rate value must be a positive integer'],
    ['rate(1.5 hours)', 'allowed: rate(value unit)'],
    ['rate(5 seconds)', 'allowed: rate(value unit)'],
    ['rate(5minutes)', 'allowed: rate(value unit)'],
  ])('rejects %s: %s', (expression, why) => {
    expect(parseSchedule(expression).problems?.[0]).toContain(why);
  });
});

describe('parseSchedule: cron (AWS rules)', () => {
  it.each([
    ['cron(0 10 * * ? *)'],
    ['cron(15 12 * * ? *)'],
    ['cron(0 18 ? * MON-FRI *)'],
    ['cron(0 8 1 * ? *)'],
    ['cron(0/15 * * * ? *)'],
    ['cron(0/5 8-17 ? * MON-FRI *)'],
    ['cron(0 9 ? * 2#1 *)'],
    ['cron(0 12 L * ? *)'],
    ['cron(0 9 15W * ? *)'],
    ['cron(0 9 ? * 6L *)'],
  ])('accepts %s', (expression) => {
    expect(parseSchedule(expression).problems).toBeUndefined();
  });

  it.each([
    ['cron(0 10 * * *)', 'a cron expression has 6 fields, got 5'],
    ['cron(0 0 10 * * * *)', 'a cron expression has 6 fields, got 7'],
    ['cron(0 10 * * * *)', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(0 10 ? * ? *)', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(0 10 1 * MON *)', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(60 10 * * ? *)', 'not between 0 and 59'],
    ['cron(0 24 * * ? *)', 'not between 0 and 23'],
    ['cron(0 10 32 * ? *)', 'not between 1 and 31'],
    ['cron(0 10 ? * 8 *)', 'not between 1 and 7'],
    ['cron(0 10 ? * 1#6 *)', 'an occurrence from 1 to 5'],
    ['cron(0 10 ? * 2-3#2 *)', 'must be one weekday'],
    ['cron(0 10 L? * ? *)', 'day-of-month field "L?" has characters it does not allow'],
    ['cron(0 0 1 1 ? 2020)', 'it never fires again'],
    ['*/5 * * * *', 'allowed: rate(value unit)'],
  ])('rejects %s: %s', (expression, why) => {
    const problems = parseSchedule(expression).problems ?? [];
    expect(problems.join('; ')).toContain(why);
    expect(problems[0]).toContain(`schedule is ${JSON.stringify(expression)}`);
  });
});

describe('nextFireTime', () => {
  it('fires a rate every interval counted from the anchor', () => {
    expect(fires('rate(5 minutes)', FRIDAY)).toEqual([
      '2026-11-27T08:03:00.000Z',
      '2026-11-27T08:08:00.000Z',
      '2026-11-27T08:13:00.000Z',
    ]);
  });

  it('counts a rate in whole periods since the Unix epoch when no anchor is given', () => {
    const rate = schedule('rate(5 minutes)');
    const a = nextFireTime(rate, new Date('2026-11-27T08:01:10Z'));
    const b = nextFireTime(rate, new Date('2026-11-27T08:04:59.999Z'));
    expect(a?.toISOString()).toBe('2026-11-27T08:05:00.000Z');
    expect(b).toEqual(a);
    expect(nextFireTime(rate, new Date('2026-11-27T08:05:00Z'))?.toISOString()).toBe(
      '2026-11-27T08:10:00.000Z',
    );
    // 1970-01-01 was a Thursday: seven days count from Thursday midnight UTC.
    expect(nextFireTime(schedule('rate(7 days)'), new Date(FRIDAY))?.toISOString()).toBe(
      '2026-12-03T00:00:00.000Z',
    );
  });

  it('skips rate ticks that fell while stopped instead of replaying them', () => {
    const anchor = new Date('2026-11-27T08:00:00Z');
    const later = new Date('2026-11-27T08:17:30Z');
    expect(nextFireTime(schedule('rate(5 minutes)'), later, anchor)?.toISOString()).toBe(
      '2026-11-27T08:20:00.000Z',
    );
  });

  it('reads day-of-week 1 as Sunday and 2 as Monday, as AWS does', () => {
    expect(fires('cron(0 8 ? * 2 *)', FRIDAY, 2)).toEqual([
      '2026-11-30T08:00:00.000Z',
      '2026-12-07T08:00:00.000Z',
    ]);
    expect(fires('cron(0 8 ? * 1 *)', FRIDAY, 1)).toEqual(['2026-11-29T08:00:00.000Z']);
  });

  it('fires on the nth weekday of the month with #', () => {
    expect(fires('cron(0 10 ? * 6#3 *)', FRIDAY)).toEqual([
      '2026-12-18T10:00:00.000Z',
      '2027-01-15T10:00:00.000Z',
      '2027-02-19T10:00:00.000Z',
    ]);
  });

  it('fires on the last day of the month with L', () => {
    expect(fires('cron(0 12 L * ? *)', FRIDAY)).toEqual([
      '2026-11-30T12:00:00.000Z',
      '2026-12-31T12:00:00.000Z',
      '2027-01-31T12:00:00.000Z',
    ]);
  });

  it('fires on the nearest weekday with W', () => {
    // 2027-05-15 is a Saturday: the nearest weekday is Friday the 14th.
    expect(fires('cron(0 9 15W * ? *)', '2027-04-20T00:00:00Z', 2)).toEqual([
      '2027-05-14T09:00:00.000Z',
      '2027-06-15T09:00:00.000Z',
    ]);
  });

  it('steps through working hours on weekdays', () => {
    expect(fires('cron(0/5 8-17 ? * MON-FRI *)', FRIDAY)).toEqual([
      '2026-11-27T08:00:00.000Z',
      '2026-11-27T08:05:00.000Z',
      '2026-11-27T08:10:00.000Z',
    ]);
  });

  it('fires strictly after the given time, on whole minutes', () => {
    expect(fires('cron(* * * * ? *)', '2026-11-27T08:00:00.000Z', 2)).toEqual([
      '2026-11-27T08:01:00.000Z',
      '2026-11-27T08:02:00.000Z',
    ]);
    expect(fires('cron(* * * * ? *)', '2026-11-27T08:00:30.000Z', 1)).toEqual([
      '2026-11-27T08:01:00.000Z',
    ]);
  });

  it('stops after the year field ends', () => {
    expect(fires('cron(30 6 1 1 ? 2028)', FRIDAY)).toEqual(['2028-01-01T06:30:00.000Z']);
  });
});
