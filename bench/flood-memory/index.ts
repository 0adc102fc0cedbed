import path from 'node:path';
import { startChild } from '../lib/child.ts';
import type { MemorySample } from '../lib/memory.ts';
import { type Benchmark, type BenchResult, resultRow } from '../lib/result.ts';
import { localSqsClient, preload, queueDepth } from '../lib/sqs.ts';
import { median, rotate } from '../lib/stats.ts';
import type { FromChild, ToChild } from './protocol.ts';

const BACKLOG = 100_000;
const ROUNDS = 3;

type Arm = 'runtime' | 'mailbox' | 'fauxqs';
type Round = Record<Arm, { idle: MemorySample; backlog: MemorySample }>;

const CHILD_FILES: Record<Arm, string> = {
  runtime: 'runtime-child.ts',
  mailbox: 'mailbox-child.ts',
  fauxqs: 'fauxqs-child.ts',
};

/**
 * RSS of the local runtime with a paused job and a 100,000-message backlog,
 * against its own idle RSS; next to an unbounded in-process mailbox growing by
 * as many messages, and to fauxqs alone holding the same backlog. Each arm in a
 * fresh process, in rotating order.
 */
export const floodMemoryBenchmark: Benchmark = {
  name: 'flood-memory',
  title: 'Flood memory',
  run: async (): Promise<BenchResult> => {
    const rounds: Round[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const figures = {} as Round;
      for (const arm of rotate(['runtime', 'mailbox', 'fauxqs'] as const, round)) {
        figures[arm] = await measureArm(arm);
      }
      rounds.push(figures);
    }
    return summarize(rounds);
  },
};

async function measureArm(arm: Arm): Promise<{ idle: MemorySample; backlog: MemorySample }> {
  const child = startChild<FromChild>(path.join(import.meta.dirname, CHILD_FILES[arm]), {
    execArgv: ['--expose-gc'],
  });
  const ask = async <T extends FromChild['type']>(message: ToChild, type: T) => {
    child.send(message);
    const reply = await child.next();
    if (reply.type !== type) throw new Error(`${arm}: expected ${type}, got ${reply.type}`);
    return reply as Extract<FromChild, { type: T }>;
  };
  try {
    const ready = await child.next();
    if (ready.type !== 'ready') throw new Error(`${arm}: expected ready, got ${ready.type}`);
    const idle = (await ask({ type: 'measure' }, 'memory')).memory;
    if (ready.sqsEndpoint && ready.queueUrl) {
      // Sent from this process, so that the child's memory holds the backlog and nothing of the sender.
      const sqs = localSqsClient(ready.sqsEndpoint);
      await preload(sqs, ready.queueUrl, BACKLOG);
      const depth = await queueDepth(sqs, ready.queueUrl);
      sqs.destroy();
      if (depth !== BACKLOG) throw new Error(`${arm}: ${depth} messages queued, not ${BACKLOG}`);
    } else {
      const { depth } = await ask({ type: 'fill', count: BACKLOG }, 'filled');
      if (depth < BACKLOG * 0.99) throw new Error(`mailbox: only ${depth} messages waiting`);
    }
    const backlog = (await ask({ type: 'measure' }, 'memory')).memory;
    child.send({ type: 'stop' } satisfies ToChild);
    return { idle, backlog };
  } finally {
    await child.exit();
  }
}

function summarize(rounds: Round[]): BenchResult {
  const rss = (arm: Arm, when: 'idle' | 'backlog') => median(rounds.map((r) => r[arm][when].rssMB));
  const ratio = (arm: Arm) => median(rounds.map((r) => r[arm].backlog.rssMB / r[arm].idle.rssMB));
  const growthMB = (arm: Arm) =>
    median(rounds.map((r) => r[arm].backlog.rssMB - r[arm].idle.rssMB));
  const bytesPerMessage = (arm: Arm) => Math.round((growthMB(arm) * 1024 * 1024) / BACKLOG);
  const row = (arm: Arm, metric: string, label: string, target: boolean) =>
    resultRow({
      metric,
      baseline: { label: `${label} idle`, value: rss(arm, 'idle'), unit: 'MB' },
      candidate: {
        label: `${label}, ${BACKLOG / 1000}k waiting`,
        value: rss(arm, 'backlog'),
        unit: 'MB',
      },
      ratio: ratio(arm),
      target: target ? { of: 'ratio', op: '<=', value: 1.25 } : undefined,
    });
  return {
    rows: [
      row('runtime', 'RSS, paused job with backlog', 'runtime', true),
      row('mailbox', 'RSS, unbounded mailbox', 'mailbox', false),
      row('fauxqs', 'RSS, fauxqs alone with backlog', 'fauxqs', false),
    ],
    notes: [
      `Growth for ${BACKLOG.toLocaleString('en-US')} messages of ~240 bytes: runtime ${growthMB('runtime').toFixed(1)} MB (${bytesPerMessage('runtime')} B/message), fauxqs alone ${growthMB('fauxqs').toFixed(1)} MB (${bytesPerMessage('fauxqs')} B/message), mailbox ${growthMB('mailbox').toFixed(1)} MB (${bytesPerMessage('mailbox')} B/message).`,
      'Locally the queue is fauxqs, in the runtime’s own process (in memory here; `npm start` also writes it to SQLite): the backlog is held there as a JS array. On AWS it is held by SQS, outside the function. The runtime itself takes no message while paused, and at most maxConcurrency x batchSize while running.',
      `RSS after two gcs, median of 5 samples; ${ROUNDS} rounds, each arm a fresh process, rotating order.`,
    ],
    details: { backlog: BACKLOG, rounds },
  };
}
