/**
 * A rule's SQS target, as EventBridge runs it: the event goes to the job's queue; a failed
 * delivery is retried under the target's retry policy, and when the policy is used up (or the
 * error is one EventBridge does not retry) the event goes to the rule's dead-letter queue with
 * the attributes EventBridge sets. Every event ends in one report: delivered, dead-lettered,
 * lost (the dead-letter queue refused it too) or abandoned (stopped while waiting to retry).
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { toError } from '../../core/errors.ts';
import { type EventBridgeEvent, ruleTargetBody } from '../../core/messages.ts';
import { type Clock, systemClock } from '../clock.ts';
import {
  afterFailedAttempt,
  type ExhaustedRetryCondition,
  type RetryPolicy,
} from './retry-policy.ts';
import { ruleDeadLetterAttributes, type StringAttribute } from './rule-dead-letter.ts';
import type { LocalRule } from './rules.ts';
import { classifyTargetError, type TargetFailure } from './target-errors.ts';

export interface QueueMessage {
  readonly queueUrl: string;
  readonly body: string;
  readonly messageGroupId?: string;
  readonly attributes?: Record<string, StringAttribute>;
}

/** Sends one message; rejects with the SQS error. */
export type QueueSender = (message: QueueMessage) => Promise<void>;

/** Where a rule delivers: the job's queue, and the rule's dead-letter queue. */
export interface RuleTarget {
  readonly queue: { readonly url: string; readonly arn: string };
  /** Undefined: an undeliverable event is dropped, as on AWS without a DLQ. */
  readonly deadLetterQueue: { readonly url: string; readonly arn: string } | undefined;
  /** FIFO job queues only. */
  readonly messageGroupId: string | undefined;
}

interface Reported {
  readonly rule: LocalRule;
  readonly event: EventBridgeEvent;
  /** Retries made after the first attempt. */
  readonly retries: number;
}

export type RuleTargetReport =
  | (Reported & { readonly outcome: 'delivered' })
  | (Reported & {
      readonly outcome: 'retrying';
      readonly failure: TargetFailure;
      readonly delayMs: number;
    })
  | (Reported & {
      readonly outcome: 'dead-lettered';
      readonly failure: TargetFailure;
      readonly exhaustedCondition: ExhaustedRetryCondition | undefined;
    })
  | (Reported & {
      readonly outcome: 'lost';
      readonly failure: TargetFailure;
      readonly reason: string;
    })
  | (Reported & { readonly outcome: 'abandoned'; readonly failure: TargetFailure });

export interface RuleTargetsOptions {
  readonly send: QueueSender;
  readonly targetOf: (rule: LocalRule) => RuleTarget;
  /** @default - each rule's own policy, from the plan (as the stack gives its target) */
  readonly policy?: RetryPolicy;
  /** Times the retries; tests pass a clock they move. @default systemClock */
  readonly clock?: Clock;
  /** @default Math.random */
  readonly random?: () => number;
  /** @default - nothing */
  readonly onReport?: (report: RuleTargetReport) => void;
}

export interface RuleTargets {
  /**
   * Makes the first attempt (and, for an error that is not retried, the dead letter) and
   * resolves; retries run later, on the clock. Never rejects: every end is a report.
   */
  deliver(rule: LocalRule, event: EventBridgeEvent): Promise<void>;
  /** Events waiting for a retry. */
  readonly waiting: number;
  /**
   * Starts no retry after this; waits for attempts in flight, then reports every event still
   * waiting as `abandoned` and returns those reports.
   */
  stop(): Promise<RuleTargetReport[]>;
}

interface Delivery {
  readonly rule: LocalRule;
  readonly event: EventBridgeEvent;
  readonly target: RuleTarget;
  readonly body: string;
  readonly receivedAtMs: number;
  readonly retries: number;
}

/**
 * @example
 * const targets = startRuleTargets({ send: sqsSender(sqs), targetOf: (rule) => targetsByJob[rule.job.name] });
 * await targets.deliver(rule, event);
 */
