import awsCronParser from 'aws-cron-parser';
import { describe, expect, it } from 'vitest';
import { nextCronTimeInZone } from '../../core/schedule-zone.ts';
import { instantsOf, isTimeZone } from '../../core/time-zone.ts';

const cron = (expression: string) => awsCronParser.parse(expression);

/** The next `count` runs after `from`, as ISO strings. */
function runs(expression: string, timeZone: string, from: string, count: number): string[] {
  const parsed = cron(expression);
  const out: string[] = [];
  let after = new Date(from);
  for (let i = 0; i < count; i++) {
    const next = nextCronTimeInZone(parsed, after, timeZone);
    if (!next) break;
    out.push(next.toISOString());
    after = next;
  }
  return out;
}

describe('nextCronTimeInZone', () => {
  it('runs 09:00 Europe/Berlin at 08:00 UTC in winter and 07:00 UTC in summer', () => {
    expect(runs('0 9 ? * MON-FRI *', 'Europe/Berlin', '2027-03-24T12:00:00Z', 4)).toEqual([
      '2027-03-25T08:00:00.000Z', // Thursday, CET
      '2027-03-26T08:00:00.000Z', // Friday, CET; clocks go forward on Sunday 28 March
      '2027-03-29T07:00:00.000Z', // Monday, CEST
      '2027-03-30T07:00:00.000Z',
    ]);
    expect(runs('0 9 ? * MON-FRI *', 'Europe/Berlin', '2027-10-28T12:00:00Z', 2)).toEqual([
      '2027-10-29T07:00:00.000Z', // Friday, CEST; clocks go back on Sunday 31 October
      '2027-11-01T08:00:00.000Z', // Monday, CET
    ]);
  });

  it('skips a time that does not exist when clocks go forward (Europe/Berlin, 02:30)', () => {
    expect(runs('30 2 * * ? *', 'Europe/Berlin', '2027-03-26T12:00:00Z', 3)).toEqual([
      '2027-03-27T01:30:00.000Z', // 02:30 CET
      // 28 March: 02:00 CET jumps to 03:00 CEST, there is no 02:30
      '2027-03-29T00:30:00.000Z', // 02:30 CEST
      '2027-03-30T00:30:00.000Z',
    ]);
  });

  it('runs a time that repeats when clocks go back once, at its first occurrence (Europe/Berlin)', () => {
    expect(
      instantsOf(
        { year: 2027, month: 10, day: 31, hour: 2, minute: 30, second: 0 },
        'Europe/Berlin',
      ),
    ).toHaveLength(2);
    expect(runs('30 2 * * ? *', 'Europe/Berlin', '2027-10-30T12:00:00Z', 2)).toEqual([
      '2027-10-31T00:30:00.000Z', // 02:30 CEST, the first of the two 02:30s
      '2027-11-01T01:30:00.000Z', // 02:30 CET the next day
    ]);
    // Asked from inside the repeated hour, after the first 02:30 ran: the second is not a run.
    expect(runs('30 2 * * ? *', 'Europe/Berlin', '2027-10-31T01:10:00Z', 1)).toEqual([
      '2027-11-01T01:30:00.000Z',
    ]);
  });

  it('runs hourly through both transitions of America/New_York without a double or a phantom run', () => {
    expect(runs('0 * * * ? *', 'America/New_York', '2027-03-14T05:30:00Z', 3)).toEqual([
      '2027-03-14T06:00:00.000Z', // 01:00 EST
      // 02:00 does not exist that night
      '2027-03-14T07:00:00.000Z', // 03:00 EDT
      '2027-03-14T08:00:00.000Z',
    ]);
    expect(runs('0 * * * ? *', 'America/New_York', '2027-11-07T04:30:00Z', 3)).toEqual([
      '2027-11-07T05:00:00.000Z', // 01:00 EDT
      // 01:00 EST (06:00Z) repeats 01:00: it runs once
      '2027-11-07T07:00:00.000Z', // 02:00 EST
      '2027-11-07T08:00:00.000Z',
    ]);
  });

  it("follows Australia/Lord_Howe's 30-minute shift both ways", () => {
    // 3 October 2027: 02:00 +10:30 becomes 02:30 +11, so 02:15 does not exist.
    expect(runs('15 2 * * ? *', 'Australia/Lord_Howe', '2027-10-01T12:00:00Z', 3)).toEqual([
      '2027-10-01T15:45:00.000Z', // 2 October 02:15 +10:30
      '2027-10-03T15:15:00.000Z', // 4 October 02:15 +11
      '2027-10-04T15:15:00.000Z',
    ]);
    // 4 April 2027: 02:00 +11 becomes 01:30 +10:30, so 01:45 happens twice and runs once.
    expect(runs('45 1 * * ? *', 'Australia/Lord_Howe', '2027-04-02T12:00:00Z', 3)).toEqual([
      '2027-04-02T14:45:00.000Z', // 3 April 01:45 +11
      '2027-04-03T14:45:00.000Z', // 4 April 01:45 +11, the first of two
      '2027-04-04T15:15:00.000Z', // 5 April 01:45 +10:30
    ]);
  });

  it('is plain UTC cron in UTC', () => {
    expect(runs('0 12 L * ? *', 'UTC', '2027-01-15T00:00:00Z', 2)).toEqual([
      '2027-01-31T12:00:00.000Z',
      '2027-02-28T12:00:00.000Z',
    ]);
  });
});

describe('isTimeZone', () => {
  it('knows IANA names and refuses the rest', () => {
    expect(
      ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'UTC'].every(isTimeZone),
    ).toBe(true);
    expect(['Europe/Bärlin', 'CEST+2', '', 42].some(isTimeZone)).toBe(false);
  });
});
