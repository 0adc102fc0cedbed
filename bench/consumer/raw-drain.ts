import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { elapsedMs } from '../lib/stats.ts';
import type { Drain } from './drain.ts';

/**
 * The ceiling: `concurrency` loops of ReceiveMessage (10, long poll) then
 * DeleteMessageBatch, doing nothing else. It asks for the same attributes and
 * long poll as the event source mapping, so the endpoint does the same work per
 * message.
 */
export function rawDrain(sqs: SQSClient, queueUrl: string, concurrency: number): Drain {
  return (count) =>
    new Promise((resolve, reject) => {
      let deleted = 0;
      let finished = false;
      const started = performance.now();
      const loop = async () => {
        while (deleted < count) {
          const { Messages = [] } = await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: queueUrl,
              MaxNumberOfMessages: 10,
              WaitTimeSeconds: 5,
              MessageSystemAttributeNames: ['All'],
              MessageAttributeNames: ['All'],
            }),
          );
          if (Messages.length === 0) continue;
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
            }),
          );
          deleted += Messages.length;
          if (deleted >= count && !finished) {
            finished = true;
            resolve({ messages: deleted, ms: elapsedMs(started), settled });
          }
        }
      };
      // Once the count is reached, the other loops wait out their long polls on the empty queue.
      const settled = Promise.all(Array.from({ length: concurrency }, loop));
      settled.catch(reject);
    });
}
