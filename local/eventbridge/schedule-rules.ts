import { randomUUID } from 'node:crypto';
import { toError } from '../../core/errors.ts';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import { type EventBridgeEvent, scheduledEvent } from '../../core/messages.ts';
import { nextFireTime, type Schedule } from '../../core/schedule.ts';
import { type Clock, setLongTimeout, systemClock } from '../clock.ts';
import type { LocalRule, RuleRegistry } from './rules.ts';

export interface SchedulerOptions {
  /** The rules to run; only those with a schedule expression are scheduled. */
  readonly rules: RuleRegistry;
  /**
   * The rule's target: delivers the event, retrying and dead-lettering it as EventBridge does
   * (`rule-targets.ts`). A rejection, which the rule targets never give, goes to `onError`.
   */
  readonly deliver: (rule: LocalRule, event: EventBridgeEvent) => Promise<void>;
  /** @default - `systemClock`: wall-clock time. Every time computed and stamped into events is this clock's. */
  readonly clock?: Clock;
  /** Called with each event a rule sends, after its delivery started. */
  readonly onFire?: (rule: LocalRule, event: EventBridgeEvent) => void;
  /** @default - writes the failure to stderr */
  readonly onError?: (rule: LocalRule, error: Error) => void;
}

export interface Scheduler {
  /** Clears every timer; no delivery starts after it. */
  stop(): void;
  /**
   * Next fire time of a rule, or undefined (not a schedule rule, no time left, or stopped).
   * Whether the rule fires then depends on its state at that moment.
   */
  nextFireTime(ruleName: string): Date | undefined;
}

/**
 * Fires schedule rules when EventBridge would (UTC), each sending the body its SQS
 * target would deliver. As on AWS, ticks missed while stopped or stalled are not
 * replayed: a late timer fires once and the rule continues from the next time after now.
 *
 * @example
 * const scheduler = startScheduler({ rules, deliver: targets.deliver });
 * process.on('SIGINT', () => scheduler.stop());
 */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const { rules, deliver } = options;
  const clock = options.clock ?? systemClock;
  const onError = options.onError ?? reportToStderr;
  // EventBridge counts a rate from the rule's creation; locally from RATE_EPOCH (core/schedule.ts),
  // so that `bgjobs status` can derive the same next fire time from the expression alone.
  const startedAt = new Date(clock.now());
  const pending = new Map<string, { readonly due: Date; readonly cancel: () => void }>();
  let stopped = false;

  function arm(rule: LocalRule, schedule: Schedule, due: Date | undefined): void {
    if (stopped) return;
    if (!due) {
      pending.delete(rule.name);
      return;
    }
    const cancel = setLongTimeout(clock, due.getTime(), (nowMs) =>
      wake(rule, schedule, due, nowMs),
    );
    pending.set(rule.name, { due, cancel });
  }

  function wake(rule: LocalRule, schedule: Schedule, due: Date, nowMs: number): void {
    if (stopped) return;
    // Counting from now, not from `due`, so a process that fell behind fires once, not a burst.
    arm(rule, schedule, nextFireTime(schedule, new Date(nowMs)));
    if (rules.isEnabled(rule.name)) fire(rule, due);
  }

  function fire(rule: LocalRule, due: Date): void {
    const event = scheduledEvent({
      id: randomUUID(),
      time: due,
      account: LOCAL_ENVIRONMENT.account,
      region: LOCAL_ENVIRONMENT.region,
      ruleArn: rule.arn,
    });
    // The executor runs `deliver` now and turns a synchronous throw into a rejection.
    new Promise<void>((resolve) => resolve(deliver(rule, event))).catch((error: unknown) =>
      onError(rule, toError(error)),
    );
    options.onFire?.(rule, event);
  }

  for (const rule of rules.all()) {
    const schedule = rule.schedule;
    if (!schedule) continue;
    arm(rule, schedule, nextFireTime(schedule, startedAt));
  }

  return {
    stop() {
      stopped = true;
      for (const { cancel } of pending.values()) cancel();
      pending.clear();
    },
    nextFireTime(ruleName) {
      const due = pending.get(ruleName)?.due;
      return due && new Date(due);
    },
  };
}

function reportToStderr(rule: LocalRule, error: Error): void {
  console.error(`schedule rule ${rule.name} could not deliver to job ${rule.job.name}:`, error);
}
