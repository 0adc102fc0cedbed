import { describe, expect, it } from 'vitest';
import { arns } from '../../core/arns.ts';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import { parseSchedule, type Schedule } from '../../core/schedule.ts';
import {
  atExpression,
  flexibleDelayMs,
  nextScheduleRun,
  type ScheduleTiming,
} from '../../core/schedule-runs.ts';
import { zonedTime } from '../../core/time-text.ts';

function timing(expression: string, extra: Partial<ScheduleTiming> = {}): ScheduleTiming {
  const parsed = parseSchedule(expression).schedule as Schedule;
  return { parsed, timeZone: 'UTC', startDate: undefined, endDate: undefined, ...extra };
}

function runs(t: ScheduleTiming, from: string, count: number): string[] {
  const out: string[] = [];
  let after = new Date(from);
  for (let i = 0; i < count; i++) {
    const next = nextScheduleRun(t, after);
    if (!next) break;
    out.push(next.toISOString());
    after = next;
  }
  return out;
}

describe('nextScheduleRun', () => {
  it('runs a cron in its time zone: 09:00 Europe/Berlin is 08:00 UTC in winter, 07:00 UTC in summer', () => {
    const berlin = timing('cron(0 9 ? * MON-FRI *)', { timeZone: 'Europe/Berlin' });
    expect(runs(berlin, '2027-03-26T12:00:00Z', 2)).toEqual([
      '2027-03-29T07:00:00.000Z',
      '2027-03-30T07:00:00.000Z',
    ]);
    expect(runs(berlin, '2027-01-03T12:00:00Z', 1)).toEqual(['2027-01-04T08:00:00.000Z']);
  });

  it('counts a rate in elapsed time, across a clock change, from its start date', () => {
    const hourly = timing('rate(6 hours)', {
      timeZone: 'Europe/Berlin',
      startDate: new Date('2027-03-27T22:00:00Z'),
    });
    // 28 March 2027: Berlin skips an hour; a rate does not notice.
    expect(runs(hourly, '2027-03-27T12:00:00Z', 3)).toEqual([
      '2027-03-28T04:00:00.000Z',
      '2027-03-28T10:00:00.000Z',
      '2027-03-28T16:00:00.000Z',
    ]);
  });

  it('runs nothing before the start date nor after the end date', () => {
    const t = timing('cron(0 12 * * ? *)', {
      startDate: new Date('2027-05-10T00:00:00Z'),
      endDate: new Date('2027-05-11T12:00:00Z'),
    });
    expect(runs(t, '2027-05-01T00:00:00Z', 5)).toEqual([
      '2027-05-10T12:00:00.000Z',
      '2027-05-11T12:00:00.000Z',
    ]);
  });

  it('runs a one-time at() once, at its wall-clock time in the zone, whatever the dates say', () => {
    const at = timing('at(2027-01-04T09:00:00)', {
      timeZone: 'Europe/Berlin',
      endDate: new Date('2026-01-01T00:00:00Z'),
    });
    expect(runs(at, '2026-12-01T00:00:00Z', 3)).toEqual(['2027-01-04T08:00:00.000Z']);
    expect(nextScheduleRun(at, new Date('2027-01-04T08:00:00Z'))).toBeUndefined();
  });
});

describe('flexibleDelayMs', () => {
  it('is 0 without a window, and within the window otherwise', () => {
    expect(flexibleDelayMs(undefined, () => 0.99)).toBe(0);
    expect(flexibleDelayMs(15, () => 0)).toBe(0);
    expect(flexibleDelayMs(15, () => 0.5)).toBe(450_000);
    expect(flexibleDelayMs(15, () => 0.999_999)).toBeLessThan(900_000);
  });
});

describe('atExpression', () => {
  it('writes the instant in UTC, rounded up to the second so the run is never early', () => {
    expect(atExpression(new Date('2027-01-04T08:00:00Z'))).toBe('at(2027-01-04T08:00:00)');
    expect(atExpression(new Date('2027-01-04T08:00:00.250Z'))).toBe('at(2027-01-04T08:00:01)');
  });
});

describe('zonedTime and Scheduler ARNs', () => {
  it('shows an instant on the wall clock of its zone', () => {
    expect(zonedTime(new Date('2027-01-04T08:00:00Z'), 'Europe/Berlin')).toBe(
      '2027-01-04 09:00:00 Europe/Berlin',
    );
    expect(zonedTime(new Date('2027-07-05T07:00:00Z'), 'Europe/Berlin')).toBe(
      '2027-07-05 09:00:00 Europe/Berlin',
    );
  });

  it('builds schedule, group and role ARNs as AWS does', () => {
    expect(arns.schedule(LOCAL_ENVIRONMENT, 'bgjobs--schedules', 'digest--schedule')).toBe(
      'arn:aws:scheduler:us-east-1:000000000000:schedule/bgjobs--schedules/digest--schedule',
    );
    expect(arns.scheduleGroup(LOCAL_ENVIRONMENT, 'bgjobs--schedules')).toBe(
      'arn:aws:scheduler:us-east-1:000000000000:schedule-group/bgjobs--schedules',
    );
    expect(arns.role({ partition: 'aws-cn', account: '123456789012' }, 'bgjobs--scheduler')).toBe(
      'arn:aws-cn:iam::123456789012:role/bgjobs--scheduler',
    );
  });
});
