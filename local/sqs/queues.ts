import {
  CreateQueueCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { arns } from '../../core/arns.ts';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import type { JobPlan, QueuePlan } from '../../core/plan.ts';
import { toQueueAttributes } from '../../core/queue-attributes.ts';

export interface LocalQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
}

export interface JobQueueSet {
  readonly queue: LocalQueue;
  readonly deadLetterQueue: LocalQueue;
  /** Where a rule's target puts events it could not deliver. */
  readonly ruleDeadLetterQueue: LocalQueue | undefined;
}

/**
 * Creates (or brings up to date) a job's queues with the attributes the stack
 * gives them, from the same plan. Dead-letter queues come first, so the job
 * queue never exists without the queue its redrive policy names.
 */
export async function ensureJobQueues(sqs: SQSClient, job: JobPlan): Promise<JobQueueSet> {
  const deadLetterQueue = await ensureQueue(sqs, job.deadLetterQueue);
  const ruleDeadLetterQueue = job.ruleDeadLetterQueue
    ? await ensureQueue(sqs, job.ruleDeadLetterQueue)
    : undefined;
  const queue = await ensureQueue(sqs, job.queue);
  return { queue, deadLetterQueue, ruleDeadLetterQueue };
}

async function ensureQueue(sqs: SQSClient, plan: QueuePlan): Promise<LocalQueue> {
  const attributes = toQueueAttributes(plan, LOCAL_ENVIRONMENT);
  const existing = await queueUrlOf(sqs, plan.name);
  let url: string;
  if (existing) {
    // FifoQueue cannot change after creation; everything else is brought in line with the job.
    const { FifoQueue: _fifo, ...changeable } = attributes;
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: existing, Attributes: changeable }));
    url = existing;
  } else {
    const created = await sqs.send(
      new CreateQueueCommand({ QueueName: plan.name, Attributes: attributes }),
    );
    url = created.QueueUrl ?? '';
  }
  return { name: plan.name, url, arn: arns.queue(LOCAL_ENVIRONMENT, plan.name) };
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
