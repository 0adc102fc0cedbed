import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import type { RecordOutcome } from '../../core/outcomes.ts';
import { startDynamoDbServer } from '../../local/dynamodb/server.ts';
import { waitFor } from '../e2e/harness.ts';
import { steadyOnceJob } from './fixtures/jobs/steady-once.ts';
import { loggedIds, startFaultRuntime } from './harness.ts';
import { OutageProxy } from './proxy.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('the idempotency table is unreachable', () => {
  it('retries every record without running its handler, never acknowledging one, and runs each once when the table is back', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'bgjobs-table-'));
    cleanups.push(async () => rmSync(folder, { recursive: true, force: true }));
    const logFile = path.join(folder, 'handled.log');
    // Persisted, as `npm start` runs by default.
    const dynamodb = await startDynamoDbServer({ port: 0, dataDir: folder });
    cleanups.push(() => dynamodb.stop());
    const proxy = new OutageProxy(dynamodb.endpoint);
    await proxy.up();
    cleanups.push(() => proxy.down());
    const { runtime, sqs } = await startFaultRuntime([steadyOnceJob], {
      dynamodbEndpoint: proxy.endpoint,
    });
    cleanups.push(() => runtime.stop());
    const outcomes: { messageId: string; outcome: RecordOutcome }[] = [];
    runtime.events.on('outcome', ({ messageId, outcome }) => outcomes.push({ messageId, outcome }));

    await proxy.down();
    const { Successful = [] } = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: runtime.queues.get('steady-once')?.queue.url,
        Entries: Array.from({ length: 10 }, (_, n) => ({
          Id: String(n),
          MessageBody: JSON.stringify({ n, log: logFile }),
        })),
      }),
    );
    const ids = Successful.map((entry) => entry.MessageId ?? '');
    await waitFor(
      'every record retried once for the table',
      () => (ids.every((id) => outcomes.some((o) => o.messageId === id)) ? true : undefined),
      30_000,
    );
    const whileDown = outcomes.map((o) => o.outcome);
    expect(loggedIds(logFile)).toEqual([]);
    for (const outcome of whileDown) {
      expect(outcome).toMatchObject({
        status: 'retry',
        reason: expect.stringMatching(
          /^IdempotencyStoreError: the idempotency table bgjobs--idempotency could not be used .*; the handler did not run$/,
        ),
      });
    }

    await proxy.up();
    await waitFor(
      'every record handled',
      () => (loggedIds(logFile).length >= ids.length ? true : undefined),
      30_000,
    );
    // Final once every record's last outcome is a success and the queue holds nothing: no run can follow.
    await waitFor(
      'every record succeeded and deleted',
      async () => {
        const succeeded = ids.every(
          (id) => outcomes.filter((o) => o.messageId === id).at(-1)?.outcome.status === 'succeeded',
        );
        const { Attributes: a } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: runtime.queues.get('steady-once')?.queue.url,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
            ],
          }),
        );
        const empty =
          a?.ApproximateNumberOfMessages === '0' &&
          a?.ApproximateNumberOfMessagesNotVisible === '0';
        return succeeded && empty ? true : undefined;
      },
      30_000,
    );
    expect(loggedIds(logFile).sort()).toEqual(
      Array.from({ length: 10 }, (_, n) => String(n)).sort(),
    );
    for (const id of ids) {
      expect(outcomes.filter((o) => o.messageId === id).at(-1)?.outcome.status).toBe('succeeded');
    }
  });
});
