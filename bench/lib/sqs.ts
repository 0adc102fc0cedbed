import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { SQS_MAX_BATCH_ENTRIES } from '../../core/limits.ts';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import { orderBody } from './payload.ts';

/** Requests in flight while preloading a queue. */
const PRELOAD_CONCURRENCY = 8;

/** A client of a local endpoint; `endpoint` is always `http://127.0.0.1:PORT`. */
export function localSqsClient(endpoint: string): SQSClient {
  if (!endpoint.startsWith('http://127.0.0.1:')) {
    throw new Error(`benchmarks talk to 127.0.0.1 only; got the endpoint ${endpoint}`);
  }
  return new SQSClient({
    endpoint,
    region: LOCAL_ENVIRONMENT.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Sends `count` order messages with SendMessageBatch, several batches in flight. */
export async function preload(sqs: SQSClient, queueUrl: string, count: number): Promise<void> {
  let next = 0;
  const sender = async () => {
    while (next < count) {
      const first = next;
      next = Math.min(count, next + SQS_MAX_BATCH_ENTRIES);
      const entries = [];
      for (let n = first; n < next; n++) {
        entries.push({ Id: String(n - first), MessageBody: orderBody(n) });
      }
      const response = await sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
      );
      if (response.Failed?.length) {
        throw new Error(
          `preload: ${response.Failed.length} sends failed: ${response.Failed[0]?.Message}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: PRELOAD_CONCURRENCY }, sender));
}

/** Messages in the queue, visible or in flight. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

export async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<string> {
  const created = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  if (!created.QueueUrl) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  return created.QueueUrl;
}
