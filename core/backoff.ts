import type { JobSettings } from './settings.ts';

/**
 * Seconds to keep a failed message invisible before its next attempt:
 * exponential from the attempt number, capped, with jitter.
 *
 * @param attempt - the receive count of the attempt that failed (1 for the first)
 * @param random - a number in [0, 1); injectable so tests are deterministic
 * @example backoffDelaySeconds(3, { baseSeconds: 10, capSeconds: 900, jitter: 'none' }) // 40
 */
export function backoffDelaySeconds(
  attempt: number,
  backoff: JobSettings['backoff'],
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // 2 ** 1024 is Infinity; min() with the cap keeps the result finite.
  const ceiling = Math.min(backoff.capSeconds, backoff.baseSeconds * 2 ** exponent);
  switch (backoff.jitter) {
    case 'none':
      return Math.round(ceiling);
    case 'equal':
      return Math.round(ceiling / 2 + random() * (ceiling / 2));
    case 'full':
      return Math.round(random() * ceiling);
  }
}
