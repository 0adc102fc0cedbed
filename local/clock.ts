import { BgjobsError } from '../core/errors.ts';

/** Time and timers as the local scheduler sees them; times are epoch milliseconds. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The longest delay `setTimeout` honours; longer ones fire after 1 ms, so callers chain timers. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * Calls `fn` once the clock reaches `atMs`, however far off: through a chain of capped
 * timers, re-armed too when a rounding clock fires one early. `fn` gets the clock's now.
 * Returns what cancels it.
 *
 * @example
 * const cancel = setLongTimeout(clock, due.getTime(), (nowMs) => fire(nowMs));
 */
export function setLongTimeout(
  clock: Clock,
  atMs: number,
  fn: (nowMs: number) => void,
): () => void {
  let handle: unknown;
  const wait = () => {
    const delayMs = Math.min(Math.max(0, atMs - clock.now()), MAX_TIMER_DELAY_MS);
    handle = clock.setTimeout(() => {
      const nowMs = clock.now();
      if (nowMs < atMs) wait();
      else fn(nowMs);
    }, delayMs);
  };
  wait();
  return () => clock.clearTimeout(handle);
}

/** Wall-clock time and Node's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * A clock where `scale` virtual ms pass per real ms, starting at real now (or `start`).
 * With scale 60, rate(1 minute) fires every real second.
 *
 * @example
 * const scheduler = startScheduler({ rules, deliver, clock: scaledClock(60) });
 */
export function scaledClock(scale: number, start: number = Date.now()): Clock {
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new BgjobsError(`scale is ${scale}; allowed: a finite number above 0`);
  }
  // performance.now() is monotonic, so virtual time never runs backwards if the wall clock is set.
  const realOrigin = performance.now();
  return {
    now: () => start + (performance.now() - realOrigin) * scale,
    // Rounded up so a timer is not early by a fraction of a real ms (many virtual ms).
    setTimeout: (fn, ms) => setTimeout(fn, Math.min(Math.ceil(ms / scale), MAX_TIMER_DELAY_MS)),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
}
