import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { JobDefinition } from '../core/job.ts';
import type { JobResourceNames } from '../core/naming.ts';
import { deadLetterQueueSpec, jobQueueSpec, type QueueSpec } from '../core/queue-spec.ts';

export interface JobQueuesProps {
  readonly job: JobDefinition;
  readonly names: JobResourceNames;
}

/** A job's mailbox and its dead-letter queue, joined by a redrive policy. */
export class JobQueues extends Construct {
  /** The job's queue: the event source of its function. */
  readonly queue: sqs.Queue;
  /** Where a message goes after `maxReceiveCount` receives, or at once on a permanent failure. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: JobQueuesProps) {
    super(scope, id);
    const { job, names } = props;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: names.deadLetterQueueName,
      ...queueProps(deadLetterQueueSpec(job.settings)),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: names.queueName,
      ...queueProps(jobQueueSpec(job.settings)),
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: job.settings.maxReceiveCount,
      },
    });
  }
}

/** Queue props from the shared spec: encrypted with SSE-SQS and TLS-only, always. */
export function queueProps(spec: QueueSpec): sqs.QueueProps {
  return {
    fifo: spec.fifo || undefined,
    contentBasedDeduplication: spec.fifo ? spec.contentBasedDeduplication : undefined,
    visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
    retentionPeriod: Duration.seconds(spec.retentionSeconds),
    maxMessageSizeBytes: spec.maxMessageBytes,
    // SSE-SQS, not alias/aws/sqs: EventBridge cannot send to queues under the AWS-managed KMS key.
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.DESTROY,
  };
}
