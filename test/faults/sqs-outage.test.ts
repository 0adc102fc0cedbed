import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, type EnqueueResult } from '../../client/index.ts';
import { startSqsServer } from '../../local/sqs/server.ts';
import { drain, LOCAL_CREDENTIALS, waitFor } from '../e2e/harness.ts';
import { steadyJob } from './fixtures/jobs/steady.ts';
import { loggedIds, startFaultRuntime } from './harness.ts';
import { OutageProxy } from './proxy.ts';

/** `npm run soak` sets 20 s; the fast suite takes the endpoint down for 3 s. */
const OUTAGE_MS = Number(process.env.BGJOBS_FAULT_OUTAGE_SECONDS ?? 3) * 1000;
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('the SQS endpoint goes down while publishing and consuming', () => {
  it(
    `publishers retry or fail per message, workers back off and recover, nothing is lost (${OUTAGE_MS / 1000} s outage)`,
    async () => {
      const logFile = path.join(mkdtempSync(path.join(tmpdir(), 'bgjobs-outage-')), 'handled.log');
      const server = await startSqsServer({ port: 0, dataDir: undefined });
      cleanups.push(() => server.stop());
      const proxy = new OutageProxy(server.endpoint);
      await proxy.up();
      cleanups.push(() => proxy.down());
      const { runtime } = await startFaultRuntime([steadyJob], { sqsEndpoint: proxy.endpoint });
      cleanups.push(() => runtime.stop());
      const problems: string[] = [];
      runtime.events.on('problem', ({ error }) => problems.push(error.message));

      const client = createClient({
        jobs: [steadyJob],
        sqs: new SQSClient({
          endpoint: proxy.endpoint,
          region: 'us-east-1',
          credentials: LOCAL_CREDENTIALS,
        }),
      });
      const results: EnqueueResult[] = [];
      let n = 0;
      const publishFor = async (ms: number) => {
        const end = Date.now() + ms;
        while (Date.now() < end) {
          results.push(
            ...(await client.enqueueMany(
              'steady',
              Array.from({ length: 20 }, () => ({ n: n++, log: logFile })),
            )),
          );
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
          const sentSoFar = results.filter((r) => r.ok).map((r) => r.messageId);
          const idle = runtime.concurrency('steady').inFlight === 0;
          return idle && sentSoFar.every((id) => handled.has(id)) ? true : undefined;
        },
        30_000,
      );
      await proxy.down();
      const outage = publishFor(OUTAGE_MS);
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      await proxy.up();
      await outage;
      await publishFor(1000);

      const sent = results.filter((r) => r.ok).map((r) => r.messageId);
      const refused = results.filter((r) => !r.ok);
      // Every message has a result: sent, or an error that says why.
      expect(sent.length + refused.length).toBe(n);
      for (const failure of refused) expect(failure.error).toMatch(/send failed: .+/);

      // The workers hit the outage, backed off, and came back.
      expect(
        problems.some((p) => p.startsWith('receive failed')),
        problems.join('\n'),
      ).toBe(true);
      await waitFor(
        'every sent message handled',
        () => {
          const handled = new Set(loggedIds(logFile));
          return sent.every((id) => handled.has(id)) ? true : undefined;
        },
        30_000 + 6 * steadyJob.settings.timeoutSeconds * 1000,
      );
      const handled = loggedIds(logFile);
      const direct = new SQSClient({
        endpoint: server.endpoint,
        region: 'us-east-1',
        credentials: LOCAL_CREDENTIALS,
      });
      const deadLetters = await drain(
        direct,
        runtime.queues.get('steady')?.deadLetterQueue.url ?? '',
      );
      console.log(
        `outage ${OUTAGE_MS} ms: ${n} published, ${sent.length} accepted, ${refused.length} refused with an error, ` +
          `${new Set(handled).size} handled (${handled.length - new Set(handled).size} duplicates), ${deadLetters.length} dead letters, ` +
          `${problems.filter((p) => p.startsWith('receive failed')).length} failed receives`,
      );
      expect(deadLetters).toEqual([]);
      // Backed off: one poll a second once the five that may have been out have failed.
      const failedReceives = problems.filter((p) => p.startsWith('receive failed')).length;
      expect(failedReceives).toBeLessThanOrEqual(5 + Math.ceil(OUTAGE_MS / 1000) + 1);
    },
    60_000 + 2 * OUTAGE_MS,
  );
});
