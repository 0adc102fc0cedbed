/**
 * A rule's SQS target, as EventBridge runs it: the event goes to the job's queue; a failed
 * delivery is retried under the target's retry policy, and when the policy is used up (or the
 * error is one EventBridge does not retry) the event goes to the rule's dead-letter queue with
 * the attributes EventBridge sets. Every event ends in one report: delivered, dead-lettered,
 * lost (the dead-letter queue refused it too) or abandoned (stopped while waiting to retry).
 * The retrying itself is `target-deliveries.ts`, shared with the local Scheduler.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { toError } from '../../core/errors.ts';
import { type EventBridgeEvent, ruleTargetBody } from '../../core/messages.ts';
import type { Clock } from '../clock.ts';
import type { RetryPolicy } from './retry-policy.ts';
import { ruleDeadLetterAttributes } from './rule-dead-letter.ts';
import type { LocalRule } from './rules.ts';
import {
  type DeliveryReport,
  type QueueSender,
  type SqsTarget,
  startTargetDeliveries,
} from './target-deliveries.ts';
import { classifyTargetError } from './target-errors.ts';

export type { QueueMessage, QueueSender } from './target-deliveries.ts';

/** Where a rule delivers: the job's queue, and the rule's dead-letter queue. */
export type RuleTarget = SqsTarget;

interface RuleSource {
  readonly rule: LocalRule;
  readonly event: EventBridgeEvent;
}

/** A delivery report with the rule and the event it sent in place of its source. */
export type RuleTargetReport = Unwrapped<DeliveryReport<RuleSource>>;

/** Distributes over the report union, so each outcome keeps its own fields. */
type Unwrapped<R> = R extends { readonly source: RuleSource }
  ? Omit<R, 'source'> & RuleSource
  : never;

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

/**
 * @example
 * const targets = startRuleTargets({ send: sqsSender(sqs), targetOf: (rule) => targetsByJob[rule.job.name] });
 * await targets.deliver(rule, event);
 */
export function startRuleTargets(options: RuleTargetsOptions): RuleTargets {
  const report = options.onReport ?? (() => {});
  const deliveries = startTargetDeliveries<RuleSource>({
    send: options.send,
    clock: options.clock,
    random: options.random,
    onReport: (r) => report(toRuleReport(r)),
  });
  return {
    deliver: (rule, event) => {
      let target: RuleTarget;
      let body: string;
      try {
        body = ruleTargetBody(event);
        target = options.targetOf(rule);
      } catch (error) {
        const failure = classifyTargetError(toError(error));
        const reason = `no target for rule ${rule.name}: ${toError(error).message}`;
        report({ outcome: 'lost', rule, event, retries: 0, failure, reason });
        return Promise.resolve();
      }
      return deliveries.deliver({
        source: { rule, event },
        sender: 'rule',
        target,
        policy: options.policy ?? rule.target,
        body: () => body,
        deadLetterAttributes: ({ failure, exhaustedCondition, retryAttempts }) =>
          ruleDeadLetterAttributes({
            ruleArn: rule.arn,
            targetArn: target.queue.arn,
            failure,
            exhaustedCondition,
            retryAttempts,
          }),
      });
    },
    get waiting() {
      return deliveries.waiting;
    },
    stop: async () => (await deliveries.stop()).map(toRuleReport),
  };
}

function toRuleReport(report: DeliveryReport<RuleSource>): RuleTargetReport {
  const { source, ...rest } = report;
  return { ...rest, rule: source.rule, event: source.event } as RuleTargetReport;
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
