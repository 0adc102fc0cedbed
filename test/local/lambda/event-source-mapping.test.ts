import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../local/runtime.ts';
import { type SqsServer, startSqsServer } from '../../../local/sqs/server.ts';
import {
  FIXTURE_JOBS_DIR,
  LOCAL_CREDENTIALS,
  startIsolatedRuntime,
  waitFor,
} from '../../e2e/harness.ts';
import { echoJob } from '../fixtures/jobs/echo.ts';
import { ReceiveCounter } from './receive-counter.ts';

let server: SqsServer;
let counter: ReceiveCounter;
let runtime: LocalRuntime | undefined;
beforeEach(async () => {
  server = await startSqsServer({ port: 0, dataDir: undefined });
  counter = new ReceiveCounter(server.endpoint);
  await counter.start();
});
afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
  await counter.stop();
  await server.stop();
});

async function start(): Promise<LocalRuntime> {
  runtime = await startIsolatedRuntime({
    jobs: [echoJob],
    jobsDir: FIXTURE_JOBS_DIR,
    sqsEndpoint: counter.endpoint,
    log: () => {},
  });
  return runtime;
}

describe('the local event source mapping', () => {
  it('keeps one long poll out on an empty queue', async () => {
    await start();
    const seen: number[] = [];
    counter.on('receive', (outstanding) => seen.push(outstanding));
    // The second receive comes once the first long poll (5 s) came back empty.
    await waitFor('a second receive', () => (seen.length >= 2 ? true : undefined), 15_000);
    expect(Math.max(...seen)).toBe(1);
  });

  it('receives several batches at once while messages keep coming, never past maxConcurrency with the batches in flight', async () => {
    const started = await start();
    const { maxConcurrency } = echoJob.settings;
    let peakSlots = 0;
    counter.on('receive', (outstanding) => {
      peakSlots = Math.max(peakSlots, outstanding + started.concurrency('echo').inFlight);
    });
    const log = path.join(mkdtempSync(path.join(tmpdir(), 'bgjobs-mapping-')), 'handled.log');
    const sqs = new SQSClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
    const queueUrl = started.queues.get('echo')?.queue.url;
    for (let i = 0; i < 300; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Array.from({ length: 10 }, (_, j) => ({
            Id: String(j),
            MessageBody: JSON.stringify({ n: i + j, waitMs: 2, log }),
          })),
        }),
      );
    }
    await waitFor(
      'every message handled',
      () => {
        const lines = readFileSync(log, { encoding: 'utf8', flag: 'a+' }).split('\n');
        return lines.filter(Boolean).length >= 300 ? true : undefined;
      },
      30_000,
    );
    sqs.destroy();
    expect(counter.peak).toBeGreaterThan(1);
    expect(counter.peak).toBeLessThanOrEqual(maxConcurrency);
    expect(peakSlots).toBeLessThanOrEqual(maxConcurrency);
  });
});
