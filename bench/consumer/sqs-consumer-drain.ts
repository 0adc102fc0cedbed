import type { SQSClient } from '@aws-sdk/client-sqs';
import { Consumer } from 'sqs-consumer';
import { orderSchema } from '../jobs/noop.ts';
import { elapsedMs, sleep } from '../lib/stats.ts';
import type { Drain } from './drain.ts';

/**
 * sqs-consumer as its README suggests for batches: `handleMessageBatch` with
 * `batchSize: 10`, one Consumer per batch in flight (a Consumer handles one
 * batch before it polls again), all sharing one client. The handler does what
 * the noop job does: JSON.parse and the same zod schema. Same attributes and
 * long poll as the event source mapping.
 */
export function sqsConsumerDrain(sqs: SQSClient, queueUrl: string, concurrency: number): Drain {
  return (count) =>
    new Promise((resolve, reject) => {
      let processed = 0;
      const started = performance.now();
      const consumers = Array.from({ length: concurrency }, () => {
        const consumer = Consumer.create({
          queueUrl,
          sqs,
          batchSize: 10,
          waitTimeSeconds: 5,
          messageSystemAttributeNames: ['All'],
          messageAttributeNames: ['All'],
          handleMessageBatch: async (messages) => {
            for (const message of messages) orderSchema.parse(JSON.parse(message.Body ?? ''));
            return messages;
          },
        });
        consumer.on('message_processed', () => {
          processed += 1;
          if (processed === count) finish();
        });
        consumer.on('error', (error) => fail(error));
        consumer.on('processing_error', (error) => fail(error));
        return consumer;
      });
      // Stopping without abort lets each consumer's last long poll end by itself.
      const stopAll = async () => {
        for (const consumer of consumers) consumer.stop();
        while (consumers.some((c) => c.status.isPolling)) await sleep(50);
      };
      const finish = () =>
        resolve({ messages: processed, ms: elapsedMs(started), settled: stopAll() });
      const fail = (error: Error) => {
        void stopAll();
        reject(new Error(`sqs-consumer: ${error.message}`, { cause: error }));
      };
      for (const consumer of consumers) consumer.start();
    });
}
