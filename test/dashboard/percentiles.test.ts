import { describe, expect, it } from 'vitest';
import { DurationWindow, durationPercentiles } from '../../local/dashboard/percentiles.ts';

describe('durationPercentiles', () => {
  it('gives measured durations by nearest rank, never interpolations', () => {
    const durations = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(durationPercentiles(durations)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99 });
    expect(durationPercentiles([12, 40, 15])).toEqual({ count: 3, p50: 15, p95: 40, p99: 40 });
  });

  it('has nothing to say about an empty window', () => {
    expect(durationPercentiles([])).toBeUndefined();
  });
});

describe('DurationWindow', () => {
  it('forgets durations older than the window', () => {
    const window = new DurationWindow(60_000);
    window.add(0, 500);
    window.add(50_000, 10);
    expect(window.percentiles(59_000)?.count).toBe(2);
    expect(window.percentiles(61_000)).toEqual({ count: 1, p50: 10, p95: 10, p99: 10 });
  });

  it('keeps at most its bound, dropping the oldest', () => {
    const window = new DurationWindow(60_000, 3);
    for (const ms of [900, 1, 2, 3]) window.add(0, ms);
    expect(window.percentiles(0)).toEqual({ count: 3, p50: 2, p95: 3, p99: 3 });
  });
});
