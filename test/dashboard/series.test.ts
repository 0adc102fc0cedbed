import { describe, expect, it } from 'vitest';
import { type Sample, SampleRing } from '../../local/dashboard/series.ts';

const sample = (at: number, visible: number): Sample => ({
  at,
  visible,
  inFlight: 0,
  delayed: 0,
  deadLetters: 0,
  processed: 0,
  failed: 0,
  batchFailed: 0,
});

describe('SampleRing', () => {
  it('keeps the newest samples up to its capacity, as columns oldest first', () => {
    const ring = new SampleRing(3);
    for (let at = 1; at <= 5; at += 1) ring.push(sample(at * 1000, at * 10));
    const columns = ring.columns();
    expect(columns.at).toEqual([3000, 4000, 5000]);
    expect(columns.visible).toEqual([30, 40, 50]);
    expect(ring.latest()?.visible).toBe(50);
  });

  it('is empty before the first sample', () => {
    const ring = new SampleRing(3);
    expect(ring.latest()).toBeUndefined();
    expect(ring.columns().at).toEqual([]);
  });
});
