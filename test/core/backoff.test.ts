import { describe, expect, it } from 'vitest';
import { backoffDelaySeconds } from '../../core/backoff.ts';

const none = { baseSeconds: 10, capSeconds: 900, jitter: 'none' } as const;

describe('backoffDelaySeconds', () => {
  it('doubles from the base with each attempt', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelaySeconds(attempt, none))).toEqual([
      10, 20, 40, 80, 160,
    ]);
  });

  it('never exceeds the cap, even for huge attempt numbers', () => {
    expect(backoffDelaySeconds(7, none)).toBe(640);
    expect(backoffDelaySeconds(8, none)).toBe(900);
    expect(backoffDelaySeconds(5000, none)).toBe(900);
  });

  it('draws full jitter uniformly between 0 and the exponential delay', () => {
    const full = { ...none, jitter: 'full' } as const;
    expect(backoffDelaySeconds(3, full, () => 0)).toBe(0);
    expect(backoffDelaySeconds(3, full, () => 0.5)).toBe(20);
    expect(backoffDelaySeconds(3, full, () => 0.999)).toBe(40);
  });

  it('keeps at least half the delay with equal jitter', () => {
    const equal = { ...none, jitter: 'equal' } as const;
    expect(backoffDelaySeconds(3, equal, () => 0)).toBe(20);
    expect(backoffDelaySeconds(3, equal, () => 0.999)).toBe(40);
  });

  it('treats attempt 0 or below like the first attempt', () => {
    expect(backoffDelaySeconds(0, none)).toBe(10);
    expect(backoffDelaySeconds(-3, none)).toBe(10);
  });

  it('stays within [0, cap] over many random draws', () => {
    const full = { baseSeconds: 2, capSeconds: 60, jitter: 'full' } as const;
    for (let attempt = 1; attempt <= 20; attempt++) {
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelaySeconds(attempt, full);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(60, 2 * 2 ** (attempt - 1)));
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });
});
