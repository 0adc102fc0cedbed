import { arns } from './arns.ts';
import type { AwsEnvironment } from './local-environment.ts';
import type { QueuePlan } from './plan.ts';
import type { QueueSpec } from './queue-spec.ts';

/**
 * A planned queue as SQS CreateQueue attributes (what the local runtime
 * sends; the stack sets the same through CloudFormation). ARNs are built from
 * names in the given account and region.
 */
export function toQueueAttributes(queue: QueuePlan, env: AwsEnvironment): Record<string, string> {
  return {
    ...specAttributes(queue.spec),
    ...(queue.redrive && {
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: arns.queue(env, queue.redrive.deadLetterQueueName),
        maxReceiveCount: queue.redrive.maxReceiveCount,
      }),
    }),
    ...(queue.redriveAllowSourceQueueNames && {
      RedriveAllowPolicy: JSON.stringify(
        redriveAllowPolicy(queue.redriveAllowSourceQueueNames, env),
      ),
    }),
  };
}

/** `byQueue` naming the sources, or `denyAll` when no queue may use it as its dead-letter queue. */
export function redriveAllowPolicy(
  sourceQueueNames: readonly string[],
  env: AwsEnvironment,
): { redrivePermission: 'byQueue' | 'denyAll'; sourceQueueArns?: string[] } {
  return sourceQueueNames.length === 0
    ? { redrivePermission: 'denyAll' }
    : {
        redrivePermission: 'byQueue',
        sourceQueueArns: sourceQueueNames.map((name) => arns.queue(env, name)),
      };
}

/** The queue spec alone as attributes (a queue with no redrive, e.g. in benchmarks). */
export function specAttributes(spec: QueueSpec): Record<string, string> {
  return {
    VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(spec.retentionSeconds),
    MaximumMessageSize: String(spec.maxMessageBytes),
    ...(spec.fifo
      ? { FifoQueue: 'true', ContentBasedDeduplication: String(spec.contentBasedDeduplication) }
      : {}),
  };
}
