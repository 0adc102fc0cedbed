/** Summary statistics of a list of numbers: the "some work" the example jobs do. */
export interface Summary {
  readonly count: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly p50: number;
  readonly p99: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { count: 0, mean: 0, min: 0, max: 0, p50: 0, p99: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, v) => total + v, 0);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    count: sorted.length,
    mean: sum / sorted.length,
    min: sorted[0] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
    p50: at(0.5),
    p99: at(0.99),
  };
}

/** The talk's `Enum.map(1..100_000, &:rand.uniform/1)`: n random numbers in [0, 1). */
export function randomSamples(n: number, random: () => number = Math.random): number[] {
  return Array.from({ length: n }, () => random());
}
