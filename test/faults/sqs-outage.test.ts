import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, type EnqueueResult } from '../../client/index.ts';
import type { JobDefinition } from '../../core/job.ts';
import { startSqsServer } from '../../local/sqs/server.ts';
import { drain, LOCAL_CREDENTIALS, waitFor } from '../e2e/harness.ts';
import { steadyJob } from './fixtures/jobs/steady.ts';
import { steadyOnceJob } from './fixtures/jobs/steady-once.ts';
import { loggedIds, startFaultRuntime } from './harness.ts';
import { OutageProxy } from './proxy.ts';

/** `npm run soak` sets 20 s; the fast suite takes the endpoint down for 3 s. */
const OUTAGE_MS = Number(process.env.BGJOBS_FAULT_OUTAGE_SECONDS ?? 3) * 1000;
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/**
 * Publishes 20 payloads every 100 ms for a second, through an outage of the
 * SQS endpoint, and a second after; workers consume throughout. Returns every
 * payload's result and what the job logged once every accepted message is handled.
 */
async function publishThroughOutage(job: JobDefinition, logged: (result: Published) => string) {
  const folder = mkdtempSync(path.join(tmpdir(), 'bgjobs-outage-'));
  cleanups.push(async () => rmSync(folder, { recursive: true, force: true }));
  const logFile = path.join(folder, 'handled.log');
  // Persisted, as `npm start` runs by default.
  const server = await startSqsServer({ port: 0, dataDir: path.join(folder, 'sqs') });
  cleanups.push(() => server.stop());
  const proxy = new OutageProxy(server.endpoint);
  await proxy.up();
  cleanups.push(() => proxy.down());
  const { runtime } = await startFaultRuntime([job], { sqsEndpoint: proxy.endpoint });
  cleanups.push(() => runtime.stop());
  const problems: string[] = [];
  runtime.events.on('problem', ({ error }) => problems.push(error.message));
  let suppressed = 0;
  runtime.events.on('outcome', ({ outcome }) => {
    if (outcome.status === 'duplicate') suppressed += 1;
  });

  const client = createClient({
    jobs: [job],
    sqs: new SQSClient({
      endpoint: proxy.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    }),
  });
  // Warm workers first: cold ones (loading the bundle) can hold every batch slot through a short
  // outage on a loaded machine, and then no worker meets it.
  const warmLog = `${logFile}.warm`;
  const warm = await client.enqueueMany(
    job.name,
    Array.from({ length: 40 }, (_, i) => ({ n: -1 - i, log: warmLog })),
  );
  await waitFor(
    'the warm-up messages handled',
    () => (loggedIds(warmLog).length >= warm.length ? true : undefined),
    60_000,
  );

  const published: Published[] = [];
  let n = 0;
  const publishFor = async (ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const payloads = Array.from({ length: 20 }, () => ({ n: n++, log: logFile }));
      const results = await client.enqueueMany(job.name, payloads);
      published.push(...results.map((result, i) => ({ n: payloads[i]?.n ?? -1, result })));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  await publishFor(1000);
  // Warm and idle: every message so far handled, no batch in flight, so the event source
  // mapping is in a long poll when the endpoint goes (a cold worker under load can hold
  // every slot through a short outage, and a full mapping does not receive).
  await waitFor(
    'the messages sent before the outage handled, and the mapping idle',
    () => {
      const handled = new Set(loggedIds(logFile));
      const sentSoFar = published.filter((p) => p.result.ok);
      const idle = runtime.concurrency(job.name).inFlight === 0;
      return idle && sentSoFar.every((p) => handled.has(logged(p))) ? true : undefined;
    },
    30_000,
  );
  await proxy.down();
  const outage = publishFor(OUTAGE_MS);
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  await proxy.up();
  await outage;
  await publishFor(1000);

  const sent = published.filter((p) => p.result.ok);
  const refused = published.filter((p) => !p.result.ok);
  // Every message has a result: sent, or an error that says why.
  expect(sent.length + refused.length).toBe(n);
  for (const { result } of refused) {
    if (!result.ok) expect(result.error).toMatch(/send failed: .+/);
  }
  await waitFor(
    'every sent message handled',
    () => {
      const handled = new Set(loggedIds(logFile));
      return sent.every((p) => handled.has(logged(p))) ? true : undefined;
    },
    30_000 + 6 * job.settings.timeoutSeconds * 1000,
  );
  const direct = new SQSClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  const deadLetters = await drain(direct, runtime.queues.get(job.name)?.deadLetterQueue.url ?? '');
  const queueUrl = runtime.queues.get(job.name)?.queue.url ?? '';
  const failedReceives = problems.filter((p) => p.startsWith('receive failed')).length;
  return {
    n,
    sent,
    refused,
    deadLetters,
    failedReceives,
    problems,
    handled: () => loggedIds(logFile),
    suppressed: () => suppressed,
    /** True once the queue holds nothing, visible or in flight: every delivery handled and deleted. */
    queueEmpty: async () => {
      const { Attributes: a } = await direct.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return (
        a?.ApproximateNumberOfMessages === '0' && a?.ApproximateNumberOfMessagesNotVisible === '0'
      );
    },
  };
}

interface Published {
  readonly n: number;
  readonly result: EnqueueResult;
}

describe('the SQS endpoint goes down while publishing and consuming', () => {
  it(
    `publishers retry or fail per message, workers back off and recover, nothing is lost (${OUTAGE_MS / 1000} s outage)`,
    async () => {
      const run = await publishThroughOutage(steadyJob, (p) =>
        p.result.ok ? p.result.messageId : '',
      );
      // The workers hit the outage, backed off, and came back.
      expect(
        run.problems.some((p) => p.startsWith('receive failed')),
        run.problems.join('\n'),
      ).toBe(true);
      const handled = run.handled();
      console.log(
        `outage ${OUTAGE_MS} ms: ${run.n} published, ${run.sent.length} accepted, ${run.refused.length} refused with an error, ` +
          `${new Set(handled).size} handled (${handled.length - new Set(handled).size} duplicates), ${run.deadLetters.length} dead letters, ` +
          `${run.failedReceives} failed receives`,
      );
      expect(run.deadLetters).toEqual([]);
      // Backed off: one poll a second once the five that may have been out have failed.
      expect(run.failedReceives).toBeLessThanOrEqual(5 + Math.ceil(OUTAGE_MS / 1000) + 1);
    },
    60_000 + 2 * OUTAGE_MS,
  );

  it(
    `an idempotent job keyed by the payload has every accepted message's effect exactly once (${OUTAGE_MS / 1000} s outage)`,
    async () => {
      const run = await publishThroughOutage(steadyOnceJob, (p) => String(p.n));
      // The workers hit the outage: a receive, or a delete of handled messages (which then come back).
      expect(
        run.problems.some((p) => /^(receive failed|delete of)/.test(p)),
        run.problems.join('\n'),
      ).toBe(true);
      // Deliveries of messages done before their delete was lost come back after the visibility
      // timeout: final once the queue holds nothing, visible or in flight.
      await waitFor(
        'the queue empty: every delivery and redelivery handled and deleted',
        async () => ((await run.queueEmpty()) ? true : undefined),
        (steadyOnceJob.settings.visibilityTimeoutSeconds + 30) * 1000,
      );
      const effects = new Map<string, number>();
      for (const key of run.handled()) effects.set(key, (effects.get(key) ?? 0) + 1);
      const twice = [...effects].filter(([, count]) => count > 1);
      console.log(
        `outage ${OUTAGE_MS} ms, idempotent job: ${run.n} published, ${run.sent.length} accepted, ${run.refused.length} refused with an error, ` +
          `${effects.size} keys handled, ${twice.length} handled twice, ${run.suppressed()} duplicates suppressed, ${run.deadLetters.length} dead letters, ${run.failedReceives} failed receives`,
      );
      expect(twice).toEqual([]);
      // Accepted ones all ran; a refused one may have reached SQS (its answer was lost): then once too.
      expect(run.sent.filter((p) => !effects.has(String(p.n)))).toEqual([]);
      expect(run.deadLetters).toEqual([]);
    },
    120_000 + 2 * OUTAGE_MS,
  );
});
