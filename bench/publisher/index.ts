import { PurgeQueueCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { Producer } from 'sqs-producer';
import { createClient } from '../../client/index.ts';
import { planApp } from '../../core/plan.ts';
import { ensureJobQueues } from '../../local/sqs/queues.ts';
import { noopJob } from '../jobs/noop.ts';
import { orderBody } from '../lib/payload.ts';
import { type Benchmark, type BenchResult, resultRow } from '../lib/result.ts';
import { localSqsClient, queueDepth } from '../lib/sqs.ts';
import { startSqsProcess } from '../lib/sqs-process.ts';
import { elapsedMs, median, rotate } from '../lib/stats.ts';

const MESSAGES = 5_000;
/** One-by-one sends are slow; a smaller count gives the same rate in less time. */
const ONE_BY_ONE_MESSAGES = 1_000;
const ROUNDS = 5;
const STACK = 'bench';

type Arm = 'enqueueMany' | 'sqs-producer' | 'one-by-one';

/**
 * Publishing a backlog: the client's `enqueueMany` (validation, batches of 10,
 * several in flight, per-entry retries) against sqs-producer's `send` (batches
 * of 10, as its README shows it) and against one SendMessage per message, all
 * to the same embedded endpoint, in rotating order.
 */
export const publisherBenchmark: Benchmark = {
  name: 'publisher',
  title: 'Publisher throughput',
  run: async (): Promise<BenchResult> => {
    // The endpoint runs in its own process, as SQS does, so publishers get the CPU to themselves.
    const server = await startSqsProcess();
    try {
      const sqs = localSqsClient(server.endpoint);
      const { queue } = await ensureJobQueues(
        sqs,
        planApp([noopJob], { stackName: STACK }).job(noopJob.name),
      );
      const client = createClient({ jobs: [noopJob], stackName: STACK, sqs });
      const producer = Producer.create({ queueUrl: queue.url, sqs, batchSize: 10 });
      const payloads = Array.from({ length: MESSAGES }, (_, n) => JSON.parse(orderBody(n)));

      const publish: Record<Arm, () => Promise<number>> = {
        enqueueMany: async () => {
          const results = await client.enqueueMany(noopJob.name, payloads);
          const failed = results.filter((r) => !r.ok);
          if (failed.length > 0) throw new Error(`enqueueMany: ${failed.length} not sent`);
          return MESSAGES;
        },
        'sqs-producer': async () => {
          await producer.send(payloads.map((p, n) => ({ id: String(n), body: JSON.stringify(p) })));
          return MESSAGES;
        },
        'one-by-one': async () => {
          for (const payload of payloads.slice(0, ONE_BY_ONE_MESSAGES)) {
            await sqs.send(
              new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify(payload) }),
            );
          }
          return ONE_BY_ONE_MESSAGES;
        },
      };
      const arms = Object.keys(publish) as Arm[];
      const rates: Record<Arm, number[]> = {
        enqueueMany: [],
        'sqs-producer': [],
        'one-by-one': [],
      };
      for (let round = -1; round < ROUNDS; round++) {
        for (const arm of rotate(arms, round)) {
          await purge(sqs, queue.url);
          const started = performance.now();
          const sent = await publish[arm]();
          const ms = elapsedMs(started);
          const depth = await queueDepth(sqs, queue.url);
          if (depth !== sent)
            throw new Error(`${arm}: ${depth} messages in the queue after sending ${sent}`);
          // Round -1 warms up every arm and is not counted.
          if (round >= 0) rates[arm].push((sent / ms) * 1000);
        }
      }
      const ratios = (against: Arm) =>
        median(rates.enqueueMany.map((rate, i) => rate / (rates[against][i] as number)));
      const figure = (arm: Arm) => ({
        label: arm,
        value: Math.round(median(rates[arm])),
        unit: 'msg/s' as const,
      });
      return {
        rows: [
          resultRow({
            metric: 'publisher vs sqs-producer',
            baseline: figure('sqs-producer'),
            candidate: figure('enqueueMany'),
            ratio: ratios('sqs-producer'),
            target: { of: 'ratio', op: '>=', value: 1.0 },
          }),
          resultRow({
            metric: 'publisher vs one-by-one SendMessage',
            baseline: figure('one-by-one'),
            candidate: figure('enqueueMany'),
            ratio: ratios('one-by-one'),
            target: { of: 'ratio', op: '>=', value: 8 },
          }),
        ],
        notes: [
          `${MESSAGES} messages of about 240 bytes per round (${ONE_BY_ONE_MESSAGES} for one-by-one), ${ROUNDS} rounds after a warm-up, arms in rotating order, one fauxqs in a separate process.`,
          'enqueueMany validates every payload against the job schema before sending; sqs-producer and one-by-one send bodies unchecked.',
          'sqs-producer sends its batches one after another; enqueueMany keeps 8 batches in flight.',
        ],
        details: { rates },
      };
    } finally {
      server.stop();
    }
  },
};

async function purge(sqs: SQSClient, queueUrl: string): Promise<void> {
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
  for (let i = 0; i < 50 && (await queueDepth(sqs, queueUrl)) > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
