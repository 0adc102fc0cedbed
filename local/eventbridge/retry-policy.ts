/**
 * What becomes of an event after a rule's target failed to take it, under the target's retry
 * policy (each rule's, from the plan: `MaximumRetryAttempts`, `MaximumEventAgeInSeconds`). Pure: the
 * event's age and a random number are given.
 *
 * EventBridge retries "with an exponential back off and jitter" and does not publish the curve.
 * Locally the delay starts at 1 s, doubles, and is capped at 10 minutes, with equal jitter (half
 * fixed, half random): 185 retries at the cap then span about a day, as the default policy pairs
 * 185 attempts with 24 hours.
 */

export interface RetryPolicy {
  /** Retries after the first attempt: `MaximumRetryAttempts`, 0 to 185. */
  readonly retryAttempts: number;
  /** `MaximumEventAgeInSeconds`, 60 to 86,400, counted from when EventBridge took the event. */
  readonly maxEventAgeSeconds: number;
}

/** The values of the `EXHAUSTED_RETRY_CONDITION` attribute on a dead letter. */
export type ExhaustedRetryCondition = 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds';

export type AfterFailure =
  | { readonly action: 'retry'; readonly delayMs: number }
  | {
      readonly action: 'dead-letter';
      /** Undefined when the error was not retryable: no retry condition was exhausted. */
      readonly exhaustedCondition: ExhaustedRetryCondition | undefined;
    };

export const RETRY_BASE_DELAY_MS = 1_000;
export const RETRY_MAX_DELAY_MS = 600_000;

/**
 * Milliseconds before retry number `retry` (1 for the first retry).
 *
 * @param random - a number in [0, 1); injectable so tests are deterministic
 * @example ruleTargetRetryDelayMs(3, () => 0) // 2000: half of 4 s
 */
export function ruleTargetRetryDelayMs(retry: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.floor(retry) - 1);
  const ceiling = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Retry, or give the event to the rule's dead-letter queue: at once for an error EventBridge
 * does not retry (a target that no longer exists, a message the target refuses), else when
 * the retries are used up or the next one would come after the event's maximum age.
 */
export function afterFailedAttempt(input: {
  readonly retryable: boolean;
  /** Retries already made for this event (0 after the first attempt). */
  readonly retriesMade: number;
  /** Milliseconds since EventBridge took the event. */
  readonly ageMs: number;
  readonly policy: RetryPolicy;
  readonly random?: () => number;
}): AfterFailure {
  const { retryable, retriesMade, ageMs, policy } = input;
  if (!retryable) return { action: 'dead-letter', exhaustedCondition: undefined };
  if (retriesMade >= policy.retryAttempts) {
    return { action: 'dead-letter', exhaustedCondition: 'MaximumRetryAttempts' };
  }
  const delayMs = ruleTargetRetryDelayMs(retriesMade + 1, input.random);
  if (ageMs + delayMs > policy.maxEventAgeSeconds * 1000) {
    return { action: 'dead-letter', exhaustedCondition: 'MaximumEventAgeInSeconds' };
  }
  return { action: 'retry', delayMs };
}
