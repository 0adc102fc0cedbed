import { describe, expect, it } from 'vitest';
import { EVENT_RULE_TARGET_RETRY } from '../../../core/plan.ts';
import {
  afterFailedAttempt,
  RETRY_MAX_DELAY_MS,
  ruleTargetRetryDelayMs,
} from '../../../local/eventbridge/retry-policy.ts';

const policy = EVENT_RULE_TARGET_RETRY;

describe('ruleTargetRetryDelayMs', () => {
  it('doubles from 1 s, between half and all of the ceiling depending on the jitter', () => {
    expect([1, 2, 3, 4].map((retry) => ruleTargetRetryDelayMs(retry, () => 0))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect([1, 2, 3, 4].map((retry) => ruleTargetRetryDelayMs(retry, () => 0.999999))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it('is capped at 10 minutes however many retries came before', () => {
    expect(ruleTargetRetryDelayMs(11, () => 0.999999)).toBe(RETRY_MAX_DELAY_MS);
    expect(ruleTargetRetryDelayMs(185, () => 0.999999)).toBe(RETRY_MAX_DELAY_MS);
    expect(ruleTargetRetryDelayMs(5000, () => 0)).toBe(RETRY_MAX_DELAY_MS / 2);
  });

  it('spans about a day over the default 185 retries, as the default policy pairs them', () => {
    const total = (random: () => number) =>
      Array.from({ length: 185 }, (_, i) => ruleTargetRetryDelayMs(i + 1, random)).reduce(
        (a, b) => a + b,
      );
    const hours = (ms: number) => ms / 3_600_000;
    expect(hours(total(() => 0))).toBeGreaterThan(14);
    expect(hours(total(() => 0.5))).toBeGreaterThan(20);
    expect(hours(total(() => 0.5))).toBeLessThan(26);
  });
});

describe('afterFailedAttempt', () => {
  it('retries a retryable failure after the delay of the next retry', () => {
    expect(
      afterFailedAttempt({
        retryable: true,
        retriesMade: 2,
        ageMs: 3_000,
        policy,
        random: () => 0,
      }),
    ).toEqual({ action: 'retry', delayMs: 2000 });
  });

  it('dead-letters a failure EventBridge does not retry at once, with no exhausted condition', () => {
    expect(afterFailedAttempt({ retryable: false, retriesMade: 0, ageMs: 0, policy })).toEqual({
      action: 'dead-letter',
      exhaustedCondition: undefined,
    });
  });

  it('dead-letters once MaximumRetryAttempts retries were made', () => {
    const decide = (retriesMade: number) =>
      afterFailedAttempt({ retryable: true, retriesMade, ageMs: 1000, policy, random: () => 0 });

    expect(decide(184).action).toBe('retry');
    expect(decide(185)).toEqual({
      action: 'dead-letter',
      exhaustedCondition: 'MaximumRetryAttempts',
    });
  });

  it('dead-letters when the next retry would come after MaximumEventAgeInSeconds', () => {
    const short = { retryAttempts: 185, maxEventAgeSeconds: 60 };
    const at = (ageMs: number) =>
      afterFailedAttempt({
        retryable: true,
        retriesMade: 3,
        ageMs,
        policy: short,
        random: () => 0,
      });

    // The fourth retry waits 4 s at this jitter.
    expect(at(56_000)).toEqual({ action: 'retry', delayMs: 4000 });
    expect(at(56_001)).toEqual({
      action: 'dead-letter',
      exhaustedCondition: 'MaximumEventAgeInSeconds',
    });
  });

  it('dead-letters at once with MaximumRetryAttempts when the policy allows no retry', () => {
    const none = { retryAttempts: 0, maxEventAgeSeconds: 60 };
    expect(afterFailedAttempt({ retryable: true, retriesMade: 0, ageMs: 0, policy: none })).toEqual(
      { action: 'dead-letter', exhaustedCondition: 'MaximumRetryAttempts' },
    );
  });
});
