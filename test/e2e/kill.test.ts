import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { startDynamoDbServer } from '../../local/dynamodb/server.ts';
import { tallyJob } from '../local/fixtures/jobs/tally.ts';
import { drain, LOCAL_CREDENTIALS, waitFor } from './harness.ts';
import {
  flood,
  freePort,
  handledIds,
  kill9,
  refused,
  startRuntimeProcess,
} from './kill-harness.ts';

/** `npm run soak` floods 10,000; the fast suite 2,000. */
const MESSAGES = Number(process.env.BGJOBS_KILL_MESSAGES ?? 2000);
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

const sqsOn = (port: number) =>
  new SQSClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 10,
  });

function scratch(): { dataDir: string; logFile: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'bgjobs-kill-'));
  return { dataDir: path.join(dir, 'data'), logFile: path.join(dir, 'handled.log') };
}

describe('kill -9 of the local runtime', () => {
  it(
    'loses no message: after a restart every message sent is handled or dead-lettered',
    async () => {
      const { dataDir, logFile } = scratch();
      const port = await freePort();
      let { child } = await startRuntimeProcess(children, port, dataDir);
      const sqs = sqsOn(port);
      const { queueUrl, sent } = await flood(sqs, 'bgjobs--echo', MESSAGES, logFile);
      expect(sent.size).toBe(MESSAGES);

      await waitFor(
        'some messages handled',
        () => (handledIds(logFile).length >= 300 ? true : undefined),
        30_000,
      );
      await kill9(child);
      // The SQS endpoint's process ends with the runtime's: no orphan keeps the port.
      await waitFor('the SQS port to be free', async () =>
        (await refused(port)) ? true : undefined,
      );
      const handledBeforeKill = new Set(handledIds(logFile)).size;
      expect(handledBeforeKill).toBeLessThan(MESSAGES);

      ({ child } = await startRuntimeProcess(children, port, dataDir));
      // Messages in flight at the kill come back after the visibility timeout (6 x 2 s).
      await waitFor(
        'every message handled',
        () => {
          const ids = new Set(handledIds(logFile));
          return [...sent].every((id) => ids.has(id)) ? true : undefined;
        },
        60_000 + MESSAGES * 20,
      );
      const ids = handledIds(logFile);
      const deadLetters = await drain(sqs, queueUrl.replace('bgjobs--echo', 'bgjobs--echo--dlq'));
      const out = new Set([...ids, ...deadLetters.map((m) => m.MessageId ?? '')]);
      expect([...sent].filter((id) => !out.has(id))).toEqual([]);
      // At least once: a message whose delete was lost in the kill may run twice; count, don't hide.
      const duplicates = ids.length - new Set(ids).size;
      console.log(
        `kill -9: ${MESSAGES} sent, ${handledBeforeKill} handled before the kill, ${new Set(ids).size} handled in all, ${duplicates} duplicates, ${deadLetters.length} dead letters`,
      );
      expect(new Set(ids).size + deadLetters.length).toBeGreaterThanOrEqual(MESSAGES);
    },
    120_000 + MESSAGES * 30,
  );

  it(
    'an idempotent job runs each message once, but for a record killed between its effect and marking its key done',
    async () => {
      const { dataDir, logFile } = scratch();
      const port = await freePort();
      let runtime = await startRuntimeProcess(children, port, dataDir, 'tally');
      const sqs = sqsOn(port);
      const { queueUrl, sent } = await flood(sqs, 'bgjobs--tally', MESSAGES, logFile);
      expect(sent.size).toBe(MESSAGES);

      await waitFor(
        'some messages handled',
        () => (handledIds(logFile).length >= 300 ? true : undefined),
        30_000,
      );
      await kill9(runtime.child);
      // What the kill left: the effects written, and the keys still held (the table, read from disk).
      const effectsAtKill = new Set(handledIds(logFile));
      const heldAtKill = await keysInProgress(dataDir, 'bgjobs--tally', sent);

      runtime = await startRuntimeProcess(children, port, dataDir, 'tally');
      await waitFor(
        'every message handled',
        () => {
          const ids = new Set(handledIds(logFile));
          return [...sent].every((id) => ids.has(id)) ? true : undefined;
        },
        60_000 + MESSAGES * 20,
      );
      // Redeliveries of messages done before the kill (their deletes were lost) come back after
      // their visibility timeout: the counts are final once the queue holds nothing at all.
      await waitFor(
        'the queue empty: every message and redelivery handled and deleted',
        async () => {
          const { Attributes: a } = await sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: queueUrl,
              AttributeNames: [
                'ApproximateNumberOfMessages',
                'ApproximateNumberOfMessagesNotVisible',
              ],
            }),
          );
          return a?.ApproximateNumberOfMessages === '0' &&
            a?.ApproximateNumberOfMessagesNotVisible === '0'
            ? true
            : undefined;
        },
        60_000,
      );
      const ids = handledIds(logFile);
      const deadLetters = await drain(sqs, queueUrl.replace('bgjobs--tally', 'bgjobs--tally--dlq'));
      expect(deadLetters).toEqual([]);
      expect([...sent].filter((id) => !ids.includes(id))).toEqual([]);

      const counts = new Map<string, number>();
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
      const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
      const suppressed = runtime.printed.filter((line) => line.startsWith('duplicate ')).length;
      console.log(
        `kill -9, idempotent job: ${MESSAGES} sent, ${effectsAtKill.size} handled before the kill, ${heldAtKill.size} keys held at the kill, ` +
          `${suppressed} redeliveries suppressed after the restart, ${twice.length} effects twice (${ids.length} effects in all)`,
      );
      // The one documented gap: the kill fell after a record's effect and before its key was marked
      // completed. Each such record was being run by a worker (at most maxConcurrency of them).
      for (const id of twice) {
        expect(effectsAtKill.has(id) && heldAtKill.has(id), `${id} ran twice`).toBe(true);
      }
      expect(twice.length).toBeLessThanOrEqual(tallyJob.settings.maxConcurrency);
    },
    120_000 + MESSAGES * 30,
  );
});

/** The message ids whose idempotency key is still in progress, from the table in `dataDir`. */
async function keysInProgress(
  dataDir: string,
  keyPrefix: string,
  messageIds: ReadonlySet<string>,
): Promise<Set<string>> {
  // Powertools' item id: the prefix, '#', then the MD5 (base64) of the key as JSON.
  const byItemId = new Map(
    [...messageIds].map((id) => [
      `${keyPrefix}#${createHash('md5').update(JSON.stringify(id)).digest('base64')}`,
      id,
    ]),
  );
  const server = await startDynamoDbServer({ port: 0, dataDir });
  const db = new DynamoDBClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const held = new Set<string>();
    for await (const page of paginateScan({ client: db }, { TableName: 'bgjobs--idempotency' })) {
      for (const item of page.Items ?? []) {
        const id = byItemId.get(item.id?.S ?? '');
        if (id && item.status?.S === 'INPROGRESS') held.add(id);
      }
    }
    return held;
  } finally {
    db.destroy();
    await server.stop();
  }
}
