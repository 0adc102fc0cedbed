import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { BgjobsError } from '../core/errors.ts';

const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export interface MonitoringTopicProps {
  /** The topic's name, from the plan (`<stack>--alarms`). */
  readonly topicName: string;
  /** Shown as the sender of e-mail notifications. */
  readonly stackName: string;
  /**
   * An address to subscribe to the topic by e-mail (SNS sends it a confirmation first).
   * @default - no subscription
   */
  readonly alarmEmail?: string;
}

/**
 * The one topic every alarm of the stack notifies, on ALARM and on OK. TLS-only
 * (cdk-nag AwsSolutions-SNS3), and open to CloudWatch alarms of this account:
 * a topic policy replaces SNS's default one, which is what let CloudWatch publish.
 *
 * Not encrypted at rest: notifications hold alarm names and metric values. Under
 * the AWS-managed key `alias/aws/sns` CloudWatch could not publish at all; a
 * customer key whose policy lets `cloudwatch.amazonaws.com` use it is the option
 * where compliance demands SSE.
 */
export class MonitoringTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: MonitoringTopicProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: `bgjobs alarms of ${props.stackName}`,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
    if (props.alarmEmail !== undefined) {
      if (!EMAIL_PATTERN.test(props.alarmEmail)) {
        throw new BgjobsError(
          `alarmEmail is ${JSON.stringify(props.alarmEmail)}; allowed: one e-mail address, such as ops@example.com`,
        );
      }
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    }
  }
}
