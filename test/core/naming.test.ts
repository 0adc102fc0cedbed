import { describe, expect, it } from 'vitest';
import { assertValidStackName, eventBusName, jobResourceNames } from '../../core/naming.ts';

describe('jobResourceNames', () => {
  it('derives every name from the stack and job names alone', () => {
    expect(jobResourceNames('bgjobs', 'send-email', false)).toEqual({
      queueName: 'bgjobs-send-email',
      deadLetterQueueName: 'bgjobs-send-email-dlq',
      ruleDeadLetterQueueName: 'bgjobs-send-email-rule-dlq',
      functionName: 'bgjobs-send-email',
      scheduleRuleName: 'bgjobs-send-email-schedule',
      eventRuleName: 'bgjobs-send-email-events',
    });
    expect(eventBusName('bgjobs')).toBe('bgjobs-bus');
  });

  it('adds the .fifo suffix to both queues of a FIFO job, but not to the rule dead-letter queue', () => {
    const names = jobResourceNames('bgjobs', 'ledger', true);
    expect(names.queueName).toBe('bgjobs-ledger.fifo');
    expect(names.deadLetterQueueName).toBe('bgjobs-ledger-dlq.fifo');
    expect(names.ruleDeadLetterQueueName).toBe('bgjobs-ledger-rule-dlq');
  });

  it('refuses names over the Lambda and EventBridge limits, naming each', () => {
    expect(() => jobResourceNames('s'.repeat(30), 'j'.repeat(30), false)).toThrow(
      /Lambda function name ".*" has 61 characters \(at most 64\)|EventBridge rule name ".*-schedule" has 70 characters \(at most 64\)/,
    );
  });
});

describe('assertValidStackName', () => {
  it('accepts CloudFormation stack names', () => {
    expect(() => assertValidStackName('Bgjobs-prod-2')).not.toThrow();
  });

  it('rejects a name CloudFormation would not take', () => {
    expect(() => assertValidStackName('my_stack')).toThrow(
      'stack name is "my_stack"; allowed: letters, digits and hyphens, starting with a letter, at most 40 characters',
    );
  });
});
