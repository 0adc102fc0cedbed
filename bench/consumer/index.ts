import { specAttributes } from '../../core/queue-attributes.ts';
import { jobQueueSpec } from '../../core/queue-spec.ts';
import { noopJob } from '../jobs/noop.ts';
import { type Benchmark, type BenchResult, resultRow } from '../lib/result.ts';
import { startBenchRuntime } from '../lib/runtime.ts';
import { createQueue, localSqsClient, preload, queueDepth } from '../lib/sqs.ts';
import { startSqsThread } from '../lib/sqs-thread.ts';
import { median, rotate } from '../lib/stats.ts';
import type { Drain } from './drain.ts';
import { rawDrain } from './raw-drain.ts';
import { runtimeDrain } from './runtime-drain.ts';
import { sqsConsumerDrain } from './sqs-consumer-drain.ts';

const MESSAGES = 15_000;
const WARM_UP_MESSAGES = 3_000;
const ROUNDS = 5;
/** The worker-thread endpoint is the alternative, measured for reference: fewer rounds. */
const THREAD_ROUNDS = 3;
/** Over ten times a drain's usual length on this 2-core machine. */
const DRAIN_DEADLINE_MS = 60_000;
const { maxConcurrency } = noopJob.settings;

type Arm = 'runtime' | 'raw' | 'sqs-consumer';
type Rates = Partial<Record<Arm, { messages: number; ms: number; perSecond: number }>>;

/**
 * The local runtime draining a backlog of no-op jobs, against the endpoint's
 * own ceiling and against sqs-consumer, all on one embedded fauxqs, each arm
 * on its own queue with the job queue's attributes, in rotating order. The
 * endpoint is a process of its own, as `npm start` runs it; then, for
 * reference, the runtime and the ceiling again with fauxqs in a worker thread
 * of the benchmark's process instead.
 */
export const consumerBenchmark: Benchmark = {
  name: 'consumer',
  title: 'Consumer throughput',
  run: async (): Promise<BenchResult> => {
    const own = await drainRounds('process', ['runtime', 'raw', 'sqs-consumer'], ROUNDS);
    const thread = await drainRounds('thread', ['runtime', 'raw'], THREAD_ROUNDS);
    return summarize(own, thread);
  },
};

/** Rounds of drains in rotating order, on a runtime whose SQS endpoint is a process or a thread. */
async function drainRounds(
  endpoint: 'process' | 'thread',
  names: readonly Arm[],
  rounds: number,
): Promise<{ rounds: Rates[]; peakConcurrency: number }> {
  const thread = endpoint === 'thread' ? await startSqsThread() : undefined;
  const runtime = await startBenchRuntime({ sqsEndpoint: thread?.endpoint });
  try {
    runtime.pause(noopJob.name);
    const sqs = localSqsClient(runtime.sqsEndpoint);
    const attributes = specAttributes(jobQueueSpec(noopJob.settings));
    const jobQueueUrl = runtime.queues.get(noopJob.name)?.queue.url ?? '';
    const rawQueueUrl = await createQueue(sqs, 'bench-raw', attributes);
    const peerQueueUrl = await createQueue(sqs, 'bench-sqs-consumer', attributes);
    const all: { name: Arm; queueUrl: string; drain: Drain }[] = [
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
    const arms = all.filter((arm) => names.includes(arm.name));
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
    const results: Rates[] = [];
    for (let round = 0; round < rounds; round++) {
      const figures: Rates = {};
      for (const arm of rotate(arms, round)) figures[arm.name] = await rate(arm, MESSAGES);
      results.push(figures);
    }
    await Promise.all(settling.values());
    sqs.destroy();
    return { rounds: results, peakConcurrency: runtime.concurrency(noopJob.name).peak };
  } finally {
    await runtime.stop();
    await thread?.stop();
  }
}

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
  own: { rounds: Rates[]; peakConcurrency: number },
  thread: { rounds: Rates[] },
): BenchResult {
  const perSecond = (rounds: Rates[], arm: Arm) => rounds.map((r) => r[arm]?.perSecond ?? 0);
  const figure = (rounds: Rates[], label: string, arm: Arm) => ({
    label,
    value: median(perSecond(rounds, arm)),
    unit: 'msg/s' as const,
  });
  const ratioTo = (rounds: Rates[], arm: Arm) =>
    median(rounds.map((r) => (r.runtime?.perSecond ?? 0) / (r[arm]?.perSecond ?? 1)));
  return {
    rows: [
      resultRow({
        metric: 'drain rate vs raw ceiling',
        baseline: figure(own.rounds, 'raw receive+delete', 'raw'),
        candidate: figure(own.rounds, 'runtime', 'runtime'),
        ratio: ratioTo(own.rounds, 'raw'),
        target: { of: 'ratio', op: '>=', value: 0.9 },
      }),
      resultRow({
        metric: 'drain rate vs sqs-consumer',
        baseline: figure(own.rounds, 'sqs-consumer', 'sqs-consumer'),
        candidate: figure(own.rounds, 'runtime', 'runtime'),
        ratio: ratioTo(own.rounds, 'sqs-consumer'),
        target: { of: 'ratio', op: '>=', value: 1.5 },
      }),
      resultRow({
        metric: 'drain rate vs raw, endpoint in a thread',
        baseline: figure(thread.rounds, 'raw, endpoint in a thread', 'raw'),
        candidate: figure(thread.rounds, 'runtime, endpoint in a thread', 'runtime'),
        ratio: ratioTo(thread.rounds, 'raw'),
        target: undefined,
      }),
    ],
    notes: [
      `${MESSAGES.toLocaleString('en-US')} messages per drain, ${ROUNDS} rounds in rotating order after a ${WARM_UP_MESSAGES.toLocaleString('en-US')}-message warm-up of each arm (${THREAD_ROUNDS} rounds with the endpoint in a thread); concurrency ${maxConcurrency} everywhere (runtime peak: ${own.peakConcurrency}).`,
      'The SQS endpoint (fauxqs) is a process of its own, as `npm start` runs it; the consumers and the runtime (with its worker threads) share the benchmark’s process. The reference row runs fauxqs in a worker thread of that process instead.',
    ],
    details: {
      messages: MESSAGES,
      rounds: own.rounds,
      threadRounds: thread.rounds,
      concurrency: maxConcurrency,
      peakConcurrency: own.peakConcurrency,
    },
  };
}
