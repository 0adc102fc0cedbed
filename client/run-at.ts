/**
 * When an enqueued message should run: now, after SQS's per-message delay (up to 900 s,
 * standard queues), or later through a one-time EventBridge Scheduler schedule. Pure: the
 * clock is given. Every problem is an `InvalidEnqueueOptionsError` that names the option.
 */
import ms from 'ms';
import { InvalidEnqueueOptionsError } from '../core/errors.ts';
import type { JobDefinition } from '../core/job.ts';
import { SQS_MAX_DELAY_SECONDS } from '../core/limits.ts';

export interface RunAtOptions {
  /** Run at this instant: up to 15 minutes ahead it is SQS's delay, later a one-time schedule. */
  readonly runAt?: Date;
  /** Run after this long: seconds, or a duration such as `'90s'`, `'15m'`, `'3d'`. */
  readonly delay?: number | string;
  /** SQS's own per-message delay, 0 to 900 s (standard queues). */
  readonly delaySeconds?: number;
}

export type WhenToRun =
  | { readonly kind: 'now' }
  /** SQS holds the message this long (a standard queue, at most 900 s). */
  | { readonly kind: 'delay'; readonly delaySeconds: number }
  /** A one-time schedule sends it at this instant. */
  | { readonly kind: 'schedule'; readonly at: Date };

/**
 * @example
 * whenToRun(job, { delay: '3d' }, new Date('2027-01-01T00:00:00Z'));
 * // { kind: 'schedule', at: 2027-01-04T00:00:00Z }
 */
export function whenToRun(job: JobDefinition, options: RunAtOptions, now: Date): WhenToRun {
  const { runAt, delay, delaySeconds } = options;
  const given = [runAt, delay, delaySeconds].filter((o) => o !== undefined).length;
  const fail = (why: string): never => {
    throw new InvalidEnqueueOptionsError(`job "${job.name}": ${why}`);
  };
  if (given > 1) fail('give one of runAt, delay and delaySeconds, not several');
  if (delaySeconds !== undefined)
    return delaySeconds > 0 ? { kind: 'delay', delaySeconds } : { kind: 'now' };
  let waitMs: number;
  if (runAt !== undefined) {
    if (!(runAt instanceof Date) || Number.isNaN(runAt.getTime())) {
      fail(`runAt is ${JSON.stringify(runAt)}; allowed: a valid Date`);
    }
    waitMs = runAt.getTime() - now.getTime();
    if (waitMs <= 0) {
      fail(
        `runAt is ${runAt.toISOString()}, in the past (now ${now.toISOString()}); allowed: a later instant`,
      );
    }
  } else if (delay !== undefined) {
    waitMs = delayMs(delay, fail);
  } else {
    return { kind: 'now' };
  }
  if (waitMs === 0) return { kind: 'now' };
  const seconds = Math.ceil(waitMs / 1000);
  // A FIFO queue has no per-message delay: every later run is a one-time schedule.
  if (!job.settings.fifo && seconds <= SQS_MAX_DELAY_SECONDS)
    return { kind: 'delay', delaySeconds: seconds };
  return { kind: 'schedule', at: new Date(now.getTime() + waitMs) };
}

/** Seconds as a number, or a duration with its unit (`ms` package: 90s, 15m, 3d, 2 hours). */
function delayMs(delay: number | string, fail: (why: string) => never): number {
  const allowed =
    'allowed: seconds as a number (90), or a duration with a unit ("90s", "15m", "3d", "2 hours")';
  if (typeof delay === 'number') {
    if (!Number.isFinite(delay) || delay < 0) fail(`delay is ${delay}; ${allowed}`);
    return delay * 1000;
  }
  // ms() reads a bare number as milliseconds; a delay string must say its unit.
  const parsed =
    typeof delay === 'string' && /[a-z]/i.test(delay) ? ms(delay as ms.StringValue) : undefined;
  if (parsed === undefined || !Number.isFinite(parsed) || parsed < 0) {
    fail(`delay is ${JSON.stringify(delay)}; ${allowed}`);
  }
  return parsed as number;
}
