import {
  CreateQueueCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { JobDefinition } from '../../core/job.ts';
import { hasRule } from '../../core/job.ts';
import { jobResourceNames } from '../../core/naming.ts';
import {
  deadLetterQueueSpec,
  jobQueueSpec,
  type QueueSpec,
  ruleDeadLetterQueueSpec,
  toQueueAttributes,
} from '../../core/queue-spec.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../eventbridge/rules.ts';

export interface LocalQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
}

export interface JobQueueSet {
  readonly queue: LocalQueue;
  readonly deadLetterQueue: LocalQueue;
  /** Where the stack's rule target puts events it could not deliver; created for parity. */
  readonly ruleDeadLetterQueue: LocalQueue | undefined;
}

export function queueArn(name: string): string {
  return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name}`;
}

/**
 * Creates (or brings up to date) a job's queues with the attributes the CDK
 * stack gives them: the same spec functions, the same redrive policy. The
 * dead-letter queue comes first, so the job queue never exists without it.
 */
export async function ensureJobQueues(
  sqs: SQSClient,
  stackName: string,
  job: JobDefinition,
): Promise<JobQueueSet> {
  const names = jobResourceNames(stackName, job.name, job.settings.fifo !== undefined);
  const deadLetterQueue = await ensureQueue(
    sqs,
    names.deadLetterQueueName,
    deadLetterQueueSpec(job.settings),
  );
  const queue = await ensureQueue(sqs, names.queueName, jobQueueSpec(job.settings), {
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: deadLetterQueue.arn,
      maxReceiveCount: job.settings.maxReceiveCount,
    }),
  });
  const ruleDeadLetterQueue = hasRule(job)
    ? await ensureQueue(sqs, names.ruleDeadLetterQueueName, ruleDeadLetterQueueSpec())
    : undefined;
  return { queue, deadLetterQueue, ruleDeadLetterQueue };
}

async function ensureQueue(
  sqs: SQSClient,
  name: string,
  spec: QueueSpec,
  extra: Record<string, string> = {},
): Promise<LocalQueue> {
  const attributes = { ...toQueueAttributes(spec), ...extra };
  const existing = await queueUrlOf(sqs, name);
  let url: string;
  if (existing) {
    // FifoQueue cannot change after creation; everything else is brought in line with the job.
    const { FifoQueue: _fifo, ...changeable } = attributes;
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: existing, Attributes: changeable }));
    url = existing;
  } else {
    const created = await sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
    );
    url = created.QueueUrl ?? '';
  }
  return { name, url, arn: queueArn(name) };
}

async function queueUrlOf(sqs: SQSClient, name: string): Promise<string | undefined> {
  try {
    return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    if (
      (error as Error).name === 'QueueDoesNotExist' ||
      (error as Error).name === 'AWS.SimpleQueueService.NonExistentQueue'
    ) {
      return undefined;
    }
    throw error;
  }
}
