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
  return {
    [names.ruleArn]: text(fields.ruleArn),
    [names.targetArn]: text(fields.targetArn),
    [names.errorCode]: text(fields.failure.errorCode),
    // SQS refuses an empty attribute value.
    [names.errorMessage]: text(fields.failure.errorMessage || fields.failure.errorCode),
    ...(fields.exhaustedCondition && {
      [names.exhaustedRetryCondition]: text(fields.exhaustedCondition),
    }),
    [names.retryAttempts]: text(String(fields.retryAttempts)),
  };
}

function text(value: string): StringAttribute {
  return { DataType: 'String', StringValue: value };
}
