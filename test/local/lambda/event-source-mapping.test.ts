import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalRuntime, LocalRuntimeOptions } from '../../../local/runtime.ts';
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

async function start(options: Partial<LocalRuntimeOptions> = {}): Promise<LocalRuntime> {
  runtime = await startIsolatedRuntime({
    jobs: [echoJob],
    jobsDir: FIXTURE_JOBS_DIR,
    sqsEndpoint: counter.endpoint,
    log: () => {},
    ...options,
  });
  return runtime;
}

/** Sends `count` echo messages that log their ids to a new file; returns the file. */
async function sendEchoes(started: LocalRuntime, count: number, waitMs: number): Promise<string> {
  const log = path.join(mkdtempSync(path.join(tmpdir(), 'bgjobs-mapping-')), 'handled.log');
  const sqs = new SQSClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  const queueUrl = started.queues.get('echo')?.queue.url;
  for (let i = 0; i < count; i += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Array.from({ length: Math.min(10, count - i) }, (_, j) => ({
          Id: String(j),
          MessageBody: JSON.stringify({ n: i + j, waitMs, log }),
        })),
      }),
    );
  }
  sqs.destroy();
  return log;
}

function handledIds(log: string): string[] {
  const lines = readFileSync(log, { encoding: 'utf8', flag: 'a+' }).split('\n').filter(Boolean);
  return lines.map((line) => line.split(' ')[0] ?? '');
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
    const log = await sendEchoes(started, 300, 2);
    await waitFor(
      'every message handled',
      () => (handledIds(log).length >= 300 ? true : undefined),
      30_000,
    );
    expect(counter.peak).toBeGreaterThan(1);
    expect(counter.peak).toBeLessThanOrEqual(maxConcurrency);
    expect(peakSlots).toBeLessThanOrEqual(maxConcurrency);
  });

  it('deletes every message it handled before stop returns', async () => {
    const started = await start();
    const log = await sendEchoes(started, 50, 0);
    await waitFor(
      'every message handled',
      () => (handledIds(log).length >= 50 ? true : undefined),
      30_000,
    );
    await started.stop();
    runtime = undefined;
    expect(new Set(handledIds(log)).size).toBe(50);
    expect(counter.deleted).toBe(50);
  });

  it('waits for the deletes of the batches handled, not only for the function, until the grace period ends', async () => {
    const lines: string[] = [];
    const started = await start({ shutdownGraceMs: 300, log: (line) => lines.push(line) });
    counter.holdDeletes();
    const log = await sendEchoes(started, 10, 0);
    await new Promise<void>((resolve) => {
      const onHeld = (entries: number) => {
        if (entries < 10) return;
        counter.off('deleteHeld', onHeld);
        resolve();
      };
      counter.on('deleteHeld', onHeld);
    });
    expect(started.concurrency('echo').inFlight).toBe(0);
    await started.stop();
    runtime = undefined;
    expect(new Set(handledIds(log)).size).toBe(10);
    expect(counter.deleted).toBe(0);
    expect(lines.join('\n')).toMatch(/[1-9]\d* batch\(es\) did not finish in 300 ms/);
  });
});
