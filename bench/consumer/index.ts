import { specAttributes } from '../../core/queue-attributes.ts';
import { jobQueueSpec } from '../../core/queue-spec.ts';
import { noopJob } from '../jobs/noop.ts';
import { type Benchmark, type BenchResult, resultRow } from '../lib/result.ts';
import { startBenchRuntime } from '../lib/runtime.ts';
import { createQueue, localSqsClient, preload, queueDepth } from '../lib/sqs.ts';
import { median, rotate } from '../lib/stats.ts';
import type { Drain } from './drain.ts';
import { rawDrain } from './raw-drain.ts';
import { runtimeDrain } from './runtime-drain.ts';
import { sqsConsumerDrain } from './sqs-consumer-drain.ts';

const MESSAGES = 15_000;
const WARM_UP_MESSAGES = 3_000;
const ROUNDS = 5;
/** Over ten times a drain's usual length on this 2-core machine. */
const DRAIN_DEADLINE_MS = 60_000;
const { maxConcurrency } = noopJob.settings;

type Arm = 'runtime' | 'raw' | 'sqs-consumer';

/**
 * The local runtime draining a backlog of no-op jobs, against the endpoint's
 * own ceiling and against sqs-consumer, all on the one embedded fauxqs, each
 * arm on its own queue with the job queue's attributes, in rotating order.
 */
export const consumerBenchmark: Benchmark = {
  name: 'consumer',
  title: 'Consumer throughput',
  run: async (): Promise<BenchResult> => {
    const runtime = await startBenchRuntime();
    try {
      runtime.pause(noopJob.name);
      const sqs = localSqsClient(runtime.sqsEndpoint);
      const attributes = specAttributes(jobQueueSpec(noopJob.settings));
      const jobQueueUrl = runtime.queues.get(noopJob.name)?.queue.url ?? '';
      const rawQueueUrl = await createQueue(sqs, 'bench-raw', attributes);
      const peerQueueUrl = await createQueue(sqs, 'bench-sqs-consumer', attributes);
      const arms: { name: Arm; queueUrl: string; drain: Drain }[] = [
        {
          name: 'runtime',
          queueUrl: jobQueueUrl,
          drain: runtimeDrain(runtime, noopJob.name, sqs, jobQueueUrl),
        },
        { name: 'raw', queueUrl: rawQueueUrl, drain: rawDrain(sqs, rawQueueUrl, maxConcurrency) },
        {
          name: 'sqs-consumer',
          queueUrl: peerQueueUrl,
          drain: sqsConsumerDrain(sqs, peerQueueUrl, maxConcurrency),
        },
      ];
      const settling = new Map<string, Promise<unknown>>();
      const rate = async (arm: (typeof arms)[number], count: number) => {
        await settling.get(arm.queueUrl);
        await preload(sqs, arm.queueUrl, count);
        // The previous arm's last long polls end before this arm's clock starts.
        await Promise.all(settling.values());
        const { messages, ms, settled } = await withDeadline(arm.name, arm.drain(count));
        settling.set(arm.queueUrl, settled);
        const left = await queueDepth(sqs, arm.queueUrl);
        if (left !== 0) throw new Error(`${arm.name}: ${left} messages left after the drain`);
        return { messages, ms, perSecond: messages / (ms / 1000) };
      };

      for (const arm of arms) await rate(arm, WARM_UP_MESSAGES);
      const rounds: Record<Arm, { messages: number; ms: number; perSecond: number }>[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const figures = {} as (typeof rounds)[number];
        for (const arm of rotate(arms, round)) figures[arm.name] = await rate(arm, MESSAGES);
        rounds.push(figures);
      }
      return summarize(rounds, runtime.concurrency(noopJob.name).peak);
    } finally {
      await runtime.stop();
    }
  },
};

/** A drain that stalls (a lost receive keeps messages in flight for the visibility timeout) fails the run instead of stretching it. */
async function withDeadline<T>(arm: string, drain: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${arm}: the drain did not finish within ${DRAIN_DEADLINE_MS} ms`)),
      DRAIN_DEADLINE_MS,
    );
  });
  try {
    return await Promise.race([drain, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function summarize(
  rounds: Record<Arm, { perSecond: number }>[],
  peakConcurrency: number,
): BenchResult {
  const rates = (arm: Arm) => median(rounds.map((r) => r[arm].perSecond));
  const ratioTo = (arm: Arm) => median(rounds.map((r) => r.runtime.perSecond / r[arm].perSecond));
  const figure = (label: string, arm: Arm) => ({
    label,
    value: rates(arm),
    unit: 'msg/s' as const,
  });
  return {
    rows: [
      resultRow({
        metric: 'drain rate vs raw ceiling',
        baseline: figure('raw receive+delete', 'raw'),
        candidate: figure('runtime', 'runtime'),
        ratio: ratioTo('raw'),
        target: { of: 'ratio', op: '>=', value: 0.8 },
      }),
      resultRow({
        metric: 'drain rate vs sqs-consumer',
        baseline: figure('sqs-consumer', 'sqs-consumer'),
        candidate: figure('runtime', 'runtime'),
        ratio: ratioTo('sqs-consumer'),
        target: { of: 'ratio', op: '>=', value: 1.5 },
      }),
    ],
    notes: [
      `${MESSAGES.toLocaleString('en-US')} messages per drain, ${ROUNDS} rounds in rotating order after a ${WARM_UP_MESSAGES.toLocaleString('en-US')}-message warm-up of each arm; concurrency ${maxConcurrency} everywhere (runtime peak: ${peakConcurrency}).`,
      'fauxqs, the consumers and the runtime share one Node.js process (the runtime adds its worker threads), as with `npm start`.',
    ],
    details: { messages: MESSAGES, rounds, concurrency: maxConcurrency, peakConcurrency },
  };
}
