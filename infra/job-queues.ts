import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { JobPlan, QueuePlan } from '../core/plan.ts';

export interface JobQueuesProps {
  /** The job's plan: names, specs and redrive of its queues. */
  readonly plan: JobPlan;
}

/** A job's mailbox and its dead-letter queue, joined by a redrive policy. */
export class JobQueues extends Construct {
  /** The job's queue: the event source of its function. */
  readonly queue: sqs.Queue;
  /** Where a message goes after `maxReceiveCount` receives, or at once on a permanent failure. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: JobQueuesProps) {
    super(scope, id);
    const { plan } = props;
    this.deadLetterQueue = new sqs.Queue(
      this,
      'DeadLetterQueue',
      queueProps(this, plan.deadLetterQueue),
    );
    this.queue = new sqs.Queue(this, 'Queue', {
      ...queueProps(this, plan.queue),
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: plan.queue.redrive?.maxReceiveCount ?? 0,
      },
    });
  }
}

/**
 * Queue props from the plan: encrypted with SSE-SQS and TLS-only, always; a
 * dead-letter queue names the queues allowed to use it by ARN, built from
 * their names (a reference would be a cycle with the source's redrive policy).
 */
export function queueProps(scope: Construct, plan: QueuePlan): sqs.QueueProps {
  const spec = plan.spec;
  const stack = Stack.of(scope);
  const sources = plan.redriveAllowSourceQueueNames;
  return {
    queueName: plan.name,
    ...(sources && {
      redriveAllowPolicy:
        sources.length === 0
          ? { redrivePermission: sqs.RedrivePermission.DENY_ALL }
          : {
              redrivePermission: sqs.RedrivePermission.BY_QUEUE,
              sourceQueues: sources.map((name) =>
                sqs.Queue.fromQueueArn(
                  scope,
                  `RedriveSource-${name}`,
                  stack.formatArn({ service: 'sqs', resource: name }),
                ),
              ),
            },
    }),
    fifo: spec.fifo || undefined,
    contentBasedDeduplication: spec.fifo ? spec.contentBasedDeduplication : undefined,
    visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
    retentionPeriod: Duration.seconds(spec.retentionSeconds),
    maxMessageSizeBytes: spec.maxMessageBytes,
    // SSE-SQS, not alias/aws/sqs: EventBridge cannot send to queues under the AWS-managed KMS key.
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    removalPolicy: plan.removal === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  };
}
