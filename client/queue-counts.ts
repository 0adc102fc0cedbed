import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ClientContext } from './context.ts';

export interface QueueCounts {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

/** A queue's three approximate counts, from one GetQueueAttributes call. */
export async function queueCounts(sqs: SQSClient, queueUrl: string): Promise<QueueCounts> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

/** A job's queue counts and its dead letters: what a poll needs, without the rest of `status`. */
export interface JobQueueCounts extends QueueCounts {
  /** Messages in the dead-letter queue, in any state. */
  readonly deadLetters: number;
}

/** One GetQueueAttributes call for the job's queue and one for its dead-letter queue. */
export async function jobQueueCounts(ctx: ClientContext, jobName: string): Promise<JobQueueCounts> {
  const plan = ctx.plan(jobName);
  const [queueUrl, deadLetterQueueUrl] = await Promise.all([
    ctx.queueUrl(plan.queue.name),
    ctx.queueUrl(plan.deadLetterQueue.name),
  ]);
  const [queue, dlq] = await Promise.all([
    queueCounts(ctx.sqs, queueUrl),
    queueCounts(ctx.sqs, deadLetterQueueUrl),
  ]);
  return { ...queue, deadLetters: dlq.visible + dlq.inFlight + dlq.delayed };
}
