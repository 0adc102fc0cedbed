import path from 'node:path';
import { startChild } from '../lib/child.ts';
import type { MemorySample } from '../lib/memory.ts';
import { type Benchmark, type BenchResult, resultRow } from '../lib/result.ts';
import { localSqsClient, preload, queueDepth } from '../lib/sqs.ts';
import { median, rotate, sleep } from '../lib/stats.ts';
import type { FromChild, ToChild } from './protocol.ts';

const BACKLOG = 100_000;
const ROUNDS = 3;
/** How long a runtime idles before its second idle reading (it settles within about 20 s). */
const SETTLE_MS = 20_000;

type Arm = 'runtime' | 'runtime-thread' | 'mailbox' | 'fauxqs';
interface Reading {
  readonly idle: MemorySample;
  /** A runtime arm's second idle reading, SETTLE_MS later, before anything is sent. */
  readonly idleLater?: MemorySample;
  readonly backlog: MemorySample;
  /** The SQS endpoint's own process, idle and with the backlog (runtime arm only). */
  readonly sqsEndpointRssMB?: { readonly idle: number; readonly backlog: number };
}
type Round = Record<Arm, Reading>;

const CHILDREN: Record<Arm, { file: string; args?: string[] }> = {
  runtime: { file: 'runtime-child.ts' },
  'runtime-thread': { file: 'runtime-child.ts', args: ['thread'] },
  mailbox: { file: 'mailbox-child.ts' },
  fauxqs: { file: 'fauxqs-child.ts' },
};

/**
 * RSS of the local runtime with a paused job and a 100,000-message backlog,
 * against its own idle RSS, with its SQS endpoint in a process of its own (as
 * `npm start` runs it) and, as the alternative, in a worker thread; next to
 * an unbounded in-process mailbox growing by as many messages, and to fauxqs
 * alone holding the same backlog. Each arm in a fresh process, in rotating order.
 */
export const floodMemoryBenchmark: Benchmark = {
  name: 'flood-memory',
  title: 'Flood memory',
  run: async (): Promise<BenchResult> => {
    const rounds: Round[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const figures = {} as Round;
      const arms = ['runtime', 'runtime-thread', 'mailbox', 'fauxqs'] as const;
      for (const arm of rotate(arms, round)) figures[arm] = await measureArm(arm);
      rounds.push(figures);
    }
    return summarize(rounds);
  },
};

async function measureArm(arm: Arm): Promise<Reading> {
  const { file, args } = CHILDREN[arm];
  const child = startChild<FromChild>(path.join(import.meta.dirname, file), {
    args,
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
    const idle = await ask({ type: 'measure' }, 'memory');
    let idleLater: MemorySample | undefined;
    if (arm === 'runtime' || arm === 'runtime-thread') {
      await sleep(SETTLE_MS);
      idleLater = (await ask({ type: 'measure' }, 'memory')).memory;
    }
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
    const backlog = await ask({ type: 'measure' }, 'memory');
    child.send({ type: 'stop' } satisfies ToChild);
    const endpoint =
      idle.sqsEndpointRssMB !== undefined && backlog.sqsEndpointRssMB !== undefined
        ? { idle: idle.sqsEndpointRssMB, backlog: backlog.sqsEndpointRssMB }
        : undefined;
    return { idle: idle.memory, idleLater, backlog: backlog.memory, sqsEndpointRssMB: endpoint };
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
  const endpoint = (when: 'idle' | 'backlog') =>
    median(rounds.map((r) => r.runtime.sqsEndpointRssMB?.[when] ?? Number.NaN));
  const endpointRatio = median(
    rounds.map(
      (r) =>
        (r.runtime.sqsEndpointRssMB?.backlog ?? Number.NaN) /
        (r.runtime.sqsEndpointRssMB?.idle ?? Number.NaN),
    ),
  );
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
      target: target ? { of: 'ratio', op: '<=', value: 1.15 } : undefined,
    });
  return {
    rows: [
      row('runtime', 'RSS, paused job with backlog', 'runtime', true),
      resultRow({
        metric: 'RSS, runtime idle 20 s later, no backlog',
        baseline: { label: 'runtime idle', value: rss('runtime', 'idle'), unit: 'MB' },
        candidate: {
          label: `runtime idle ${SETTLE_MS / 1000} s later`,
          value: median(rounds.map((r) => r.runtime.idleLater?.rssMB ?? Number.NaN)),
          unit: 'MB',
        },
        ratio: median(
          rounds.map((r) => (r.runtime.idleLater?.rssMB ?? Number.NaN) / r.runtime.idle.rssMB),
        ),
        target: undefined,
      }),
      resultRow({
        metric: 'RSS of its SQS endpoint process',
        baseline: { label: 'endpoint idle', value: endpoint('idle'), unit: 'MB' },
        candidate: {
          label: `endpoint, ${BACKLOG / 1000}k waiting`,
          value: endpoint('backlog'),
          unit: 'MB',
        },
        ratio: endpointRatio,
        target: undefined,
      }),
      row('runtime-thread', 'RSS, endpoint in a worker thread', 'runtime+thread', false),
      row('mailbox', 'RSS, unbounded mailbox', 'mailbox', false),
      row('fauxqs', 'RSS, fauxqs alone with backlog', 'fauxqs', false),
    ],
    notes: [
      `Growth for ${BACKLOG.toLocaleString('en-US')} messages of ~240 bytes: runtime ${growthMB('runtime').toFixed(1)} MB (${bytesPerMessage('runtime')} B/message), its SQS endpoint process ${(endpoint('backlog') - endpoint('idle')).toFixed(1)} MB, runtime with the endpoint in a worker thread ${growthMB('runtime-thread').toFixed(1)} MB (${bytesPerMessage('runtime-thread')} B/message), fauxqs alone ${growthMB('fauxqs').toFixed(1)} MB (${bytesPerMessage('fauxqs')} B/message), mailbox ${growthMB('mailbox').toFixed(1)} MB (${bytesPerMessage('mailbox')} B/message).`,
      'The runtime’s SQS endpoint (fauxqs, in memory here; `npm start` also writes it to SQLite) is a process of its own, as SQS is outside the function on AWS: the backlog grows the endpoint, not the runtime. In a worker thread it would still count in the runtime’s RSS (one process). The runtime itself takes no message while paused, and at most maxConcurrency x batchSize while running.',
      `A runtime settles in its first seconds (V8 and its HTTP clients grow a little, then stay flat): the second idle reading, ${SETTLE_MS / 1000} s after the first with nothing sent, shows how much of its growth is that and not the backlog. The target still compares with the first reading.`,
      `RSS after two gcs, median of 5 samples (the endpoint process as it stands, not collected); ${ROUNDS} rounds, each arm a fresh process, rotating order.`,
    ],
    details: { backlog: BACKLOG, rounds },
  };
}
