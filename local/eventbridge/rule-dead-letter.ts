/**
 * The message EventBridge puts on a rule target's dead-letter queue: the event as its body,
 * and the custom attributes the EventBridge user guide lists ("Each message in your DLQ will
 * include the following custom attributes"): RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE,
 * EXHAUSTED_RETRY_CONDITION and RETRY_ATTEMPTS, all of data type String.
 */
import type { ExhaustedRetryCondition } from './retry-policy.ts';
import type { TargetFailure } from './target-errors.ts';

export const RULE_DEAD_LETTER_ATTRIBUTES = {
  ruleArn: 'RULE_ARN',
  targetArn: 'TARGET_ARN',
  errorCode: 'ERROR_CODE',
  errorMessage: 'ERROR_MESSAGE',
  exhaustedRetryCondition: 'EXHAUSTED_RETRY_CONDITION',
  retryAttempts: 'RETRY_ATTEMPTS',
} as const;

export interface StringAttribute {
  readonly DataType: 'String';
  readonly StringValue: string;
}

/**
 * The attributes of one dead letter. `EXHAUSTED_RETRY_CONDITION` is left out when no retry
 * condition ended the delivery (an error EventBridge does not retry).
 */
export function ruleDeadLetterAttributes(fields: {
  readonly ruleArn: string;
  readonly targetArn: string;
  readonly failure: TargetFailure;
  readonly exhaustedCondition: ExhaustedRetryCondition | undefined;
  /** Retries made after the first attempt. */
  readonly retryAttempts: number;
}): Record<string, StringAttribute> {
  const names = RULE_DEAD_LETTER_ATTRIBUTES;
  return stringAttributes({
    [names.ruleArn]: fields.ruleArn,
    [names.targetArn]: fields.targetArn,
    [names.errorCode]: fields.failure.errorCode,
    [names.errorMessage]: errorMessageOf(fields.failure),
    [names.exhaustedRetryCondition]: fields.exhaustedCondition,
    [names.retryAttempts]: String(fields.retryAttempts),
  });
}

/**
 * A dead letter's attributes (EventBridge's and Scheduler's), all of data type String;
 * a name without a value is left out.
 */
export function stringAttributes(
  values: Record<string, string | undefined>,
): Record<string, StringAttribute> {
  const attributes: Record<string, StringAttribute> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) attributes[name] = { DataType: 'String', StringValue: value };
  }
  return attributes;
}

/** `ERROR_MESSAGE`: SQS refuses an empty attribute value; a failure without one gives its code. */
export function errorMessageOf(failure: TargetFailure): string {
  return failure.errorMessage || failure.errorCode;
}
