import { describe, expect, it } from 'vitest';
import { duration, utcTime } from '../../core/time-text.ts';

describe('utcTime', () => {
  it('shows an instant in 24-hour UTC with the zone named, whatever the machine zone', () => {
    expect(utcTime(new Date('2026-12-01T21:05:03.999Z'))).toBe('2026-12-01 21:05:03 UTC');
  });

  it("leaves the date out when it is now's date in UTC", () => {
    const at = new Date('2026-12-01T21:05:03Z');
    expect(utcTime(at, new Date('2026-12-01T00:00:00Z'))).toBe('21:05:03 UTC');
    expect(utcTime(at, new Date('2026-11-30T23:59:59Z'))).toBe('2026-12-01 21:05:03 UTC');
  });
});

describe('duration', () => {
  it.each([
    [42, '42 s'],
    [180, '3 min'],
    [7500, '2 h 5 min'],
    [97_200, '1 d 3 h'],
  ])('shows %s seconds as %s', (seconds, text) => {
    expect(duration(seconds)).toBe(text);
  });
});
