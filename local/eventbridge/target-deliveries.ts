/**
 * An SQS target as EventBridge and EventBridge Scheduler run it: the message goes to the
 * target queue; a failed send is retried under the target's retry policy, and when the policy
 * is used up (or the error is one that is not retried) the message goes to the target's
 * dead-letter queue with the attributes its sender sets. Every delivery ends in one report:
 * delivered, dead-lettered, lost (the dead-letter queue refused it too, or there is none) or
 * abandoned (stopped while waiting to retry). Rules (`rule-targets.ts`) and schedules
 * (`local/scheduler/`) differ only in the body, the policy and the dead letter's attributes.
 */
import { toError } from '../../core/errors.ts';
import { type Clock, systemClock } from '../clock.ts';
import {
  afterFailedAttempt,
  type ExhaustedRetryCondition,
  type RetryPolicy,
} from './retry-policy.ts';
import type { StringAttribute } from './rule-dead-letter.ts';
import { classifyTargetError, type TargetFailure } from './target-errors.ts';

export interface QueueMessage {
  readonly queueUrl: string;
  readonly body: string;
  readonly messageGroupId?: string;
  readonly attributes?: Record<string, StringAttribute>;
}

/** Sends one message; rejects with the SQS error. */
export type QueueSender = (message: QueueMessage) => Promise<void>;

/** Where a target delivers: the job's queue, and the target's dead-letter queue. */
export interface SqsTarget {
  readonly queue: { readonly url: string; readonly arn: string };
  /** Undefined: an undeliverable message is dropped, as on AWS without a DLQ. */
  readonly deadLetterQueue: { readonly url: string; readonly arn: string } | undefined;
  /** FIFO job queues only. */
  readonly messageGroupId: string | undefined;
}

/** One message for one target, and what its sender (a rule, a schedule) makes of each attempt. */
export interface TargetDelivery<Source> {
  readonly source: Source;
  /** What sends, in report reasons: `rule`, `schedule`. */
  readonly sender: string;
  readonly target: SqsTarget;
  readonly policy: RetryPolicy;
  /** The body of the attempt after `retries` retries (Scheduler numbers its attempts in it). */
  body(retries: number): string;
  /** The attributes its sender puts on the dead letter. */
  deadLetterAttributes(fields: {
    readonly failure: TargetFailure;
    readonly exhaustedCondition: ExhaustedRetryCondition | undefined;
    readonly retryAttempts: number;
  }): Record<string, StringAttribute>;
}

interface Reported<Source> {
  readonly source: Source;
  /** Retries made after the first attempt. */
  readonly retries: number;
}

export type DeliveryReport<Source> =
  | (Reported<Source> & { readonly outcome: 'delivered' })
  | (Reported<Source> & {
      readonly outcome: 'retrying';
      readonly failure: TargetFailure;
      readonly delayMs: number;
    })
  | (Reported<Source> & {
      readonly outcome: 'dead-lettered';
      readonly failure: TargetFailure;
      readonly exhaustedCondition: ExhaustedRetryCondition | undefined;
    })
  | (Reported<Source> & {
      readonly outcome: 'lost';
      readonly failure: TargetFailure;
      readonly reason: string;
    })
  | (Reported<Source> & { readonly outcome: 'abandoned'; readonly failure: TargetFailure });

export interface TargetDeliveriesOptions<Source> {
  readonly send: QueueSender;
  /** Times the retries; tests pass a clock they move. @default systemClock */
  readonly clock?: Clock;
  /** @default Math.random */
  readonly random?: () => number;
  /** @default - nothing */
  readonly onReport?: (report: DeliveryReport<Source>) => void;
}

export interface TargetDeliveries<Source> {
  /**
   * Makes the first attempt (and, for an error that is not retried, the dead letter) and
   * resolves; retries run later, on the clock. Never rejects: every end is a report.
   */
  deliver(delivery: TargetDelivery<Source>): Promise<void>;
  /** Deliveries waiting for a retry. */
  readonly waiting: number;
  /**
   * Starts no retry after this; waits for attempts in flight, then reports every delivery
   * still waiting as `abandoned` and returns those reports.
   */
  stop(): Promise<DeliveryReport<Source>[]>;
}

