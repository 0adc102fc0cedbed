import { nextScheduleRun, type ScheduleTiming } from '../core/schedule-runs.ts';
import { duration, utcTime } from '../core/time-text.ts';

/** When a job's schedule rule sends next, as far as can be known. */
export type NextRun =
  | { readonly kind: 'at'; readonly at: Date }
  /** A rate on AWS: its phase is set by the rule's creation, which no API returns. */
  | { readonly kind: 'every'; readonly rate: string }
  /** The rule is DISABLED: it sends nothing until enabled. */
  | { readonly kind: 'disabled' }
  /** A cron whose last time has passed. */
  | { readonly kind: 'never' };

type RuleState = 'ENABLED' | 'DISABLED';

/**
 * The next run of a schedule rule or Scheduler schedule in a given state (a rule's timing
 * is UTC without dates). A cron's next time is exact everywhere, in its time zone; a rate's
 * only where its phase is known: the local runtime counts whole periods from the start
 * date, else the Unix epoch (`RATE_EPOCH`), AWS from the rule's or schedule's creation.
 */
export function decideNextRun(
  timing: ScheduleTiming,
  state: RuleState,
  now: Date,
  ratePhaseKnown: boolean,
): NextRun {
  if (state === 'DISABLED') return { kind: 'disabled' };
  const { parsed } = timing;
  if (parsed.kind === 'rate' && !ratePhaseKnown) {
    return { kind: 'every', rate: parsed.expression.slice('rate('.length, -1) };
  }
  const at = nextScheduleRun(timing, now);
  return at ? { kind: 'at', at } : { kind: 'never' };
}

/** `14:05:00 UTC (in 4 min)`, `every 5 minutes`, `none: rule disabled`; `-` without a schedule. */
export function nextRunText(next: NextRun | undefined, now: Date = new Date()): string {
  if (!next) return '-';
  switch (next.kind) {
    case 'at': {
      const inSeconds = Math.max(0, (next.at.getTime() - now.getTime()) / 1000);
      return `${utcTime(next.at, now)} (in ${duration(inSeconds)})`;
    }
    case 'every':
      return `every ${next.rate}`;
    case 'disabled':
      return 'none: rule disabled';
    case 'never':
      return 'never';
  }
}
