/**
 * What one run of a schedule sends, as Scheduler sends it to an SQS target: the target's
 * input with the context attributes filled in for each attempt (`fillSchedulerContext`), its
 * retry policy, its dead-letter queue, and the attributes Scheduler puts on a dead letter.
 */
import { randomBytes } from 'node:crypto';
import { eventTime, fillSchedulerContext } from '../../core/messages.ts';
import { errorMessageOf, stringAttributes } from '../eventbridge/rule-dead-letter.ts';
import type { TargetDelivery } from '../eventbridge/target-deliveries.ts';
import type { ScheduleRun } from './runner.ts';

/** Without an input, the local Scheduler sends an empty JSON object. */
const NO_INPUT = '{}';

/**
 * @param queueUrl - the URL of a queue by ARN, on the local SQS endpoint
 */
export function runDelivery(
  run: ScheduleRun,
  queueUrl: (arn: string) => string,
): TargetDelivery<ScheduleRun> {
  const { record, scheduledTime } = run;
  const target = record.Target;
  // Scheduler's execution ids are 16 characters, e.g. d32c5kddcf5bb8c3.
  const executionId = randomBytes(8).toString('hex');
  const deadLetterArn = target.DeadLetterConfig?.Arn;
  return {
    source: run,
    sender: 'schedule',
    target: {
      queue: { url: queueUrl(target.Arn), arn: target.Arn },
      deadLetterQueue: deadLetterArn
        ? { url: queueUrl(deadLetterArn), arn: deadLetterArn }
        : undefined,
      messageGroupId: target.SqsParameters?.MessageGroupId,
    },
    policy: {
      retryAttempts: target.RetryPolicy.MaximumRetryAttempts,
      maxEventAgeSeconds: target.RetryPolicy.MaximumEventAgeInSeconds,
    },
    body: (retries) =>
      fillSchedulerContext(target.Input ?? NO_INPUT, {
        executionId,
        scheduledTime,
        scheduleArn: record.Arn,
        attemptNumber: retries + 1,
      }),
    // By the names of the Scheduler user guide's dead-letter example (read from secondary
    // sources here, not from a live AWS dead letter). `ERROR_CODE` carries the codes the local
    // rule targets use (NO_RESOURCE, THROTTLING, ...), not Scheduler's own, which the guide
    // does not list.
    deadLetterAttributes: ({ failure, exhaustedCondition, retryAttempts }) =>
      stringAttributes({
        ERROR_CODE: failure.errorCode,
        ERROR_MESSAGE: errorMessageOf(failure),
        EXECUTION_ID: executionId,
        EXHAUSTED_RETRY_CONDITION: exhaustedCondition,
        IS_PAYLOAD_TRUNCATED: 'false',
        RETRY_ATTEMPTS: String(retryAttempts),
        SCHEDULED_TIME: eventTime(scheduledTime),
        SCHEDULE_ARN: record.Arn,
        TARGET_ARN: target.Arn,
      }),
  };
}
