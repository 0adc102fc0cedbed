export interface DurationPercentiles {
  /** How many handler runs the window holds. */
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/**
 * p50/p95/p99 of handler durations by the nearest-rank method: each figure is
 * a duration that was measured, never an interpolation. Undefined when empty.
 *
 * @example
 * durationPercentiles([12, 15, 40]); // { count: 3, p50: 15, p95: 40, p99: 40 }
 */
export function durationPercentiles(
  durationsMs: readonly number[],
): DurationPercentiles | undefined {
  if (durationsMs.length === 0) return undefined;
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { count: sorted.length, p50: rank(50), p95: rank(95), p99: rank(99) };
}

/** Handler durations of the last `windowMs`, bounded so that a flood cannot grow it without limit. */
export class DurationWindow {
  readonly #windowMs: number;
  readonly #max: number;
  readonly #entries: { at: number; ms: number }[] = [];

  constructor(windowMs: number, max = 10_000) {
    this.#windowMs = windowMs;
    this.#max = max;
  }

  add(at: number, ms: number): void {
    this.#entries.push({ at, ms });
    if (this.#entries.length > this.#max) this.#entries.shift();
  }

  percentiles(now: number): DurationPercentiles | undefined {
    const from = now - this.#windowMs;
    while (this.#entries.length > 0 && (this.#entries[0]?.at ?? now) < from) this.#entries.shift();
    return durationPercentiles(this.#entries.map((e) => e.ms));
  }
}
