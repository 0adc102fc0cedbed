import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { JobsStack } from '../../infra/jobs-stack.ts';
import { jobs, processJob } from '../../jobs/index.ts';
import { logicalId, synthStack, testApp } from './build.ts';

describe('the alarm topic', () => {
  it('takes publishes over TLS only, and from CloudWatch alarms of this account', () => {
    const { template } = synthStack(jobs);
    const topic = { Ref: logicalId(template, 'AWS::SNS::Topic', { TopicName: 'bgjobs--alarms' }) };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topic],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: Match.objectLike({
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            }),
          }),
        ]),
      },
    });
  });

  it('subscribes alarmEmail by e-mail, and nobody without it', () => {
    synthStack(jobs).template.resourceCountIs('AWS::SNS::Subscription', 0);
    const { template } = synthStack([processJob], { alarmEmail: 'ops@example.com' });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: logicalId(template, 'AWS::SNS::Topic', {}) },
    });
  });

  it('refuses an alarmEmail that is not one e-mail address', () => {
    expect(
      () => new JobsStack(testApp(), 'bgjobs', { jobs: [processJob], alarmEmail: 'ops' }),
    ).toThrow('alarmEmail is "ops"; allowed: one e-mail address, such as ops@example.com');
  });
});