interface Attempt<Source> {
  readonly delivery: TargetDelivery<Source>;
  readonly receivedAtMs: number;
  readonly retries: number;
}

export function startTargetDeliveries<Source>(
  options: TargetDeliveriesOptions<Source>,
): TargetDeliveries<Source> {
  const { send } = options;
  const clock = options.clock ?? systemClock;
  const report = options.onReport ?? (() => {});
  const waiting = new Map<Attempt<Source>, { handle: unknown; failure: TargetFailure }>();
  const inFlight = new Set<Promise<void>>();
  const abandoned: DeliveryReport<Source>[] = [];
  let stopped = false;

  function track(work: Promise<void>): Promise<void> {
    inFlight.add(work);
    const done = () => inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  async function attempt(current: Attempt<Source>): Promise<void> {
    const { delivery, retries } = current;
    const { source, target } = delivery;
    const body = delivery.body(retries);
    try {
      await send({ queueUrl: target.queue.url, body, messageGroupId: target.messageGroupId });
      report({ outcome: 'delivered', source, retries });
      return;
    } catch (error) {
      const failure = classifyTargetError(toError(error));
      const next = afterFailedAttempt({
        retryable: failure.retryable,
        retriesMade: retries,
        ageMs: clock.now() - current.receivedAtMs,
        policy: delivery.policy,
        random: options.random,
      });
      if (next.action === 'dead-letter') {
        await deadLetter(current, body, failure, next.exhaustedCondition);
      } else if (stopped) {
        giveUp(current, failure);
      } else {
        const handle = clock.setTimeout(() => {
          waiting.delete(current);
          track(attempt({ ...current, retries: retries + 1 }));
        }, next.delayMs);
        waiting.set(current, { handle, failure });
        report({ outcome: 'retrying', source, retries, failure, delayMs: next.delayMs });
      }
    }
  }

  async function deadLetter(
    current: Attempt<Source>,
    body: string,
    failure: TargetFailure,
    exhaustedCondition: ExhaustedRetryCondition | undefined,
  ): Promise<void> {
    const { delivery, retries } = current;
    const { source, target } = delivery;
    const dlq = target.deadLetterQueue;
    if (!dlq) {
      const reason = `the ${delivery.sender} target has no dead-letter queue, so AWS drops it`;
      report({ outcome: 'lost', source, retries, failure, reason });
      return;
    }
    const attributes = delivery.deadLetterAttributes({
      failure,
      exhaustedCondition,
      retryAttempts: retries,
    });
    try {
      await send({ queueUrl: dlq.url, body, attributes });
      report({ outcome: 'dead-lettered', source, retries, failure, exhaustedCondition });
    } catch (error) {
      const refused = classifyTargetError(toError(error)).errorMessage;
      const reason = `the ${delivery.sender}'s dead-letter queue refused it too (${refused})`;
      report({ outcome: 'lost', source, retries, failure, reason });
    }
  }

  function giveUp(current: Attempt<Source>, failure: TargetFailure): void {
    const gone: DeliveryReport<Source> = {
      outcome: 'abandoned',
      source: current.delivery.source,
      retries: current.retries,
      failure,
    };
    abandoned.push(gone);
    report(gone);
  }

  return {
    deliver: (delivery) => track(attempt({ delivery, receivedAtMs: clock.now(), retries: 0 })),
    get waiting() {
      return waiting.size;
    },
    stop: async () => {
      stopped = true;
      for (const [current, { handle, failure }] of waiting) {
        clock.clearTimeout(handle);
        giveUp(current, failure);
      }
      waiting.clear();
      while (inFlight.size > 0) await Promise.all(inFlight);
      return abandoned.splice(0);
    },
  };
}