export function startRuleTargets(options: RuleTargetsOptions): RuleTargets {
  const { send, targetOf } = options;
  const clock = options.clock ?? systemClock;
  const report = options.onReport ?? (() => {});
  const waiting = new Map<Delivery, { handle: unknown; failure: TargetFailure }>();
  const inFlight = new Set<Promise<void>>();
  const abandoned: RuleTargetReport[] = [];
  let stopped = false;

  function track(work: Promise<void>): Promise<void> {
    inFlight.add(work);
    const done = () => inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  async function attempt(delivery: Delivery): Promise<void> {
    const { rule, event, target, body, retries } = delivery;
    try {
      await send({ queueUrl: target.queue.url, body, messageGroupId: target.messageGroupId });
      report({ outcome: 'delivered', rule, event, retries });
      return;
    } catch (error) {
      const failure = classifyTargetError(toError(error));
      const next = afterFailedAttempt({
        retryable: failure.retryable,
        retriesMade: retries,
        ageMs: clock.now() - delivery.receivedAtMs,
        policy: options.policy ?? rule.target,
        random: options.random,
      });
      if (next.action === 'dead-letter') {
        await deadLetter(delivery, failure, next.exhaustedCondition);
      } else if (stopped) {
        giveUp(delivery, failure);
      } else {
        const handle = clock.setTimeout(() => {
          waiting.delete(delivery);
          track(attempt({ ...delivery, retries: retries + 1 }));
        }, next.delayMs);
        waiting.set(delivery, { handle, failure });
        report({ outcome: 'retrying', rule, event, retries, failure, delayMs: next.delayMs });
      }
    }
  }

  async function deadLetter(
    delivery: Delivery,
    failure: TargetFailure,
    exhaustedCondition: ExhaustedRetryCondition | undefined,
  ): Promise<void> {
    const { rule, event, target, body, retries } = delivery;
    const dlq = target.deadLetterQueue;
    if (!dlq) {
      const reason = 'the rule target has no dead-letter queue, so EventBridge drops the event';
      report({ outcome: 'lost', rule, event, retries, failure, reason });
      return;
    }
    const attributes = ruleDeadLetterAttributes({
      ruleArn: rule.arn,
      targetArn: target.queue.arn,
      failure,
      exhaustedCondition,
      retryAttempts: retries,
    });
    try {
      await send({ queueUrl: dlq.url, body, attributes });
      report({ outcome: 'dead-lettered', rule, event, retries, failure, exhaustedCondition });
    } catch (error) {
      const refused = classifyTargetError(toError(error)).errorMessage;
      const reason = `the rule's dead-letter queue refused it too (${refused})`;
      report({ outcome: 'lost', rule, event, retries, failure, reason });
    }
  }

  function giveUp(delivery: Delivery, failure: TargetFailure): void {
    const { rule, event, retries } = delivery;
    const gone: RuleTargetReport = { outcome: 'abandoned', rule, event, retries, failure };
    abandoned.push(gone);
    report(gone);
  }

  return {
    deliver: (rule, event) => {
      let delivery: Delivery;
      try {
        const body = ruleTargetBody(event);
        delivery = {
          rule,
          event,
          target: targetOf(rule),
          body,
          receivedAtMs: clock.now(),
          retries: 0,
        };
      } catch (error) {
        const failure = classifyTargetError(toError(error));
        const reason = `no target for rule ${rule.name}: ${toError(error).message}`;
        report({ outcome: 'lost', rule, event, retries: 0, failure, reason });
        return Promise.resolve();
      }
      return track(attempt(delivery));
    },
    get waiting() {
      return waiting.size;
    },
    stop: async () => {
      stopped = true;
      for (const [delivery, { handle, failure }] of waiting) {
        clock.clearTimeout(handle);
        giveUp(delivery, failure);
      }
      waiting.clear();
      while (inFlight.size > 0) await Promise.all(inFlight);
      return abandoned.splice(0);
    },
  };
}

/** A `QueueSender` over an SQS client. */
export function sqsSender(sqs: SQSClient): QueueSender {
  return async (message) => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: message.queueUrl,
        MessageBody: message.body,
        ...(message.messageGroupId ? { MessageGroupId: message.messageGroupId } : {}),
        ...(message.attributes ? { MessageAttributes: message.attributes } : {}),
      }),
    );
  };
}
