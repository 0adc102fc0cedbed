import { describe, expect, it } from 'vitest';
import { parseJobSchedules } from '../../core/job-schedule.ts';

describe('parseJobSchedules', () => {
  it('keeps a plain string an EventBridge rule in UTC', () => {
    const { schedules, problems } = parseJobSchedules('rate(5 minutes)');
    expect(problems).toEqual([]);
    expect(schedules).toMatchObject([
      {
        service: 'rule',
        expression: 'rate(5 minutes)',
        timeZone: 'UTC',
        payload: {},
        overlap: 'allow',
      },
    ]);
  });

  it('makes a schedule with a time zone, window, dates or payload an EventBridge Scheduler schedule', () => {
    const { schedules, problems } = parseJobSchedules([
      { expression: 'cron(0 9 ? * MON-FRI *)', timeZone: 'Europe/Berlin' },
      { expression: 'rate(1 hour)', flexibleWindowMinutes: 15 },
      {
        expression: 'rate(1 day)',
        startDate: '2027-01-01T00:00:00Z',
        endDate: new Date('2027-12-31T00:00:00Z'),
      },
      { expression: 'rate(1 day)', payload: { kind: 'daily' } },
      { expression: 'cron(0 3 * * ? *)' },
      { expression: 'at(2027-01-04T09:00:00)', timeZone: 'Europe/Berlin' },
    ]);
    expect(problems).toEqual([]);
    expect(schedules.map((s) => s.service)).toEqual([
      'scheduler',
      'scheduler',
      'scheduler',
      'scheduler',
      'rule',
      'scheduler',
    ]);
    expect(schedules[2]?.startDate?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(schedules[3]?.payload).toEqual({ kind: 'daily' });
  });

  it('reports every problem at once, naming the schedule and the option', () => {
    expect(
      parseJobSchedules([
        { expression: 'cron(0 9 * * * *)', timeZone: 'Europe/Bärlin' },
        {
          expression: 'rate(1 hour)',
          flexibleWindowMinutes: 0,
          overlap: 'never' as 'wait',
          every: 2,
        } as never,
        { expression: 'rate(1 day)', startDate: '2027-02-01', endDate: '2027-01-01' },
        'at(2027-01-04T09:00:00)',
        { expression: 'at(2027-03-28T02:30:00)', timeZone: 'Europe/Berlin' },
      ]).problems,
    ).toEqual([
      'schedule[0].expression is "cron(0 9 * * * *)"; exactly one of day-of-month and day-of-week must be "?" (AWS cron cannot set both)',
      'schedule[0].timeZone is "Europe/Bärlin"; allowed: an IANA time zone such as "Europe/Berlin" or "UTC"',
      'unknown schedule[1] option "every"; known: expression, timeZone, flexibleWindowMinutes, startDate, endDate, payload, overlap',
      'schedule[1].flexibleWindowMinutes is 0; allowed: an integer from 1 to 1440',
      'schedule[1].overlap is "never"; allowed: "allow" or "wait"',
      'schedule[2].endDate is 2027-01-01T00:00:00.000Z; allowed: after startDate (2027-02-01T00:00:00.000Z)',
      'schedule[3] is "at(2027-01-04T09:00:00)"; allowed: a one-time at(...) only in the object form, { expression: \'at(...)\', timeZone }',
      'schedule[4].expression is "at(2027-03-28T02:30:00)"; that time does not exist in Europe/Berlin (clocks go forward over it)',
    ]);
  });

  it('refuses an empty list and a malformed at()', () => {
    expect(parseJobSchedules([]).problems).toEqual([
      'schedule is []; allowed: one schedule or a non-empty list',
    ]);
    expect(parseJobSchedules({ expression: 'at(2027-02-30T09:00:00)' }).problems).toEqual([
      'schedule.expression is "at(2027-02-30T09:00:00)"; allowed: at(yyyy-mm-ddThh:mm:ss), e.g. at(2027-01-04T09:00:00)',
    ]);
  });
});
